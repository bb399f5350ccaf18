def log = new File(basedir, 'build.log').text
assert log.contains('Skipping umoci:push because umoci.push.skip is true')
assert log.contains("umoci:push has nowhere to push: set <to>registry.example/team/app:1.0</to> in the plugin's <configuration>, or -Dumoci.push.to=REFERENCE (or skip the push with -Dumoci.push.skip)")
assert !log.contains('are missing or invalid')
return true
