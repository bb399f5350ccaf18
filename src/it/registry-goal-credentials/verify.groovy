// Credentials given to the goals on the command line (no settings.xml server for the registry):
//   1. the base is pulled from the TLS registry with htpasswd auth and the image pushed to it;
//   2. a user name without a password fails the build with one line naming both parameters.
// The password appears nowhere in the build's output.
import groovy.json.JsonSlurper

def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def log = new File(basedir, 'build.log').text
def host = "localhost:${tlsRegistryPort}".toString()
def certs = new File(tlsRegistryDir, 'certs').absolutePath
def creds = ['--cert-dir', certs, '--creds', 'builder:tls-builder-pw']

def layout = new File(basedir, 'target/oci')
oci.checkLayout(layout)
def m = oci.manifest(layout, '1.0')
assert m.annotations['org.opencontainers.image.base.name'] == "${host}/private/base:1".toString()
def pushed = new JsonSlurper().parseText(
    oci.run([skopeoBinary, 'inspect', '--raw'] + creds + ["docker://${host}/team/goal-credentials:1".toString()], basedir))
assert pushed.layers*.digest == m.layers*.digest
assert log.contains("Pushed ")

assert log.contains('<baseImageAuth> (-Dumoci.baseImage.username/-Dumoci.baseImage.password):' +
                    ' a user name without a password for ' + host)
assert !new File(basedir, 'target/half').exists()
assert !log.contains('tls-builder-pw')
return true
