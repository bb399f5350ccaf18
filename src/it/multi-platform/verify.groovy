import groovy.json.JsonSlurper

def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def base = new File(basedir, 'target/base')
def layout = new File(basedir, 'target/oci')
def log = new File(basedir, 'build.log').text

oci.checkLayout(layout)
assert oci.tags(layout) == ['1.0']
def tagged = new JsonSlurper().parse(new File(layout, 'index.json')).manifests[0]
assert tagged.mediaType == 'application/vnd.oci.image.index.v1+json'
def index = oci.json(oci.blobFile(layout, tagged.digest))
assert index.manifests*.platform*.architecture == ['amd64', 'arm64']
assert index.manifests*.platform*.os == ['linux', 'linux']

def shared = null
['amd64', 'arm64'].eachWithIndex { arch, i ->
  def entry = index.manifests[i]
  def m = oci.json(oci.blobFile(layout, entry.digest))
  def c = oci.json(oci.blobFile(layout, m.config.digest))
  def baseManifest = oci.manifest(base, arch)
  // Each image is on its platform's base: the base's layer first, then the application's.
  assert m.layers.size() == baseManifest.layers.size() + 1
  assert m.layers[0].digest == baseManifest.layers[0].digest
  assert c.architecture == arch
  assert c.os == 'linux'
  assert c.config.Entrypoint == ['/bin/cat', '/etc/arch']
  assert m.annotations['org.opencontainers.image.base.digest'] == oci.descriptor(base, arch).digest
  // The application layer is written once: the same blob in every image.
  if (shared == null) {
    shared = m.layers[-1]
  }
  assert m.layers[-1] == shared
  assert oci.layerEntries(layout, m.layers[-1]).keySet() as List == ['app/', 'app/hello.txt']
}
// <platform>linux/arm64/v8</platform> matches the base's linux/arm64 image; the log names the platforms as the
// index records them (from the images' configs), not as the pom spells them.
assert log.contains("Built image index ${layout.canonicalPath}:1.0 (${tagged.digest}) for [linux/amd64, linux/arm64]".toString())

// skopeo reads the index and copies every platform with the same digests.
def raw = oci.run(['/usr/bin/skopeo', 'inspect', '--raw', "oci:${layout.absolutePath}:1.0".toString()], basedir)
assert new JsonSlurper().parseText(raw).manifests*.digest == index.manifests*.digest
def copied = new File(basedir, 'target/skopeo')
oci.run(['/usr/bin/skopeo', '--insecure-policy', 'copy', '--all', "oci:${layout.absolutePath}:1.0".toString(),
         "oci:${copied.absolutePath}:1.0".toString()], basedir)
oci.checkLayout(copied)
assert new JsonSlurper().parse(new File(copied, 'index.json')).manifests[0].digest == tagged.digest

// The second invocation asked for linux/s390x, which the base lacks: the build failed naming both, and
// wrote nothing.
assert log.contains("has no image for platform linux/s390x (it has linux/amd64, linux/arm64)")
assert log.contains("oci:${base.canonicalPath}:multi".toString()) || log.contains("oci:${base.absolutePath}:multi".toString())
assert !new File(basedir, 'target/missing').exists()
return true
