def log = new File(basedir, 'build.log').text
def line = log.readLines().find { it.contains('<mainClass/>: not set') }
assert line != null
assert line.contains('several classes in ') && line.contains('[it.two.First, it.two.Second]')
assert line.contains('set <mainClass>')
assert !new File(basedir, 'target/oci').exists()
return true
