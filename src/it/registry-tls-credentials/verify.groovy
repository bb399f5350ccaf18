// A registry base over TLS with htpasswd Basic auth, credentials from settings.xml with Maven's password
// encryption (issue 11 §3, §4).
//   1. localhost:PORT, whose <server> has the right (encrypted) password: the base is pulled over verified TLS into
//      this test's base cache and the image is built on it.
//   2. 127.0.0.1:PORT (the same registry), whose <server> has a wrong password: the build fails with one line naming
//      the registry, the repository and the credential source tried, writes no image, and leaves nothing of that
//      base in the cache.
import groovy.json.JsonSlurper

def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def log = new File(basedir, 'build.log').text
def good = "localhost:${tlsRegistryPort}".toString()
def wrong = "127.0.0.1:${tlsRegistryPort}".toString()
def certs = new File(tlsRegistryDir, 'certs').absolutePath
def skopeo = { List<String> args -> oci.run([skopeoBinary] + args, basedir) }

// 1. Built on the base as the registry serves it (skopeo, with the certificate and the right password).
def layout = new File(basedir, 'target/oci')
oci.checkLayout(layout)
def m = oci.manifest(layout, '1.0')
def baseRef = "docker://${good}/private/base:1".toString()
def creds = ['--cert-dir', certs, '--creds', 'builder:tls-builder-pw']
def base = new JsonSlurper().parseText(skopeo(['inspect'] + creds + [baseRef]))
def baseManifest = new JsonSlurper().parseText(skopeo(['inspect', '--raw'] + creds + [baseRef]))
assert m.annotations['org.opencontainers.image.base.name'] == "${good}/private/base:1".toString()
assert m.annotations['org.opencontainers.image.base.digest'] == base.Digest
assert m.layers.size() == baseManifest.layers.size() + 1
assert m.layers.take(baseManifest.layers.size())*.digest == baseManifest.layers*.digest
oci.checkWithTools(layout, '1.0')

// The registry really asks for the password: anonymous access is refused.
def anonymous = new ProcessBuilder([skopeoBinary, 'inspect', '--cert-dir', certs, baseRef]).redirectErrorStream(true).start()
def anonymousOut = anonymous.inputStream.text
assert anonymous.waitFor() != 0: "the TLS registry served ${baseRef} without credentials: ${anonymousOut}"

// 2. The wrong password: one error line with the registry, the repository and where the credentials came from.
def source = "credentials from settings.xml <server> \"${wrong}\"".toString()
def errors = log.readLines().findAll { it.startsWith('[ERROR]') && it.contains("registry ${wrong}") }
assert errors.size() >= 1: "no [ERROR] line naming registry ${wrong}:\n${log}"
def line = errors[0]
// Blamed on the element to fix, then the engine's one line: registry, repository, what failed, credential source.
def element = "<baseImage>docker://${wrong}/private/base:1</baseImage>".toString()
assert line.contains("${element}: registry ${wrong}: repository private/base: ".toString()): line
assert line.contains("repository private/base"): line
assert line.contains('authentication failed (401'): line
assert line.contains(source): line
// Nothing secret in the log: neither password, nor the encrypted forms.
['tls-builder-pw', 'not-the-password', '{R+Odk', '{TG+WGo'].each { assert !log.contains(it): "the build log shows ${it}" }
assert !new File(basedir, 'target/wrong').exists(): 'the failed build wrote an image layout'

// The base cache: the image of the good pull only, every blob one that image references, no leftovers.
def cache = new File(basedir, 'target/cache/umoci-java/bases')
def tags = oci.tags(cache)
assert tags == ["${good}/private/base:1+linux-amd64".toString()]
def referenced = [] as Set
tags.each { t ->
  def d = oci.json(new File(cache, 'index.json')).manifests.find { it.annotations?.get('org.opencontainers.image.ref.name') == t }
  referenced << d.digest.substring(7)
  def cm = oci.json(oci.blobFile(cache, d.digest))
  referenced << cm.config.digest.substring(7)
  cm.layers.each { referenced << it.digest.substring(7) }
}
oci.checkLayout(cache)
def blobs = new File(cache, 'blobs/sha256').list() as Set
assert blobs == referenced: "blobs in the cache that no cached image references: ${blobs - referenced}"
def others = []
cache.eachFileRecurse { f ->
  def rel = cache.toPath().relativize(f.toPath()).toString()
  if (f.isFile() && !rel.startsWith('blobs/') && !(rel in ['index.json', 'oci-layout']) && !rel.contains('lock')) {
    others << rel
  }
}
assert others.isEmpty(): "files left in the base cache: ${others}"
return true
