package dev.umoci.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.umoci.testing.CliRunner;
import dev.umoci.testing.CliRunner.Result;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The CLI's whole surface against a record made before its picocli model stopped coming from
 * annotations ({@code cli-golden/model.txt} and {@code cli-golden/runs.txt}, captured from the
 * annotated model of commit dce2c1c): every attribute of every command, option and positional
 * parameter picocli parses or {@link UmociHelp} renders, and the exit status, stdout and stderr of
 * the help of every command and subcommand (each way of asking for it), {@code --version}, an
 * unknown flag and each option without its value for every command, missing mandatory options,
 * wrong positional counts, unknown commands and topics, and bad log levels. Any difference fails.
 *
 * <p>To re-record after an intended change of the CLI, run this test with {@code
 * -Dumoci.cli.golden.write=<dir>} (the directory of the resources) and review the diff.
 */
class CliGoldenTest {
  private static final String WRITE = System.getProperty("umoci.cli.golden.write");

  @Test
  void modelIsAsRecorded() throws IOException {
    check("model.txt", describe(fullModel()));
  }

  @Test
  void outputOfEveryHelpAndUsageErrorIsAsRecorded() throws IOException {
    StringBuilder out = new StringBuilder();
    for (List<String> argv : cases(fullModel())) {
      Result r = CliRunner.run(argv.toArray(String[]::new));
      out.append("=== ").append(String.join(" ", argv)).append('\n');
      out.append("exit ").append(r.exitCode()).append('\n');
      out.append("--- stdout\n").append(normalise(r.stdout()));
      out.append("--- stderr\n").append(normalise(r.stderr()));
    }
    check("runs.txt", out.toString());
  }

  /** Every command and subcommand, as {@code umoci} with no arguments models them. */
  private static CommandLine fullModel() {
    return Main.build(new UmociCommand(Map.of()), new String[0]);
  }

  /** The version line names the JVM running the test. */
  private static String normalise(String text) {
    return text.replace("java: " + System.getProperty("java.version"), "java: <java.version>");
  }

  private static List<List<String>> cases(CommandLine root) {
    List<List<String>> cases = new ArrayList<>();
    for (String[] top :
        new String[][] {
          {},
          {"--help"},
          {"-h"},
          {"--version"},
          {"-v"},
          {"help"},
          {"h"},
          {"--help", "stat"},
          {"frob"},
          {"help", "frob"},
          {"help", "help"},
          {"raw", "frob"},
          {"help", "raw", "frob"},
          {"--bogus"},
          {"--log"},
          {"--log", "bogus", "ls", "--layout", "/nonexistent/l"},
          {"--log=warning", "--verbose", "ls", "--layout", "/nonexistent/l"},
          {"--verbose", "--log", "info", "ls", "--layout", "/nonexistent/l"},
          {"tag", "--image", "/nonexistent/l:a"},
          {"tag", "--image", "/nonexistent/l:a", "b", "c"},
          {"ls", "--layout", "/nonexistent/l", "extra"},
          {"unpack", "--image", "/nonexistent/l:a"},
          {"stat", "--image", "/nonexistent/l:a", "--json", "--bogus", "x"},
          {"config", "--image", "/nonexistent/l:a", "--config.cmd", "-c"},
        }) {
      cases.add(List.of(top));
    }
    for (CommandLine command : commands(root)) {
      if (command == root) {
        continue;
      }
      List<String> path = path(command);
      cases.add(concat(path, "--help"));
      cases.add(concat(path, "-h"));
      cases.add(concat(concat(List.of("help"), path.toArray(String[]::new)), new String[0]));
      cases.add(path);
      cases.add(concat(path, "--bogus"));
      cases.add(concat(path, "-x=1"));
      for (OptionSpec option : command.getCommandSpec().options()) {
        if (option.arity().max() > 0) {
          cases.add(concat(path, option.longestName()));
        }
      }
    }
    return cases;
  }

  private static List<String> path(CommandLine command) {
    List<String> path = new ArrayList<>();
    for (CommandLine c = command; c.getParent() != null; c = c.getParent()) {
      path.add(0, c.getCommandName());
    }
    return path;
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(Arrays.asList(tail));
    return all;
  }

