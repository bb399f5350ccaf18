package dev.umoci.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.testing.CliRunner;
import dev.umoci.testing.CliRunner.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up models only the command named on the line; nothing a user sees may change. */
class CommandSelectionTest {
  @TempDir Path tmp;

  @Test
  void commandWordSkipsTopLevelOptions() {
    assertEquals("ls", Main.commandWord(new String[] {"ls", "--layout", "x"}));
    assertEquals("stat", Main.commandWord(new String[] {"--log", "debug", "stat", "--image", "x"}));
    assertEquals("tag", Main.commandWord(new String[] {"--log=info", "--verbose", "tag"}));
    assertNull(Main.commandWord(new String[] {}));
    assertNull(Main.commandWord(new String[] {"--log", "info"}));
    assertNull(Main.commandWord(new String[] {"--help", "ls"}));
    assertNull(Main.commandWord(new String[] {"-v"}));
  }

  @Test
  void topLevelHelpStillListsEveryCommand() {
    for (String[] args : new String[][] {{"--help"}, {"--help", "ls"}, {}}) {
      Result r = CliRunner.run(args);
      String text = r.stdout() + r.stderr();
      for (String command :
          new String[] {
            "init", "new", "config", "tag", "list, ls", "remove, rm", "stat", "gc", "raw"
          }) {
        assertTrue(text.contains("  " + command), String.join(" ", args) + ": " + text);
      }
    }
  }

  @Test
  void namedCommandsAndAliasesRunWithTopLevelOptionsFirst() {
    String layout = tmp.resolve("l").toString();
    CliRunner.run("--log", "error", "init", "--layout", layout).assertSuccess();
    CliRunner.run("--log=error", "new", "--image", layout + ":a").assertSuccess();
    CliRunner.run("--verbose", "tag", "--image", layout + ":a", "b").assertSuccess();
    assertEquals("a\nb\n", CliRunner.run("ls", "--layout", layout).assertSuccess().stdout());
    assertEquals("a\nb\n", CliRunner.run("list", "--layout", layout).assertSuccess().stdout());
    CliRunner.run("rm", "--image", layout + ":b").assertSuccess();
    assertEquals("a\n", CliRunner.run("ls", "--layout", layout).assertSuccess().stdout());
    Result help = CliRunner.run("ls", "--help");
    assertTrue(help.stdout().contains("umoci list"), help.stdout());
  }

  @Test
  void unknownCommandsAndRawSubcommandsBehaveAsBefore() {
    Result unknown = CliRunner.run("lss");
    assertNotEquals(0, unknown.exitCode());
    assertTrue(unknown.stderr().contains("'lss'"), unknown.stderr());
    Result raw = CliRunner.run("raw", "add-layer", "--help");
    assertEquals(0, raw.exitCode(), raw.stderr());
    assertTrue(raw.stdout().contains("add-layer"), raw.stdout());
  }
}
