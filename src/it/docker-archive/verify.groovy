import java.nio.file.Files
import java.security.MessageDigest

def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def layout = new File(basedir, 'target/oci')
def tag = '2.0'
oci.checkLayout(layout)
def m = oci.manifest(layout, tag)
def c = oci.config(layout, tag)
assert m.layers*.mediaType == ['application/vnd.oci.image.layer.v1.tar+zstd']

def archive = new File(basedir, 'target/docker-archive-2.0-docker.tar')
assert archive.isFile()
assert new File(basedir, 'build.log').text.contains("Wrote docker-archive ${archive}")
// The archive's mode follows the umask, as a file this script creates beside it does.
def reference = new File(basedir, 'target/mode-reference')
reference.text = ''
assert Files.getPosixFilePermissions(archive.toPath()) == Files.getPosixFilePermissions(reference.toPath())

// manifest.json, the config and the uncompressed layers (the zstd layer is stored as plain tar).
def configName = m.config.digest.substring(7) + '.json'
def layerNames = c.rootfs.diff_ids.collect { it.substring(7) + '/layer.tar' }
def listing = oci.run(['tar', '-tf', archive.absolutePath], basedir).readLines()
assert listing == ['manifest.json', configName] + layerNames.collectMany { [it.replace('layer.tar', ''), it] }
def work = new File(basedir, 'target/unpacked-archive')
work.mkdirs()
oci.run(['tar', '-xf', archive.absolutePath, '-C', work.absolutePath], basedir)
def manifestJson = new groovy.json.JsonSlurper().parse(new File(work, 'manifest.json'))
assert manifestJson == [[Config: configName, RepoTags: ['example.com/team/docker-app:2.0'], Layers: layerNames]]
assert oci.sha256(new File(work, configName)) == m.config.digest.substring(7)
layerNames.eachWithIndex { name, i -> assert 'sha256:' + oci.sha256(new File(work, name)) == c.rootfs.diff_ids[i] }

// skopeo reads it: the copy has the same config content (skopeo re-encodes the JSON without our
// blob's trailing newline, as Go's json.Marshal does, so the bytes and digest may differ).
def copy = new File(basedir, 'target/copied')
oci.run(['/usr/bin/skopeo', 'copy', "docker-archive:${archive.absolutePath}".toString(),
         "oci:${copy.absolutePath}:copied".toString()], basedir)
assert oci.config(copy, 'copied') == c
return true
