def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def layout = new File(basedir, 'target/oci')

oci.checkLayout(layout)
assert oci.tags(layout).sort() == ['first', 'second']
def first = oci.descriptor(layout, 'first')
def second = oci.descriptor(layout, 'second')
assert first.digest == second.digest
assert first.size == second.size
assert oci.manifest(layout, 'first').layers.size() == 2
oci.checkWithTools(layout, 'second')
return true
