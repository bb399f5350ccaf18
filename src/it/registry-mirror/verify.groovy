// The base came through the mirror (its own registry does not exist), yet the image and the base cache name
// it as the pom does.
import groovy.json.JsonSlurper

def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def layout = new File(basedir, 'target/oci')
def baseRef = 'origin.invalid/library/eclipse-temurin:17-jre'
def atMirror = "${registry}/docker-remote/library/eclipse-temurin:17-jre".toString()

oci.checkLayout(layout)
def m = oci.manifest(layout, '1.0')
def mirrored = new JsonSlurper().parseText(oci.run([skopeoBinary, 'inspect', '--tls-verify=false',
                                                    "docker://${atMirror}".toString()], basedir))
assert m.annotations['org.opencontainers.image.base.name'] == baseRef
assert m.annotations['org.opencontainers.image.base.digest'] == mirrored.Digest
assert m.layers.take(mirrored.Layers.size())*.digest == mirrored.Layers

def cache = new File(itCache, 'umoci-java/bases')
assert oci.tags(cache).any { it.startsWith(baseRef + '+linux-') }: "no ${baseRef} in ${cache}"
assert !oci.tags(cache).any { it.contains('docker-remote') }
return true
