def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def tag = '1.0'

/** Digests of the blob files of a layout, and of the blobs its tag reaches. */
def blobs = { File layout -> new File(layout, 'blobs/sha256').list().collect { 'sha256:' + it } as Set }
def reachable = { File layout ->
  def m = oci.manifest(layout, tag)
  ([oci.descriptor(layout, tag).digest, m.config.digest] + m.layers*.digest) as Set
}

def owned = new File(basedir, 'target/oci')
oci.checkLayout(owned)
assert oci.config(owned, tag).config.Env == ['BUILD=two']
// Only what the tag reaches is left: the first build's manifest and config are gone.
assert blobs(owned) == reachable(owned)
def log = new File(basedir, 'build.log').text
// Only the second build removes an earlier build's image (its manifest and config), and says so;
// the empty start image every build replaces is removed quietly.
assert (log =~ /Removed (\d+) blob\(s\) of earlier builds that no tag uses from .*target.oci/).collect { it[1] } == ['2']
assert !(log =~ /Removed \d+ blob\(s\) of earlier builds that no tag uses from .*user-oci/)

def user = new File(basedir, 'user-oci')
oci.checkLayout(user)
assert oci.config(user, tag).config.Env == ['BUILD=two']
// The user's layout keeps the first build's blobs (at least its manifest and config).
assert blobs(user).size() >= reachable(user).size() + 2
return true
