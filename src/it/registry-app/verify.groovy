// The image built on a registry base is pushed, pulled back by skopeo with the digest the build recorded,
// unpacked by Debian's umoci and run under runc: the inferred main class on the base's JRE.
import groovy.json.JsonSlurper

def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def layout = new File(basedir, 'target/oci')
def tag = '1.0'
def baseRef = "${registry}/eclipse-temurin:17-jre".toString()
def pushed = "${registry}/team/registry-app".toString()
def log = new File(basedir, 'build.log').text
// Three builds of the same image on the same base: the base's manifest and config, which the new
// image replaces, are removed quietly, and no earlier build left anything to report.
assert !log.contains('[INFO] Removed ')

oci.checkLayout(layout)
assert oci.tags(layout).sort() == [tag, 'offline']
def desc = oci.descriptor(layout, tag)
def m = oci.manifest(layout, tag)
def c = oci.config(layout, tag)

// The base, as the registry serves it: its layers come first, and the image records its name and digest.
def base = new JsonSlurper().parseText(oci.run([skopeoBinary, 'inspect', '--tls-verify=false',
                                                "docker://${baseRef}".toString()], basedir))
def baseManifest = new JsonSlurper().parseText(oci.run([skopeoBinary, 'inspect', '--raw', '--tls-verify=false',
                                                        "docker://${baseRef}".toString()], basedir))
assert m.annotations['org.opencontainers.image.base.name'] == baseRef
assert m.annotations['org.opencontainers.image.base.digest'] == base.Digest
assert m.layers.size() == baseManifest.layers.size() + 1
assert m.layers.take(baseManifest.layers.size())*.digest == baseManifest.layers*.digest

// Config: the base's Env (PATH with its JRE) kept; the entrypoint runs the one main class on the base's java.
assert c.config.Env.contains('PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')
assert c.config.Env.contains('JAVA_HOME=/opt/java/openjdk')
assert c.config.Entrypoint == ['java', '-cp', '/app/registry-app.jar', 'it.registry.Main']
assert c.config.Cmd == null
// The base's author (umoci-java-tests) is not the application's: without <author> the image names none.
assert c.author == null
assert c.history.every { it.author == null || it.author == 'umoci-java-tests' }
assert c.history.last().author == null
oci.checkWithTools(layout, tag)

// The push recorded the digest of the image in the layout, under both tags.
def pushedDigests = (log =~ /Pushed \S+ \((sha256:[0-9a-f]{64})\) as /).collect { it[1] }
assert pushedDigests == [desc.digest]
[tag, 'latest'].each { t ->
  def remote = new JsonSlurper().parseText(oci.run([skopeoBinary, 'inspect', '--tls-verify=false',
                                                    "docker://${pushed}:${t}".toString()], basedir))
  assert remote.Digest == desc.digest: "${pushed}:${t}"
}

// Pulled back by skopeo: the same manifest bytes.
def pulled = new File(basedir, 'target/pulled')
oci.run([skopeoBinary, 'copy', '--quiet', '--src-tls-verify=false', "docker://${pushed}:${tag}".toString(),
         "oci:${pulled.absolutePath}:${tag}".toString()], basedir)
oci.checkLayout(pulled)
assert oci.descriptor(pulled, tag).digest == desc.digest

// Unpacked by Debian's umoci (as root: runc runs the bundle as root) and run under runc, without a terminal.
def lines = oci.runUnderRunc(umociBinary, runcBinary, basedir, "${pulled.absolutePath}:${tag}".toString(),
                             new File(basedir, 'target/bundle')) { runtime -> assert runtime.process.args == c.config.Entrypoint }
def out = lines.join('\n')
assert lines.contains('hello from registry-app'): out
assert lines.contains('java.home=/opt/java/openjdk'): out
assert lines.find { it.startsWith('java.version=17.') }: out

// The offline rebuild (mvn -o) took the base from the cache: same sources, same base, same image.
assert oci.descriptor(layout, 'offline').digest == desc.digest
def cache = new File(itCache, 'umoci-java/bases')
assert oci.tags(cache).any { it.startsWith(baseRef + '+linux-') }: "no ${baseRef} in ${cache}"
return true
