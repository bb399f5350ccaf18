// `mvn umoci:help` resolves through <pluginGroups> after `mvn install` (issue 14 §6).
//
// Maven resolves a prefix from the plugin groups' metadata (dev/umoci/maven-metadata-local.xml in a local
// repository). invoker:install installs through the resolver with artifacts only, which on Maven 3.8 writes no
// group metadata (3.9 writes it in core), so this test does what a user does instead: `mvn install` of a copy of
// umoci-maven-plugin (its own pom: the install plugin it pins, the plugin-prefix metadata maven-plugin-plugin
// attaches) into a local repository of its own, seeded with the engine and parent pom invoker:install put into the
// invoker's repository. Then, with the invoker's settings (<pluginGroup>dev.umoci</pluginGroup>):
//   * umoci:help in a directory with no pom, and umoci:help -Ddetail -Dgoal=push in this project, which does not
//     declare the plugin, both succeed and print the plugin's help;
//   * with the group metadata removed, the same build fails with Maven's "No plugin found for prefix 'umoci'":
//     the metadata the install wrote is what made it resolve.
import groovy.xml.XmlSlurper
import java.nio.file.Files
import java.nio.file.StandardCopyOption
import java.util.concurrent.TimeUnit

def target = new File(basedir, 'target')
def mvn = new File(mavenHome, 'bin/mvn').absolutePath
// The invoker's settings (../settings.xml as the invoker interpolates it, to ../interpolated-settings.xml).
def settings = new File(basedir, '../interpolated-settings.xml')
assert settings.text.contains('<pluginGroup>dev.umoci</pluginGroup>'): "no dev.umoci plugin group in ${settings}"
def repo = new File(target, 'user-repo')
def logs = new File(target, 'logs')
logs.mkdirs()

def maven = { String name, File dir, List<String> args ->
  def log = new File(logs, "${name}.log")
  def cmd = [mvn, '-B', '-s', settings.absolutePath, "-Dmaven.repo.local=${repo.absolutePath}".toString()] + args
  def p = new ProcessBuilder(cmd).directory(dir).redirectErrorStream(true).redirectOutput(log)
      .redirectInput(ProcessBuilder.Redirect.from(new File('/dev/null'))).start()
  if (!p.waitFor(600, TimeUnit.SECONDS)) {
    p.destroyForcibly()
    assert false: "${cmd.join(' ')} did not end within 600 s (log: ${log})"
  }
  return [rc: p.exitValue(), out: log.text, tail: log.readLines().takeRight(30).join('\n') + "\n(all of it: ${log})"]
}

def copyTree = { File from, File to ->
  from.eachFileRecurse { f ->
    def dest = new File(to, from.toPath().relativize(f.toPath()).toString())
    if (f.isDirectory()) {
      dest.mkdirs()
    } else {
      dest.parentFile.mkdirs()
      Files.copy(f.toPath(), dest.toPath(), StandardCopyOption.REPLACE_EXISTING)
    }
  }
}

// The local repository of a user who has built the engine: the engine and the parent pom as invoker:install put
// them (copies, not links: the install below writes into this repository), no plugin, no group metadata.
def invokerRepo = new File(localRepositoryPath.toString())
['umoci-engine', 'umoci-parent'].each { copyTree(new File(invokerRepo, "dev/umoci/${it}"), new File(repo, "dev/umoci/${it}")) }
def groupMetadata = new File(repo, 'dev/umoci/maven-metadata-local.xml')
assert !groupMetadata.exists()

// `mvn install` of the plugin module, from a copy of its sources (the outer build's target/ is left alone).
def source = new File(target, 'source')
Files.copy(new File(repoRoot, 'pom.xml').toPath(), new File(source.with { mkdirs(); it }, 'pom.xml').toPath(),
           StandardCopyOption.REPLACE_EXISTING)
def module = new File(source, 'umoci-maven-plugin')
module.mkdirs()
Files.copy(new File(repoRoot, 'umoci-maven-plugin/pom.xml').toPath(), new File(module, 'pom.xml').toPath(),
           StandardCopyOption.REPLACE_EXISTING)
copyTree(new File(repoRoot, 'umoci-maven-plugin/src'), new File(module, 'src'))
copyTree(new File(repoRoot, '.mvn'), new File(source, '.mvn'))
def install = maven('install', module, ['install', '-DskipTests', '-Dspotless.check.skip=true'])
assert install.rc == 0: "mvn install of umoci-maven-plugin failed:\n${install.tail}"

// What the install wrote: the group's plugin-prefix metadata, umoci -> umoci-maven-plugin.
assert groupMetadata.isFile(): "mvn install wrote no ${groupMetadata}:\n${install.tail}"
def metadata = new XmlSlurper().parse(groupMetadata)
assert metadata.plugins.plugin.find { it.prefix.text() == 'umoci' }.artifactId.text() == 'umoci-maven-plugin'
assert new File(repo, "dev/umoci/umoci-maven-plugin/${pluginVersion}/umoci-maven-plugin-${pluginVersion}.jar").isFile()

// By prefix alone: in a directory with no pom ...
def noPom = new File(target, 'no-pom')
noPom.mkdirs()
def help = maven('help-no-pom', noPom, ['umoci:help'])
assert help.rc == 0: "umoci:help in a directory with no pom failed:\n${help.tail}"
['build', 'push', 'unpack', 'repack'].each { assert help.out.contains("umoci:${it}"): it }

// ... and in this project, which does not declare the plugin.
def detail = maven('help-project', basedir, ['umoci:help', '-Ddetail', '-Dgoal=push'])
assert detail.rc == 0: "umoci:help -Ddetail -Dgoal=push in a project without the plugin failed:\n${detail.tail}"
assert detail.out.contains('umoci:push')
assert detail.out.contains('allowInsecureRegistries')

// Without the group metadata the prefix does not resolve: the test depends on what the install wrote.
assert groupMetadata.delete()
def missing = maven('help-no-metadata', noPom, ['umoci:help'])
assert missing.rc != 0: "umoci:help resolved without ${groupMetadata}:\n${missing.tail}"
assert missing.out.contains("No plugin found for prefix 'umoci'"): missing.tail
return true