  /** The root and every subcommand below it, each once, depth first in declaration order. */
  private static List<CommandLine> commands(CommandLine cl) {
    List<CommandLine> all = new ArrayList<>();
    all.add(cl);
    List<CommandLine> seen = new ArrayList<>();
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (!seen.contains(sub)) {
        seen.add(sub);
        all.addAll(commands(sub));
      }
    }
    return all;
  }

  private static String describe(CommandLine root) {
    StringBuilder out = new StringBuilder();
    CommandLine.Model.ParserSpec parser = root.getCommandSpec().parser();
    out.append("parser allowOptionsAsOptionParameters=")
        .append(parser.allowOptionsAsOptionParameters())
        .append(" unmatchedOptionsAllowedAsOptionParameters=")
        .append(parser.unmatchedOptionsAllowedAsOptionParameters())
        .append(" overwrittenOptionsAllowed=")
        .append(parser.overwrittenOptionsAllowed())
        .append(" caseInsensitiveEnumValuesAllowed=")
        .append(parser.caseInsensitiveEnumValuesAllowed())
        .append(" posixClusteredShortOptionsAllowed=")
        .append(parser.posixClusteredShortOptionsAllowed())
        .append(" separator=")
        .append(parser.separator())
        .append(" stopAtPositional=")
        .append(parser.stopAtPositional())
        .append(" stopAtUnmatched=")
        .append(parser.stopAtUnmatched())
        .append(" unmatchedArgumentsAllowed=")
        .append(parser.unmatchedArgumentsAllowed())
        .append(" expandAtFiles=")
        .append(parser.expandAtFiles())
        .append(" endOfOptionsDelimiter=")
        .append(parser.endOfOptionsDelimiter())
        .append('\n');
    for (CommandLine command : commands(root)) {
      CommandSpec spec = command.getCommandSpec();
      out.append("\ncommand ").append(spec.qualifiedName()).append('\n');
      out.append("  class ").append(spec.userObject().getClass().getSimpleName()).append('\n');
      out.append("  names ").append(spec.names()).append('\n');
      out.append("  description ").append(lines(spec.usageMessage().description())).append('\n');
      out.append("  customSynopsis ")
          .append(lines(spec.usageMessage().customSynopsis()))
          .append('\n');
      out.append("  footer ").append(lines(spec.usageMessage().footer())).append('\n');
      out.append("  header ").append(lines(spec.usageMessage().header())).append('\n');
      out.append("  hidden ").append(spec.usageMessage().hidden()).append('\n');
      out.append("  width ").append(spec.usageMessage().width()).append('\n');
      out.append("  synopsisSubcommandLabel ")
          .append(spec.usageMessage().synopsisSubcommandLabel())
          .append('\n');
      out.append("  subcommands ").append(command.getSubcommands().keySet()).append('\n');
      out.append("  mixins");
      for (Map.Entry<String, CommandSpec> mixin : spec.mixins().entrySet()) {
        out.append(' ')
            .append(mixin.getValue().userObject().getClass().getSimpleName())
            .append(
                mixin.getValue().options().stream()
                    .map(OptionSpec::longestName)
                    .collect(Collectors.toList()));
      }
      out.append('\n');
      for (OptionSpec option : spec.options()) {
        out.append("  option ").append(Arrays.toString(option.names())).append('\n');
        arg(out, option);
        out.append("    usageHelp=")
            .append(option.usageHelp())
            .append(" versionHelp=")
            .append(option.versionHelp())
            .append(" negatable=")
            .append(option.negatable())
            .append(" order=")
            .append(option.order())
            .append(" fallbackValue=")
            .append(option.fallbackValue())
            .append('\n');
      }
      for (PositionalParamSpec positional : spec.positionalParameters()) {
        out.append("  positional ").append(positional.index()).append('\n');
        arg(out, positional);
      }
    }
    return out.toString();
  }

  private static void arg(StringBuilder out, ArgSpec arg) {
    out.append("    paramLabel=")
        .append(arg.paramLabel())
        .append(" arity=")
        .append(arg.arity())
        .append(" type=")
        .append(arg.type().getName())
        .append(" auxiliaryTypes=")
        .append(
            Arrays.stream(arg.auxiliaryTypes()).map(Class::getName).collect(Collectors.toList()))
        .append(" required=")
        .append(arg.required())
        .append(" hidden=")
        .append(arg.hidden())
        .append(" defaultValue=")
        .append(arg.defaultValue())
        .append(" initialValue=")
        .append(Objects.toString(arg.initialValue()))
        .append(" split=")
        .append(arg.splitRegex())
        .append(" interactive=")
        .append(arg.interactive())
        .append(" inherited=")
        .append(arg.inherited())
        .append(" scope=")
        .append(arg.scopeType())
        .append('\n');
    out.append("    description ").append(lines(arg.description())).append('\n');
  }

  private static String lines(String[] lines) {
    return Arrays.stream(lines).map(l -> "\"" + l + "\"").collect(Collectors.joining(" "));
  }

  private static void check(String name, String actual) throws IOException {
    if (WRITE != null) {
      Files.writeString(Path.of(WRITE, name), actual, StandardCharsets.UTF_8);
      return;
    }
    String expected;
    try (InputStream in = CliGoldenTest.class.getResourceAsStream("cli-golden/" + name)) {
      expected =
          new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
    }
    assertEquals(expected, actual, name);
  }
}
