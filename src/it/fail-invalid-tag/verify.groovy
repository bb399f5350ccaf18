def log = new File(basedir, 'build.log').text
assert log.contains('<tag>bad tag!</tag>: invalid tag name')
// The layout was created by init; new failed before writing anything.
def index = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/oci/index.json'))
assert index.manifests.isEmpty()
return true
