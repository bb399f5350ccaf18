def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def layout = new File(basedir, 'app/target/oci')
def second = java.time.Instant.parse('2010-06-07T08:09:10Z')

// The second build really saw other times: the release jar and the extra files were touched, and the lib's
// jar was rebuilt with its entries timed -Dit.time.
def released = new File(localRepositoryPath,
    'org/codehaus/mojo/animal-sniffer-annotations/1.14/animal-sniffer-annotations-1.14.jar')
assert released.lastModified() == second.toEpochMilli()
assert new File(basedir, 'app/src/main/image/etc/times.conf').lastModified() == second.toEpochMilli()
def libJar = new File(basedir, 'lib/target/lib-1.0-SNAPSHOT.jar')
new java.util.zip.ZipFile(libJar).withCloseable { zip ->
  assert zip.getEntry('it/times/lib/Greeting.class').lastModifiedTime.toInstant() == second
}

// ... yet both builds made the same image.
oci.checkLayout(layout)
assert oci.tags(layout).sort() == ['first', 'second']
assert oci.descriptor(layout, 'first').digest == oci.descriptor(layout, 'second').digest

def m = oci.manifest(layout, 'second')
assert oci.config(layout, 'second').history*.created_by == [
    'umoci-maven-plugin:build dependencies',
    'umoci-maven-plugin:build snapshot dependencies',
    'umoci-maven-plugin:build extra directories',
    'umoci-maven-plugin:build application']
def layers = m.layers.collect { oci.layerEntries(layout, it) }
// Every file and directory is timed project.build.outputTimestamp, older files too.
def epoch = java.time.Instant.parse('2024-01-01T00:00:00Z').epochSecond
layers.each { l -> l.each { name, e -> assert e.mtime == epoch: name } }
// The release jar is the repository's, byte for byte; the SNAPSHOT jar is the normalised copy.
assert layers[0]['app/libs/animal-sniffer-annotations-1.14.jar'].data == released.bytes
def normalised = new File(basedir, 'app/target/umoci-build/libs/lib-1.0-SNAPSHOT.jar')
assert layers[1]['app/libs/lib-1.0-SNAPSHOT.jar'].data == normalised.bytes
assert normalised.bytes != libJar.bytes
assert layers[2].keySet() as List == ['etc/', 'etc/times.conf']

oci.checkWithTools(layout, 'second')
return true
