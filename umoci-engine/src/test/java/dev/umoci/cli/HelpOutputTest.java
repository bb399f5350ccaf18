package dev.umoci.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.testing.CliRunner;
import dev.umoci.testing.CliRunner.Result;
import dev.umoci.testing.ExternalTool;
import dev.umoci.testing.Interop;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Help, usage errors, exit codes and {@code --version} as umoci 0.6 prints them (urfave/cli v1.22's
 * templates and error paths, cmd/umoci/main.go). Where Debian's umoci 0.4.7 prints the same (its
 * commands' flags did not change for stat, unpack and raw unpack), the output is compared with it
 * byte for byte.
 */
class HelpOutputTest {
  @TempDir Path tmp;

  /** Our one extension in these commands' help (umoci 0.6 has no index support). */
  static final String PLATFORM_LINE =
      "   --platform value  in an image index, use the manifest for this platform"
          + " (os/arch[/variant]; default: the host's)\n";

  static final String STAT_HELP =
      "NAME:\n"
          + "   umoci stat - displays status information of an image manifest\n"
          + "\n"
          + "USAGE:\n"
          + "   umoci stat [command options] --image <image-path>[:<tag>]\n"
          + "\n"
          + "Where \"<image-path>\" is the path to the OCI image, and \"<tag>\" is the name of\n"
          + "the tagged image to stat.\n"
          + "\n"
          + "WARNING: Do not depend on the output of this tool unless you're using --json.\n"
          + "The intention of the default formatting of this tool is that it is easy for\n"
          + "humans to read, and might change in future versions.\n"
          + "\n"
          + "CATEGORY:\n"
          + "   image\n"
          + "\n"
          + "OPTIONS:\n"
          + "   --json            output the stat information as a JSON encoded blob\n"
          + PLATFORM_LINE
          + "   --image value     OCI image URI of the form 'path[:tag]'\n"
          + "   \n";

  @Test
  void commandHelpHasUmocisSections() {
    Result r = CliRunner.run("stat", "--help");
    assertEquals(0, r.exitCode());
    assertEquals(STAT_HELP, r.stdout());
    assertEquals("", r.stderr());
    assertEquals(STAT_HELP, CliRunner.run("stat", "-h").assertSuccess().stdout());
    assertEquals(STAT_HELP, CliRunner.run("help", "stat").assertSuccess().stdout());
    assertEquals(STAT_HELP, CliRunner.run("h", "stat").assertSuccess().stdout());
  }

  @Test
  void appHelpListsCommandsByCategory() {
    String expected =
        "NAME:\n"
            + "   umoci - umoci modifies Open Container images\n"
            + "\n"
            + "USAGE:\n"
            + "   umoci [global options] command [command options] [arguments...]\n"
            + "\n"
            + "VERSION:\n"
            + "   "
            + VersionProvider.version()
            + "\n"
            + "\n"
            + "COMMANDS:\n"
            + "   raw      advanced internal image tooling\n"
            + "   copy     copies an image between registries and OCI layouts (skopeo's syntax)\n"
            + "   help, h  Shows a list of commands or help for one command\n"
            + "\n"
            + "   image:\n"
            + "     config      modifies the image configuration of an OCI image\n"
            + "     unpack      unpacks a reference into an OCI runtime bundle\n"
            + "     repack      repacks an OCI runtime bundle into a reference\n"
            + "     new         creates a blank tagged OCI image\n"
            + "     tag         creates a new tag in an OCI image\n"
            + "     remove, rm  removes a tag from an OCI image\n"
            + "     stat        displays status information of an image manifest\n"
            + "     insert      insert content into an OCI image\n"
            + "\n"
            + "   layout:\n"
            + "     gc        garbage-collects an OCI image's blobs\n"
            + "     init      create a new OCI layout\n"
            + "     list, ls  lists the set of tags in an OCI layout\n"
            + "\n"
            + "GLOBAL OPTIONS:\n"
            + "   --verbose      alias for --log=info\n"
            + "   --log value    set the log level (debug, info, [warn], error, fatal)"
            + " (default: \"warn\")\n"
            + "   --help, -h     show help\n"
            + "   --version, -v  print the version\n";
    for (String[] args :
        new String[][] {{"help"}, {"h"}, {"--help"}, {"-h"}, {}, {"--help", "ls"}}) {
      Result r = CliRunner.run(args);
      assertEquals(0, r.exitCode(), String.join(" ", args));
      assertEquals(expected, r.stdout(), String.join(" ", args));
      assertEquals("", r.stderr());
    }
  }

  @Test
  void rawHelpListsItsCommands() {
    String expected =
        "NAME:\n"
            + "   umoci raw - advanced internal image tooling\n"
            + "\n"
            + "USAGE:\n"
            + "   umoci raw command [command options] raw <command> [<args>...]\n"
            + "\n"
            + "In order to facilitate more advanced uses of umoci, the umoci-raw(1)\n"
            + "subcommands allow for more fine-grained information to be provided from umoci.\n"
            + "Please do not use these commands if you are not familiar with the intricacies\n"
            + "of the OCI specifications. The top-level umoci-unpack(1) and similar commands\n"
            + "should be sufficient for most use-cases.\n"
            + "\n"
            + "COMMANDS:\n"
            + "\n"
            + "   image:\n"
            + "     add-layer               add a layer archive verbatim to an image\n"
            + "     runtime-config, config  generates an OCI runtime configuration for an image\n"
            + "     unpack                  unpacks a reference into a rootfs\n"
            + "\n"
            + "OPTIONS:\n"
            + "   --help, -h  show help\n"
            + "   \n";
    assertEquals(expected, CliRunner.run("raw", "--help").assertSuccess().stdout());
    assertEquals(expected, CliRunner.run("raw").assertSuccess().stdout());
  }

