def log = new File(basedir, 'build.log').text
def failure = log.readLines().find { it.contains('Failed to execute goal dev.umoci:umoci-maven-plugin') }
assert failure != null
assert failure.contains('<compression>lz4</compression>: expected one of gzip, zstd, none, auto')
assert failure.count('lz4') == 1
assert !log.contains('--compress')
assert !new File(basedir, 'target/oci').exists()
return true
