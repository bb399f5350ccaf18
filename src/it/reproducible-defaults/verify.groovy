def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def first = new File(basedir, 'target-first/oci')
def second = new File(basedir, 'target/oci')
def tag = '1.0'

oci.checkLayout(first)
oci.checkLayout(second)
// maven-jar-plugin 2.4 wrote two different jars (build date in pom.properties, file times) ...
def jar1 = new File(basedir, 'target-first/reproducible-defaults-1.0.jar')
def jar2 = new File(basedir, 'target/reproducible-defaults-1.0.jar')
assert jar1.bytes != jar2.bytes
// ... yet the two images are the same.
assert oci.descriptor(first, tag).digest == oci.descriptor(second, tag).digest

def c = oci.config(second, tag)
// Without project.build.outputTimestamp the image's times are the epoch, and the log says so.
assert c.created == '1970-01-01T00:00:00Z'
def log = new File(basedir, 'build.log').text
assert log.contains('project.build.outputTimestamp is not set')
// The main class was found in target/classes; classes first, then the dependencies.
assert c.config.Entrypoint == ['java', '-cp', '/app/reproducible-defaults.jar:/app/libs/*', 'it.defaults.App']
assert log.contains('Main class it.defaults.App (the one main method in ')

oci.checkWithTools(second, tag)
// The image's entrypoint runs: unpack it and start it with this JVM, its paths under the rootfs.
def bundle = new File(basedir, 'target/bundle')
oci.run(['/usr/bin/umoci', 'unpack', '--rootless', '--image', "${second.absolutePath}:${tag}".toString(),
         bundle.absolutePath], basedir)
def rootfs = new File(bundle, 'rootfs').absolutePath
def java = new File(System.getProperty('java.home'), 'bin/java').absolutePath
def command = [java] + c.config.Entrypoint.drop(1).collect { it.replace('/app/', rootfs + '/app/') }
assert oci.run(command, basedir).contains('hello from it.defaults.App')
return true