  @Test
  void flagsWithValuesDefaultsAndAliases() {
    String config = CliRunner.run("config", "--help").assertSuccess().stdout();
    assertTrue(
        config.contains("\n   --platform.os value, --os value              set the platform OS\n"),
        config);
    assertTrue(config.contains("\n   --no-history                                 do not"), config);
    assertTrue(config.endsWith("OCI image URI of the form 'path[:tag]'\n   \n"), config);
    String repack = CliRunner.run("repack", "--help").assertSuccess().stdout();
    assertTrue(
        repack.contains(
            "--compress value            compression algorithm for newly created layer blobs"
                + " (default: \"auto\")\n"),
        repack);
  }

  @Test
  void unknownFlagIsThatFlagWithTheCommandsHelp() {
    for (String[] args :
        new String[][] {
          {"stat", "--bogus-flag", "x"},
          {"stat", "--bogus-flag=x", "--image"},
          {"stat", "--image", "img:t", "-bogus-flag"}
        }) {
      Result r = CliRunner.run(args);
      assertEquals(1, r.exitCode());
      assertEquals(
          "Incorrect Usage: flag provided but not defined: -bogus-flag\n\n" + STAT_HELP,
          r.stdout(),
          String.join(" ", args));
      assertEquals("umoci: flag provided but not defined: -bogus-flag\n", r.stderr());
    }
    Result global = CliRunner.run("--bogus", "stat");
    assertEquals(1, global.exitCode());
    assertTrue(
        global
            .stdout()
            .startsWith(
                "Incorrect Usage. flag provided but not defined: -bogus\n\nNAME:\n   umoci - "),
        global.stdout());
    assertEquals("umoci: flag provided but not defined: -bogus\n", global.stderr());
    Result noValue = CliRunner.run("stat", "--image");
    assertEquals(1, noValue.exitCode());
    assertEquals(
        "Incorrect Usage: flag needs an argument: -image\n\n" + STAT_HELP, noValue.stdout());
    assertEquals("umoci: flag needs an argument: -image\n", noValue.stderr());
  }

  @Test
  void unknownCommandOrTopicExitsThree() {
    for (String[] args : new String[][] {{"bogus"}, {"help", "bogus"}, {"raw", "bogus"}}) {
      Result r = CliRunner.run(args);
      assertEquals(3, r.exitCode(), String.join(" ", args));
      assertEquals("", r.stdout());
      assertEquals("No help topic for 'bogus'\n", r.stderr());
    }
  }

  @Test
  void versionStartsWithUmociVersion() {
    Result r = CliRunner.run("--version");
    assertEquals(0, r.exitCode());
    assertEquals(
        "umoci version "
            + VersionProvider.version()
            + "\nimage spec: 1.1.1\nruntime spec: 1.2.1\njava: "
            + System.getProperty("java.version")
            + "\n",
        r.stdout());
    assertEquals(r.stdout(), CliRunner.run("-v").assertSuccess().stdout());
  }

  @Test
  void permissionErrorsSuggestRootless() {
    String img = tmp.resolve("img").toString();
    CliRunner.run("init", "--layout", img).assertSuccess();
    CliRunner.run("new", "--image", img + ":t").assertSuccess();
    // sysfs refuses mkdir to everyone, root included (EPERM)
    Result r = CliRunner.run("unpack", "--image", img + ":t", "/sys/umoci-java-test-bundle");
    assertEquals(1, r.exitCode());
    String[] lines = r.stderr().split("\n");
    assertEquals(2, lines.length, r.stderr());
    assertEquals(
        "[WARN] umoci encountered a permission error: maybe --rootless will help?", lines[0]);
    assertTrue(lines[1].startsWith("umoci: "), lines[1]);
    Result quiet =
        CliRunner.run(
            "--log", "error", "unpack", "--image", img + ":t", "/sys/umoci-java-test-bundle");
    assertEquals(1, quiet.stderr().split("\n").length, quiet.stderr());
  }

  @Test
  void sameHelpAsDebianUmoci() throws Exception {
    Interop.requireTool("/usr/bin/umoci");
    for (String[] args :
        new String[][] {{"stat", "--help"}, {"unpack", "--help"}, {"raw", "unpack", "--help"}}) {
      String[] command = new String[args.length + 1];
      command[0] = "/usr/bin/umoci";
      System.arraycopy(args, 0, command, 1, args.length);
      ExternalTool.Result theirs = ExternalTool.run(command);
      assertEquals(0, theirs.exitCode());
      // the same but for the lines of our extensions (--platform, --max-layer-*) and the padding
      // they widen
      assertEquals(
          theirs.stdout().replaceAll("(?m)^(   --\\S+(?: value)?) +", "$1 "),
          CliRunner.run(args)
              .assertSuccess()
              .stdout()
              .replaceAll("(?m)^   --(platform|max-layer-size|max-layer-entries) value .*\n", "")
              .replaceAll("(?m)^(   --\\S+(?: value)?) +", "$1 "));
    }
    ExternalTool.Result theirs = ExternalTool.run("/usr/bin/umoci", "bogus");
    Result ours = CliRunner.run("bogus");
    assertEquals(theirs.exitCode(), ours.exitCode());
    assertEquals(theirs.stderr(), ours.stderr());
    ExternalTool.Result unknownFlag =
        ExternalTool.run("/usr/bin/umoci", "stat", "--bogus-flag", "x");
    assertEquals(unknownFlag.exitCode(), CliRunner.run("stat", "--bogus-flag", "x").exitCode());
    assertTrue(
        unknownFlag
            .stdout()
            .startsWith("Incorrect Usage: flag provided but not defined: -bogus-flag\n\nNAME:\n"),
        unknownFlag.stdout());
  }
}
