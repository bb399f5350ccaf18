import groovy.json.JsonSlurper

def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def log = new File(basedir, 'build.log').text
def tag = '1.0-SNAPSHOT'

// The aggregator is skipped by both goals, with the reason; it has no image.
['build', 'push'].each { goal ->
  assert log.contains("[INFO] Skipping umoci:${goal}: multi-module is an aggregator (packaging pom with modules);" +
      ' its modules that use the plugin build their images'): goal
}
assert !new File(basedir, 'target/oci').exists()
assert !(log =~ /Pushed \S+multi-module\/multi-module:/)
// The lib module skips them as told.
assert !new File(basedir, 'lib/target/oci').exists()

// The app module's image: the reactor's lib (normalised) and the app's jar.
def layout = new File(basedir, 'app/target/oci')
oci.checkLayout(layout)
assert oci.tags(layout) == [tag]
def c = oci.config(layout, tag)
assert c.history*.created_by == ['umoci-maven-plugin:build snapshot dependencies', 'umoci-maven-plugin:build application']
assert c.config.Entrypoint == ['java', '-cp', '/app/app.jar:/app/libs/*', 'it.multi.app.Main']
def layers = oci.manifest(layout, tag).layers.collect { oci.layerEntries(layout, it) }
assert layers[0]['app/libs/lib-1.0-SNAPSHOT.jar'].data ==
    new File(basedir, 'app/target/umoci-build/libs/lib-1.0-SNAPSHOT.jar').bytes
oci.checkWithTools(layout, tag)

// ... and pushed.
def pushed = "${registry}/multi-module/app:${tag}".toString()
def remote = new JsonSlurper().parseText(oci.run([skopeoBinary, 'inspect', '--tls-verify=false',
                                                  "docker://${pushed}".toString()], basedir))
assert remote.Digest == oci.descriptor(layout, tag).digest
return true
