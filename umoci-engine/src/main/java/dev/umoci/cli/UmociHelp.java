package dev.umoci.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Help text in the layout umoci 0.6 prints (urfave/cli v1's templates): {@code NAME:}, {@code
 * USAGE:}, {@code CATEGORY:}, {@code COMMANDS:}, {@code OPTIONS:} sections, each body indented by
 * three spaces, flags shown as {@code --name value} with the columns aligned as Go's tabwriter
 * (padding 2) aligns them. Rendered from the picocli model: a command's {@code customSynopsis} is
 * umoci's first {@code ArgsUsage} line, its footer the rest of it; its category is {@code image}
 * when it takes {@code --image}, {@code layout} when it takes {@code --layout}.
 */
final class UmociHelp {
  private UmociHelp() {}

  /** {@code umoci help}: the application's help. */
  static String app(CommandLine root) {
    StringBuilder out = new StringBuilder();
    CommandSpec spec = root.getCommandSpec();
    out.append("NAME:\n   umoci - ").append(usage(spec)).append("\n\n");
    out.append("USAGE:\n   umoci [global options] command [command options] [arguments...]\n\n");
    out.append("VERSION:\n   ").append(VersionProvider.version()).append("\n\n");
    out.append("COMMANDS:");
    commands(out, root, "   ");
    out.append("\n\nGLOBAL OPTIONS:\n");
    List<String[]> rows = new ArrayList<>();
    for (OptionSpec option : spec.options()) {
      if (!option.hidden()) {
        rows.add(new String[] {"   " + flagNames(option), flagUsage(option)});
      }
    }
    table(out, rows);
    return out.toString();
  }

  /**
   * {@code umoci <command> --help} and {@code umoci help <command>}: a command's help, or for a
   * command with subcommands ({@code raw}) the subcommand listing.
   */
  static String command(CommandLine command) {
    CommandSpec spec = command.getCommandSpec();
    StringBuilder out = new StringBuilder();
    boolean group = !command.getSubcommands().isEmpty();
    out.append("NAME:\n   ")
        .append(spec.qualifiedName())
        .append(" - ")
        .append(usage(spec))
        .append("\n\n");
    out.append("USAGE:\n   ").append(spec.qualifiedName());
    out.append(group ? " command [command options] " : " [command options] ");
    out.append(argsUsage(spec));
    if (group) {
      out.append("\n\nCOMMANDS:");
      commands(out, command, "   ");
      out.append("\n\nOPTIONS:\n");
      table(out, List.of(new String[] {"   --help, -h", "show help"}, new String[] {"   "}));
      return out.toString();
    }
    String category = category(spec);
    if (!category.isEmpty()) {
      out.append("\n\nCATEGORY:\n   ").append(category);
    }
    out.append("\n\nOPTIONS:\n");
    List<String[]> rows = new ArrayList<>();
    for (OptionSpec option : inUmociOrder(spec)) {
      if (!option.hidden() && !option.usageHelp()) {
        rows.add(new String[] {"   " + flagNames(option), flagUsage(option)});
      }
    }
    rows.add(new String[] {"   "});
    table(out, rows);
    return out.toString();
  }

  /**
   * Options in the order umoci's help lists them: the command's own, then those its wrappers add
   * ({@code uxTag}, {@code uxHistory}, {@code uxRemap}, {@code uxCompress}), then {@code --image}
   * or {@code --layout}, which umoci adds last.
   */
  static List<OptionSpec> inUmociOrder(CommandSpec spec) {
    List<Class<?>> mixinOrder =
        List.of(
            TagOption.class,
            HistoryOption.class,
            IdMapOption.class,
            CompressOption.class,
            PlatformOption.class,
            ImageOption.class,
            LayoutOption.class);
    Map<OptionSpec, Integer> rank = new java.util.HashMap<>();
    for (CommandSpec mixin : spec.mixins().values()) {
      int index = mixinOrder.indexOf(mixin.userObject().getClass());
      for (OptionSpec option : mixin.options()) {
        rank.put(option, index < 0 ? mixinOrder.size() : index + 1);
      }
    }
    // the command holds its own copies of the mixins' options: match them by name
    List<OptionSpec> options = new ArrayList<>(spec.options());
    Map<String, Integer> rankByName = new java.util.HashMap<>();
    rank.forEach((option, r) -> rankByName.put(option.longestName(), r));
    options.sort(
        java.util.Comparator.comparingInt(o -> rankByName.getOrDefault(o.longestName(), 0)));
    return options;
  }

