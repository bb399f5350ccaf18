def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def layout = new File(basedir, 'target/oci')

oci.checkLayout(layout)
assert oci.tags(layout).sort() == ['2.5', 'configured']

// The image the new goal made is untouched; config wrote a new one under newTag.
def plain = oci.config(layout, '2.5')
assert plain.author == null
assert plain.config?.Entrypoint == null
assert plain.created == '2024-01-01T00:00:00Z'

def c = oci.config(layout, 'configured')
assert c.author == 'Jane Doe <jane@example.com>'
assert c.config.Entrypoint == ['/bin/hello', '--greet']
assert c.config.Cmd == ['world']
assert c.config.Env == ['GREETING=hello', 'PATH=/usr/bin:/bin']
assert c.config.Labels == ['org.opencontainers.image.title': 'config-goal']
assert c.config.ExposedPorts.keySet() == ['8080/tcp'] as Set
assert c.config.Volumes.keySet() == ['/data'] as Set
assert c.config.User == '1000:1000'
assert c.config.WorkingDir == '/srv'
assert c.config.StopSignal == 'SIGINT'
assert c.created == '2024-01-01T00:00:00Z'
assert c.history.size() == 1
assert c.history[0].created_by == 'umoci config'
assert c.history[0].comment == 'configured by the config goal'
assert c.history[0].empty_layer == true
assert c.history[0].created == '2024-01-01T00:00:00Z'

def m = oci.manifest(layout, 'configured')
assert m.annotations['org.opencontainers.image.version'] == '2.5'
assert m.layers.isEmpty()

def stat = oci.json(new File(basedir, 'target/stat.json'))
assert stat.config.blob.author == 'Jane Doe <jane@example.com>'

def inspected = oci.checkWithTools(layout, 'configured')
assert inspected.Labels['org.opencontainers.image.title'] == 'config-goal'
oci.checkWithTools(layout, '2.5')

def log = new File(basedir, 'build.log').text
assert log.contains('Created OCI layout')
assert log.contains('Updated config of')
return true
