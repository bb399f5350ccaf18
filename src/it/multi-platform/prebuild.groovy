// Makes the two-platform base with Debian's umoci (Go): one image per architecture, each with its own
// /etc/arch layer, and an OCI image index over them tagged "multi" (written here: umoci 0.4.7 has no
// command for an index).
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.security.MessageDigest

def base = new File(basedir, 'target/base')
def run = { List<String> cmd ->
  def p = new ProcessBuilder(cmd).directory(basedir).redirectErrorStream(true).start()
  def out = p.inputStream.text
  assert p.waitFor() == 0: "${cmd.join(' ')}:\n${out}"
}
base.parentFile.mkdirs()
run(['/usr/bin/umoci', 'init', '--layout', base.path])
def entries = []
['amd64', 'arm64'].each { arch ->
  def image = "${base.path}:${arch}".toString()
  run(['/usr/bin/umoci', 'new', '--image', image])
  run(['/usr/bin/umoci', 'config', '--image', image, '--os', 'linux', '--architecture', arch])
  def file = new File(basedir, "target/base-src/${arch}/arch")
  file.parentFile.mkdirs()
  file.text = "${arch}\n"
  run(['/usr/bin/umoci', 'insert', '--image', image, file.path, '/etc/arch'])
  def tagged = new JsonSlurper().parse(new File(base, 'index.json')).manifests
      .find { it.annotations['org.opencontainers.image.ref.name'] == arch }
  entries << [mediaType: tagged.mediaType, digest: tagged.digest, size: tagged.size,
              platform: [architecture: arch, os: 'linux']]
}
byte[] index = JsonOutput.toJson([schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json',
                                  manifests: entries]).getBytes('UTF-8')
def hex = MessageDigest.getInstance('SHA-256').digest(index).encodeHex().toString()
new File(base, "blobs/sha256/${hex}").bytes = index
def layoutIndex = new JsonSlurper().parse(new File(base, 'index.json'))
layoutIndex.manifests << [mediaType: 'application/vnd.oci.image.index.v1+json', digest: "sha256:${hex}".toString(),
                          size: index.length, annotations: ['org.opencontainers.image.ref.name': 'multi']]
new File(base, 'index.json').text = JsonOutput.toJson(layoutIndex)
return true
