def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def layout = new File(basedir, 'target/oci')
def tag = '1.2.3' // default tag: the project version

oci.checkLayout(layout)
assert oci.tags(layout) == [tag]
def m = oci.manifest(layout, tag)
def c = oci.config(layout, tag)

// Layers, least to most often changed.
assert m.layers.size() == 4
assert c.history*.created_by == [
    'umoci-maven-plugin:build dependencies',
    'umoci-maven-plugin:build snapshot dependencies',
    'umoci-maven-plugin:build extra directories',
    'umoci-maven-plugin:build application']
def layers = m.layers.collect { oci.layerEntries(layout, it) }
assert layers[0].keySet() as List == ['app/', 'app/libs/', 'app/libs/slf4j-api-2.0.16.jar']
assert layers[1].keySet() as List == ['app/', 'app/libs/', 'app/libs/tiny-lib-1.0-SNAPSHOT.jar']
// The SNAPSHOT jar is normalised as the project's is (sorted entries, fixed times); releases stay as they are.
assert layers[1]['app/libs/tiny-lib-1.0-SNAPSHOT.jar'].data ==
    new File(basedir, 'target/umoci-build/libs/tiny-lib-1.0-SNAPSHOT.jar').bytes
assert layers[2].keySet() as List == ['etc/', 'etc/app.conf']
assert new String(layers[2]['etc/app.conf'].data, 'UTF-8') == 'built by umoci-maven-plugin\n'
assert layers[3].keySet() as List == ['app/', 'app/app-image.jar']
// The jar in the image is the normalised copy (sorted entries, fixed times) of the project's jar.
def jar = new File(basedir, 'target/umoci-build/app-image-1.2.3.jar')
assert layers[3]['app/app-image.jar'].data == jar.bytes

// Owners fixed to 0:0; every time is project.build.outputTimestamp (2024-01-01T00:00:00Z), older ones too.
def epoch = java.time.Instant.parse('2024-01-01T00:00:00Z').epochSecond
layers.each { l -> l.each { name, e ->
  assert e.uid == 0 && e.gid == 0: name
  assert e.mtime == epoch: name
} }

// Config from the POM.
assert c.config.Entrypoint == ['java', '-Xmx64m', '-Dapp.mode=image test', '-cp', '/app/app-image.jar:/app/libs/*',
                               'it.app.Main', 'first arg', 'second']
assert c.config.Cmd == null
assert c.config.Env == ['APP_MODE=test']
assert c.config.Labels == ['org.opencontainers.image.title': 'app-image']
assert c.config.ExposedPorts.keySet() == ['8080/tcp'] as Set
assert c.config.User == '65534'
assert c.config.WorkingDir == '/app'
assert c.author == 'IT <it@example.com>'
assert c.architecture == 'arm64'
assert c.os == 'linux'
assert c.created == '2024-01-01T00:00:00Z'
c.history.each { h ->
  assert h.created == '2024-01-01T00:00:00Z'
  assert h.author == 'IT <it@example.com>'
}
assert m.annotations['org.opencontainers.image.version'] == '1.2.3'

oci.checkWithTools(layout, tag)

// attach: an oci-archive of the layout (only reachable blobs) that skopeo reads.
def archive = new File(basedir, 'target/app-image-1.2.3-oci.tar')
assert archive.isFile()
def listing = oci.run(['tar', '-tf', archive.absolutePath], basedir).readLines().sort()
def expected = ['blobs/', 'blobs/sha256/', 'index.json', 'oci-layout'] +
    ([oci.descriptor(layout, tag).digest, m.config.digest] + m.layers*.digest).collect { 'blobs/sha256/' + it.substring(7) }
assert listing == expected.sort()
def fromArchive = new groovy.json.JsonSlurper().parseText(
    oci.run(['/usr/bin/skopeo', 'inspect', "oci-archive:${archive.absolutePath}:${tag}".toString()], basedir))
assert fromArchive.Digest == oci.descriptor(layout, tag).digest
assert new File(basedir, 'build.log').text.contains("Wrote oci-archive ${archive}, attached (classifier oci)")
// no <baseImage>: the build says the image has no java for its default entrypoint
assert new File(basedir, 'build.log').text.contains('[WARNING] No <baseImage>: the image starts empty')

// The image runs: unpack it with Debian's umoci and start the entrypoint's class path with this JVM.
def bundle = new File(basedir, 'target/bundle')
oci.run(['/usr/bin/umoci', 'unpack', '--rootless', '--image', "${layout.absolutePath}:${tag}".toString(),
         bundle.absolutePath], basedir)
def rootfs = new File(bundle, 'rootfs')
def java = new File(System.getProperty('java.home'), 'bin/java').absolutePath
def command = [java] + c.config.Entrypoint.drop(1).collect { it.replace('/app/', rootfs.absolutePath + '/app/') }
def out = oci.run(command, basedir)
assert out.contains('hello, image')
assert out.contains('mode=image test args=first arg|second')
return true
