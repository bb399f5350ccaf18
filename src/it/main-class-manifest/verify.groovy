def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def layout = new File(basedir, 'target/oci')
def tag = '1.0'

oci.checkLayout(layout)
def c = oci.config(layout, tag)
// No dependencies: the class path is the jar alone.
assert c.config.Entrypoint == ['java', '-cp', '/app/main-class-manifest.jar', 'it.two.Second']
assert new File(basedir, 'build.log').text.contains('Main class it.two.Second (Main-Class of ')
return true
