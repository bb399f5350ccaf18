// A shaded artifact holds slf4j-api's classes as they are: slf4j-api is not copied to /app/libs again (one copy
// on the class path). tiny-lib's classes were relocated, so tiny-lib stays in /app/libs. The image runs under
// runc on the registry's JRE base.
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.util.concurrent.TimeUnit
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
assert ['id', '-u'].execute().text.trim() == '0': 'shaded-jar runs the image under runc as root (as .ci/run does)'
def bundle = new File(basedir, 'target/bundle')
oci.run([umociBinary, 'unpack', '--image', "${layout.absolutePath}:${tag}".toString(), bundle.absolutePath], basedir)
def configFile = new File(bundle, 'config.json')
def runtime = new JsonSlurper().parse(configFile)
runtime.process.terminal = false
configFile.text = JsonOutput.toJson(runtime)
def id = 'shaded-jar-' + UUID.randomUUID().toString().substring(0, 8)
def p = new ProcessBuilder([runcBinary, '--root', new File(basedir, 'target/runc').absolutePath, 'run',
                            '--bundle', bundle.absolutePath, id])
    .directory(basedir).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File('/dev/null')))
    .start()
def out = new StringBuilder()
def reader = Thread.start { out << p.inputStream.text }
if (!p.waitFor(300, TimeUnit.SECONDS)) {
  p.destroyForcibly()
  assert false: "runc run ${id} did not end within 300 s: ${out}"
}
reader.join()
assert p.exitValue() == 0: "runc run exited ${p.exitValue()}:\n${out}"
def lines = out.toString().readLines()
assert lines.contains('hello, shaded'): out
assert lines.contains('Greeter=shaded.it.lib.Greeter'): out
assert lines.contains('LoggerFactory from /app/shaded-jar.jar'): out
assert lines.contains('LoggerFactory copies=1'): out
return true
