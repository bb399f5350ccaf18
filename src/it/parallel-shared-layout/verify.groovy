def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def layout = new File(basedir, 'target/shared-oci')

// The modules really built in parallel.
def log = new File(basedir, 'build.log').text
assert log.contains('Using the MultiThreadedBuilder implementation with a thread count of 2')

oci.checkLayout(layout)
def modules = ['m1', 'm2', 'm3', 'm4']
def expected = modules.collectMany { [it, "${it}-inserted".toString(), "${it}-latest".toString()] }
assert oci.tags(layout).sort() == expected.sort()
modules.each { m ->
  assert oci.descriptor(layout, "${m}-latest").digest == oci.descriptor(layout, "${m}-inserted").digest
  def inserted = oci.manifest(layout, "${m}-inserted")
  assert inserted.layers.size() == 1
  def entries = oci.layerEntries(layout, inserted.layers[0])
  assert new String(entries["opt/${m}.txt".toString()].data, 'UTF-8') == 'a file every module inserts\n'
  expected.findAll { it.startsWith(m) }.each { oci.checkWithTools(layout, it) }
}
// No module's bounded lock wait ran out, and nothing is left behind.
assert !log.contains('(waited ')
assert !layout.list().any { it.startsWith('.umoci-') }
return true
