def log = new File(basedir, 'build.log').text
def base = new File(basedir, 'target/base').absolutePath
assert log.contains("<baseImage>${base}:nosuch</baseImage>: tag \"nosuch\" not found in layout ${base}".toString())
// Nothing was written for the failed build.
assert !new File(basedir, 'target/oci').exists()
return true
