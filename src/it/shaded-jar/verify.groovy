// A shaded artifact holds slf4j-api's classes as they are: slf4j-api is not copied to /app/libs again (one copy
// on the class path). tiny-lib's classes were relocated, so tiny-lib stays in /app/libs. The image runs under
// runc on the registry's JRE base.
import java.util.zip.ZipFile

def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def layout = new File(basedir, 'target/oci')
def tag = '1.0'
def log = new File(basedir, 'build.log').text

// The project's artifact is the shaded jar: slf4j-api's classes under their own names, tiny-lib's relocated.
def jarNames = new ZipFile(new File(basedir, 'target/shaded-jar-1.0.jar')).withCloseable { z -> z.entries()*.name }
assert jarNames.contains('org/slf4j/LoggerFactory.class')
assert jarNames.contains('shaded/it/lib/Greeter.class')
assert !jarNames.contains('it/lib/Greeter.class')

// One INFO line counts what was left out; no line per dependency.
assert log.contains('[INFO] 1 dependency is inside the shaded artifact shaded-jar-1.0.jar; not copied to /app/libs')
assert !log.contains('[INFO] Not copied')

oci.checkLayout(layout)
def m = oci.manifest(layout, tag)
def c = oci.config(layout, tag)
def ours = c.history.findAll { it.created_by?.startsWith('umoci-maven-plugin:build') }
// No release-dependency layer (slf4j-api was the only release dependency): tiny-lib, then the artifact.
assert ours*.created_by == ['umoci-maven-plugin:build snapshot dependencies', 'umoci-maven-plugin:build application']
def layers = m.layers.takeRight(2).collect { oci.layerEntries(layout, it) }
assert layers[0].keySet() as List == ['app/', 'app/libs/', 'app/libs/tiny-lib-1.0-SNAPSHOT.jar']
assert layers[1].keySet() as List == ['app/', 'app/shaded-jar.jar']
assert m.layers.collect { oci.layerEntries(layout, it).keySet() }.flatten().every { !it.startsWith('app/libs/slf4j') }
assert c.config.Entrypoint == ['java', '-cp', '/app/shaded-jar.jar:/app/libs/*', 'it.shaded.Main']
oci.checkWithTools(layout, tag)

// Unpacked by Debian's umoci (as root: runc runs the bundle as root) and run under runc, without a terminal.
def lines = oci.runUnderRunc(umociBinary, runcBinary, basedir, "${layout.absolutePath}:${tag}".toString(),
                             new File(basedir, 'target/bundle'))
def out = lines.join('\n')
assert lines.contains('hello, shaded'): out
assert lines.contains('Greeter=shaded.it.lib.Greeter'): out
assert lines.contains('LoggerFactory from /app/shaded-jar.jar'): out
assert lines.contains('LoggerFactory copies=1'): out
return true
