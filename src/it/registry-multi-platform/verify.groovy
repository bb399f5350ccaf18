// The <platforms> build pushed as an image index (issue 11 §4): what the registry serves is the index the build
// wrote, with a linux/amd64 and a linux/arm64 manifest, each on its platform's base; `skopeo copy --all` pulls it
// back with the same digests; Debian's umoci unpacks the amd64 image and runc runs it. The arm64 image (on the
// arm64 minbase of java-base-multiarch.sh, which has no Java) is checked for what it is: unpacked by umoci, its
// shell is an aarch64 ELF binary. Nothing here can run it.
import groovy.json.JsonOutput
import groovy.json.JsonSlurper

def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def layout = new File(basedir, 'target/oci')
def tag = '1.0'
def baseRef = "${registry}/java-base:17-jre-multiarch".toString()
def pushed = "${registry}/team/multi-platform:${tag}".toString()
def log = new File(basedir, 'build.log').text
def skopeo = { List<String> args -> oci.run([skopeoBinary] + args, basedir) }
def json = { String text -> new JsonSlurper().parseText(text) }

// The layout: the tag names an index over the two platforms' images.
oci.checkLayout(layout)
def tagged = oci.json(new File(layout, 'index.json')).manifests
    .find { it.annotations?.get('org.opencontainers.image.ref.name') == tag }
assert tagged.mediaType == 'application/vnd.oci.image.index.v1+json'
def index = oci.json(oci.blobFile(layout, tagged.digest))

// The registry serves the same index, byte for byte, with both platforms.
def rawIndex = skopeo(['inspect', '--raw', '--tls-verify=false', "docker://${pushed}".toString()])
assert oci.sha256(oci.blobFile(layout, tagged.digest)) == tagged.digest.substring(7)
assert json(rawIndex) == index
def remote = json(rawIndex)
assert remote.mediaType == 'application/vnd.oci.image.index.v1+json'
assert remote.manifests*.platform.collect { "${it.os}/${it.architecture}".toString() } == ['linux/amd64', 'linux/arm64']
def pushedDigests = (log =~ /Pushed \S+ \((sha256:[0-9a-f]{64})\) as /).collect { it[1] }
assert pushedDigests == [tagged.digest]

// Each platform's manifest, as the registry serves it: its config's platform, its base's layers first, the
// application layer shared.
def baseIndex = json(skopeo(['inspect', '--raw', '--tls-verify=false', "docker://${baseRef}".toString()]))
def appLayer = null
remote.manifests.each { entry ->
  def arch = entry.platform.architecture
  def ref = "docker://${registry}/team/multi-platform@${entry.digest}".toString()
  def m = json(skopeo(['inspect', '--raw', '--tls-verify=false', ref]))
  def c = json(skopeo(['inspect', '--config', '--raw', '--tls-verify=false', ref]))
  assert c.architecture == arch
  assert c.os == 'linux'
  def baseEntry = baseIndex.manifests.find { it.platform.architecture == arch }
  def baseRefByDigest = "docker://${registry}/java-base@${baseEntry.digest}".toString()
  def baseManifest = json(skopeo(['inspect', '--raw', '--tls-verify=false', baseRefByDigest]))
  assert m.layers.take(baseManifest.layers.size())*.digest == baseManifest.layers*.digest: arch
  assert m.layers.size() == baseManifest.layers.size() + 1: arch
  assert m.annotations['org.opencontainers.image.base.digest'] == baseEntry.digest: arch
  assert c.config.Entrypoint == ['java', '-cp', '/app/registry-multi-platform.jar', 'it.multi.Main']
  appLayer = appLayer ?: m.layers[-1]
  assert m.layers[-1] == appLayer: "${arch}: the application layer differs from the first platform's"
}

// skopeo copy --all pulls the index and both images back with the same digests.
def pulled = new File(basedir, 'target/pulled')
skopeo(['copy', '--quiet', '--all', '--src-tls-verify=false', "docker://${pushed}".toString(),
        "oci:${pulled.absolutePath}:${tag}".toString()])
oci.checkLayout(pulled)
def pulledIndexDesc = oci.json(new File(pulled, 'index.json')).manifests[0]
assert pulledIndexDesc.digest == tagged.digest
def pulledIndex = oci.json(oci.blobFile(pulled, pulledIndexDesc.digest))
assert pulledIndex.manifests*.digest == index.manifests*.digest
pulledIndex.manifests.each { assert oci.blobFile(pulled, it.digest).isFile() }

// Tag each platform's manifest in the pulled layout (Debian's umoci 0.4.7 unpacks manifests, not indexes).
def layoutIndex = oci.json(new File(pulled, 'index.json'))
pulledIndex.manifests.each { entry ->
  layoutIndex.manifests << [mediaType: entry.mediaType, digest: entry.digest, size: entry.size,
                            annotations: ['org.opencontainers.image.ref.name': entry.platform.architecture]]
}
new File(pulled, 'index.json').text = JsonOutput.toJson(layoutIndex)

// arm64: unpacked by Debian's umoci; its shell is an aarch64 ELF binary (e_machine 183), so the image holds the
// arm64 base's files, not the host's.
def armBundle = new File(basedir, 'target/bundle-arm64')
oci.run([umociBinary, 'unpack', '--image', "${pulled.absolutePath}:arm64".toString(), armBundle.absolutePath], basedir)
def elf = new File(armBundle, 'rootfs/usr/bin/bash').bytes
assert elf[0..3] == [0x7f, 0x45, 0x4c, 0x46] as byte[]
assert ((elf[19] & 0xff) << 8 | (elf[18] & 0xff)) == 183: 'rootfs/usr/bin/bash of the arm64 image is not aarch64'
assert new File(armBundle, 'rootfs/app/registry-multi-platform.jar').isFile()

// amd64: unpacked by Debian's umoci (as root: runc runs the bundle as root) and run under runc, no terminal.
def lines = oci.runUnderRunc(umociBinary, runcBinary, basedir, "${pulled.absolutePath}:amd64".toString(),
                             new File(basedir, 'target/bundle-amd64'))
def out = lines.join('\n')
assert lines.contains('hello from registry-multi-platform'): out
assert lines.contains('os.arch=amd64'): out
assert lines.contains('java.home=/opt/java/openjdk'): out
return true
