def log = new File(basedir, 'build.log').text
// By prefix, with -Ddetail -Dgoal=build: the goal and its parameters with their descriptions.
assert log.contains('umoci:build')
assert log.contains('jvmFlags')
assert log.contains('User property: umoci.archive')
// The full form lists every goal.
['build', 'config', 'gc', 'init', 'insert', 'new', 'repack', 'stat', 'tag', 'unpack'].each { goal ->
  assert log.contains("umoci:${goal}"): goal
}
return true