  /** The usage line of a command: the first line of its picocli description. */
  static String usage(CommandSpec spec) {
    String[] description = spec.usageMessage().description();
    return description.length == 0 ? "" : description[0];
  }

  /** umoci's {@code ArgsUsage}: the synopsis line, then the footer's explanation. */
  private static String argsUsage(CommandSpec spec) {
    StringBuilder text = new StringBuilder(String.join("\n", spec.usageMessage().customSynopsis()));
    for (String line : spec.usageMessage().footer()) {
      text.append('\n').append(line.replace("%n", "\n"));
    }
    return text.toString().stripTrailing();
  }

  /** {@code image}, {@code layout} or none, as umoci's {@code Category} field. */
  static String category(CommandSpec spec) {
    if (spec.findOption("--image") != null) {
      return "image";
    }
    if (spec.findOption("--layout") != null) {
      return "layout";
    }
    return "";
  }

  /**
   * The visible subcommands of {@code parent} grouped by category, uncategorised first and then by
   * category name, each group in the parent's command order; {@code help} comes last among the
   * uncategorised ones as urfave/cli appends it.
   */
  private static void commands(StringBuilder out, CommandLine parent, String indent) {
    Map<String, List<String[]>> byCategory = new LinkedHashMap<>();
    byCategory.put("", new ArrayList<>());
    List<String> seen = new ArrayList<>();
    for (CommandLine sub : parent.getSubcommands().values()) {
      CommandSpec spec = sub.getCommandSpec();
      if (seen.contains(spec.name()) || spec.usageMessage().hidden()) {
        continue;
      }
      seen.add(spec.name());
      String names = String.join(", ", spec.names());
      String category = sub.getSubcommands().isEmpty() ? category(spec) : "";
      if (parent.getParent() != null) {
        category = "image"; // umoci's raw subcommands are all in the image category
      }
      byCategory.computeIfAbsent(category, c -> new ArrayList<>());
      byCategory.get(category).add(new String[] {names, usage(spec)});
    }
    List<String> categories = new ArrayList<>(byCategory.keySet());
    java.util.Collections.sort(categories);
    for (String category : categories) {
      List<String[]> commands = byCategory.get(category);
      if (commands.isEmpty()) {
        continue;
      }
      List<String[]> rows = new ArrayList<>();
      String prefix = indent;
      if (!category.isEmpty()) {
        out.append("\n\n").append(indent).append(category).append(':');
        prefix = indent + "  ";
      }
      for (String[] command : commands) {
        rows.add(new String[] {prefix + command[0], command[1]});
      }
      out.append('\n');
      StringBuilder block = new StringBuilder();
      table(block, rows);
      out.append(block, 0, block.length() - 1); // the section's caller places the newlines
    }
  }

  /**
   * urfave/cli's flag names: each name with {@code -} (one letter) or {@code --}, in the order
   * declared (umoci's {@code "manifest,f,file"} order), each followed by the placeholder {@code
   * value} when the flag takes one.
   */
  static String flagNames(OptionSpec option) {
    boolean takesValue = option.arity().max() > 0 && !option.usageHelp() && !option.versionHelp();
    StringBuilder out = new StringBuilder();
    for (String name : option.names()) {
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(name);
      if (takesValue) {
        out.append(" value");
      }
    }
    return out.toString();
  }

  /** The description, then {@code (default: "x")} for a flag with a non-empty default. */
  static String flagUsage(OptionSpec option) {
    String[] description = option.description();
    String usage = description.length == 0 ? "" : description[0];
    String defaultValue = option.defaultValue();
    if (defaultValue != null && !defaultValue.isEmpty() && option.arity().max() > 0) {
      usage += " (default: \"" + defaultValue + "\")";
    }
    return usage.strip();
  }

  /**
   * Rows as Go's {@code tabwriter.NewWriter(w, 1, 8, 2, ' ', 0)} writes them: every cell but a
   * row's last is padded to its column's widest cell plus two; a row of one cell ends the block.
   */
  static void table(StringBuilder out, List<String[]> rows) {
    int start = 0;
    while (start < rows.size()) {
      int end = start;
      int width = 0;
      while (end < rows.size() && rows.get(end).length > 1) {
        width = Math.max(width, rows.get(end)[0].length() + 2);
        end++;
      }
      for (int i = start; i < end; i++) {
        String[] row = rows.get(i);
        out.append(row[0]).append(" ".repeat(width - row[0].length())).append(row[1]).append('\n');
      }
      if (end < rows.size()) {
        out.append(rows.get(end)[0]).append('\n');
        end++;
      }
      start = end;
    }
  }
}
