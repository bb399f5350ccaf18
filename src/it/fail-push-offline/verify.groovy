def log = new File(basedir, 'build.log').text
assert log.contains('-Dumoci.push.to=127.0.0.1:9/team/elsewhere:2 overrides the pom\'s <to>')
assert log.contains('<to>127.0.0.1:9/team/elsewhere:2</to>: cannot push in offline mode (mvn -o): run without -o, or skip the push with -Dumoci.push.skip')
assert log.contains('<tags>Bad:tag</tags>: invalid tag "Bad:tag" to push')
assert log =~ /<layout>.*fail-push-offline.target.oci<.layout>: no image to push, the layout does not exist: build it in the same run first \(mvn package umoci:push, or mvn deploy\)/
assert !log.contains('Connection refused'): 'nothing was sent to the registry'
return true
