def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def layout = new File(basedir, 'target/oci')

oci.checkLayout(layout)
assert oci.tags(layout).sort() == ['deleted', 'empty', 'inserted', 'latest']
assert oci.descriptor(layout, 'latest').digest == oci.descriptor(layout, 'inserted').digest

def inserted = oci.manifest(layout, 'inserted')
assert inserted.layers.size() == 1
def entries = oci.layerEntries(layout, inserted.layers[0])
assert new String(entries['opt/hello.txt'].data, 'UTF-8') == 'inserted\n'
assert entries['opt/hello.txt'].mtime <= java.time.Instant.parse('2024-01-01T00:00:00Z').epochSecond
assert oci.config(layout, 'inserted').history[0].comment == 'a file'

def deleted = oci.manifest(layout, 'deleted')
assert deleted.layers.size() == 2
assert oci.layerEntries(layout, deleted.layers[1]).keySet() as List == ['opt/.wh.hello.txt']

// gc ran after everything was tagged: nothing reachable is gone, nothing unreachable is left.
def reachable = [] as Set
oci.tags(layout).each { t ->
  reachable << oci.descriptor(layout, t).digest.substring(7)
  def m = oci.manifest(layout, t)
  reachable << m.config.digest.substring(7)
  m.layers.each { reachable << it.digest.substring(7) }
}
assert new File(layout, 'blobs/sha256').list() as Set == reachable

def log = new File(basedir, 'build.log').text
assert log.contains('"manifest"')   // stat logged its JSON form
['empty', 'inserted', 'deleted', 'latest'].each { oci.checkWithTools(layout, it) }
return true
