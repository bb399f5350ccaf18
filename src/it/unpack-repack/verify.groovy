def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def layout = new File(basedir, 'target/oci')

oci.checkLayout(layout)
assert oci.tags(layout).sort() == ['base', 'changed']
def base = oci.manifest(layout, 'base')
def changed = oci.manifest(layout, 'changed')
assert changed.layers.size() == base.layers.size() + 1
assert changed.layers[0..<base.layers.size()] == base.layers

// The new layer holds exactly the change.
def entries = oci.layerEntries(layout, changed.layers[-1])
assert entries.keySet().containsAll(['etc/greeting', 'etc/added'])
assert !entries.containsKey('etc/other')
assert new String(entries['etc/greeting'].data, 'UTF-8') == 'hello, changed\n'
assert new String(entries['etc/added'].data, 'UTF-8') == 'new file\n'

def c = oci.config(layout, 'changed')
assert c.history[-1].comment == 'changed by maven-resources-plugin'
assert c.history[-1].created == '2024-01-01T00:00:00Z'

// The bundle the unpack goal made is a real one.
def bundle = new File(basedir, 'target/bundle')
assert new File(bundle, 'config.json').isFile()
assert new File(bundle, 'umoci.json').isFile()

oci.checkWithTools(layout, 'changed')

// Debian's umoci unpacks the result with the change applied.
def check = new File(basedir, 'target/check')
oci.run(['/usr/bin/umoci', 'unpack', '--rootless', '--image', "${layout.absolutePath}:changed".toString(),
         check.absolutePath], basedir)
assert new File(check, 'rootfs/etc/greeting').text == 'hello, changed\n'
assert new File(check, 'rootfs/etc/added').text == 'new file\n'
assert new File(check, 'rootfs/etc/other').text == 'unchanged\n'
return true

// One INFO line per goal (issue 14): the engine's step reports (umoci's info lines on the command
// line) are Maven details, logged at debug only.
def log = new File(basedir, 'build.log').text
for (step in ['unpack rootfs:', 'unpack layer:', 'computing filesystem manifest', 'unpacked image bundle:',
              'created new tag for image manifest:']) {
  assert !log.contains("[INFO] ${step}"): "the engine's step report '${step}' is logged at INFO"
}
def goalInfo = { String goal ->
  def section = log.split(/\[INFO\] --- /).find { it.startsWith("umoci-maven-plugin:") && it.contains(":${goal} (") }
  assert section != null: "no ${goal} goal in the log"
  // the goal's lines end at Maven's next rule (the next goal or the build summary)
  section.readLines().drop(1).takeWhile { !it.startsWith('[INFO] ---') }
      .findAll { it.startsWith('[INFO] ') && it.trim() != '[INFO]' }
}
assert goalInfo('unpack').size() == 1: goalInfo('unpack')
assert goalInfo('unpack')[0].startsWith('[INFO] Unpacked ')
assert goalInfo('repack').size() == 1: goalInfo('repack')
assert goalInfo('repack')[0].startsWith('[INFO] Repacked ')
