// settings.xml passwords are decrypted only when a registry asks for credentials. Neither <server> password of
// this test can be decrypted (its master-password file does not exist).
//   1. deploy: the base from the plain-HTTP registry, which never asks, and the push to it succeed.
//   2. -o package: the base from the cache, no registry contacted; the same image.
//   3. package -Pauth: the TLS registry asks; the build fails with one line naming the <server>, writes no image
//      and leaves nothing of that base in the cache.
import groovy.json.JsonSlurper

def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def log = new File(basedir, 'build.log').text
def tls = "localhost:${tlsRegistryPort}".toString()
assert !new File(basedir, 'no-such-settings-security.xml').exists()

// 1 and 2: built on the plain registry's base, online then offline, and pushed.
def layout = new File(basedir, 'target/oci')
oci.checkLayout(layout)
assert oci.tags(layout).sort() == ['1.0', 'offline']
def desc = oci.descriptor(layout, '1.0')
assert oci.descriptor(layout, 'offline').digest == desc.digest
assert oci.manifest(layout, '1.0').annotations['org.opencontainers.image.base.name'] == "${registry}/java-base:17-jre".toString()
def pushedDigests = (log =~ /Pushed \S+ \((sha256:[0-9a-f]{64})\) as /).collect { it[1] }
assert pushedDigests == [desc.digest]
def remote = new JsonSlurper().parseText(oci.run([skopeoBinary, 'inspect', '--tls-verify=false',
                                                  "docker://${registry}/team/undecryptable:1".toString()], basedir))
assert remote.Digest == desc.digest
assert !log.contains("<server> \"${registry}\""): 'the plain registry\'s <server> was decrypted'

// 3. One error line: the server and Maven's reason, as it is (the <server> is what to fix, not <baseImage>).
def errors = log.readLines().findAll { it.startsWith('[ERROR]') && it.contains('cannot decrypt its password') }
assert errors.size() >= 1: "no [ERROR] line about the undecryptable password:\n${log}"
def line = errors[0]
assert line.contains("on project registry-undecryptable-password: settings.xml <server> \"${tls}\": cannot decrypt its password: ".toString()): line
assert line.contains('no-such-settings-security.xml'): line
// Nothing secret in the log.
assert !log.contains('tls-builder-pw')
assert !new File(basedir, 'target/auth').exists(): 'the failed build wrote an image layout'
def cache = new File(itCache, 'umoci-java/bases')
assert !oci.tags(cache).any { it.startsWith("${tls}/") }: "the failed build cached a base from ${tls}"
return true
