assert !new File(basedir, 'target/oci').exists()
def log = new File(basedir, 'build.log').text
assert log.contains('Skipping umoci:init because umoci.skip is true')
assert log.contains('Skipping umoci:new because umoci.skip is true')
assert log.contains('Skipping umoci:build because umoci.skip is true')
return true
