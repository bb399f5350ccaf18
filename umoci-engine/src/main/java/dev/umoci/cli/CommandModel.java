package dev.umoci.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Builds the CLI's picocli model in code, with picocli's programmatic API, instead of letting
 * picocli read it from annotations. Reading an annotation makes the JDK generate a proxy class for
 * it, and a JDK's AOT cache (Java 24+) cannot keep generated proxies, so the annotated model cost
 * every start 8-9 generated classes (docs/performance.md, start-up). The model is the same one the
 * annotations described ({@code CliGoldenTest} compares every attribute and every help text).
 *
 * <p>Each command declares its own model once, in field initialisers: {@link #command} for the
 * command itself, then its options and positional parameters in the order its help lists them, each
 * made by {@link #flag}, {@link #option}, {@link #options}, {@link #path} or {@link #positional}
 * and added with {@link Arg#on}, which returns the {@link Value} picocli sets while parsing and the
 * command reads when it runs. A shared group of options (a "mixin": {@code --image}, {@code --tag},
 * ...) is a class that adds its options to a model of its own made by {@link #group}, and that its
 * constructor adds to the command with {@link #addGroup}.
 */
final class CommandModel {
  private final CommandSpec spec;

  private CommandModel(CommandSpec spec) {
    this.spec = spec;
  }

  /**
   * Starts the model of {@code command} (a {@link Runnable} or {@link
   * java.util.concurrent.Callable} that picocli runs when the command is chosen) called {@code
   * name}.
   */
  static CommandModel command(Object command, String name) {
    return new CommandModel(CommandSpec.wrapWithoutInspection(command).name(name));
  }

  /** Other names of the command. */
  CommandModel aliases(String... aliases) {
    spec.aliases(aliases);
    return this;
  }

  /** The usage line: the first of umoci's {@code ArgsUsage} lines. */
  CommandModel synopsis(String synopsis) {
    spec.usageMessage().customSynopsis(synopsis);
    return this;
  }

  /** The one-line summary ({@code NAME:} and the command lists of the help). */
  CommandModel description(String description) {
    spec.usageMessage().description(description);
    return this;
  }

  /** The rest of umoci's {@code ArgsUsage} text, {@code %n} a newline. */
  CommandModel footer(String... lines) {
    spec.usageMessage().footer(lines);
    return this;
  }

  /** Left out of the command lists of the help (still runs). */
  CommandModel hidden() {
    spec.usageMessage().hidden(true);
    return this;
  }

  /** The label of a command with subcommands, in picocli's synopsis. */
  CommandModel subcommandLabel(String label) {
    spec.usageMessage().synopsisSubcommandLabel(label);
    return this;
  }

  /** The help width picocli wraps at. */
  CommandModel width(int width) {
    spec.usageMessage().width(width);
    return this;
  }

  /** The finished command model, to which the command's options are then added. */
  CommandSpec spec() {
    return spec;
  }

  /**
   * The model of a group of options several commands share ({@code group}, e.g. {@link
   * ImageOption}), to which the group adds its options; then {@link #addGroup} to each command.
   */
  static CommandSpec group(Object group) {
    return CommandSpec.wrapWithoutInspection(group);
  }

  /**
   * Adds the options of {@code group} to {@code command}, as a picocli mixin named after its class
   * ({@link UmociHelp} orders the help by it).
   */
  static void addGroup(CommandSpec command, CommandSpec group) {
    command.addMixin(group.userObject().getClass().getSimpleName(), group);
  }

  /**
   * A flag without a value. Its label is picocli's default for a field of that name ({@code
   * --no-history}: {@code <noHistory>}); no help shows it.
   */
  static Arg<Boolean> flag(String... names) {
    Arg<Boolean> arg =
        new Arg<>(OptionSpec.builder(names).type(boolean.class), Boolean.FALSE)
            .label("<" + camelCase(longest(names)) + ">");
    return arg;
  }

  /** A boolean option whose value may be given ({@code --tls-verify=false}) or left out. */
  static Arg<Boolean> optionalBoolean(String... names) {
    return new Arg<>(OptionSpec.builder(names).type(boolean.class).arity("0..1"), Boolean.FALSE);
  }

  /** An option with one text value; the last one given wins. */
  static Arg<String> option(String... names) {
    return new Arg<>(OptionSpec.builder(names).type(String.class), null);
  }

  /** An option with one path value (picocli's converter for {@link Path}, see {@link Main}). */
  static Arg<Path> path(String... names) {
    return new Arg<>(OptionSpec.builder(names).type(Path.class), null);
  }

  /** A repeatable option with text values, in the order given; null when never given. */
  static Arg<List<String>> options(String... names) {
    return new Arg<>(OptionSpec.builder(names).type(List.class).auxiliaryTypes(String.class), null);
  }

  /**
   * A positional parameter with one text value at {@code index}, required (as picocli makes a
   * single-valued annotated one; its builder would not).
   */
  static Arg<String> positional(String index) {
    return new Arg<>(
        PositionalParamSpec.builder().index(index).type(String.class).required(true), null);
  }

  /** A required positional parameter with one path value at {@code index}. */
  static Arg<Path> positionalPath(String index) {
    return new Arg<>(
        PositionalParamSpec.builder().index(index).type(Path.class).required(true), null);
  }

  /** The positional parameters at {@code index} (a range), as text. */
  static Arg<List<String>> positionals(String index) {
    return new Arg<>(
        PositionalParamSpec.builder().index(index).type(List.class).auxiliaryTypes(String.class),
        null);
  }

  private static String longest(String[] names) {
    String longest = names[0];
    for (String name : names) {
      if (name.length() > longest.length()) {
        longest = name;
      }
    }
    return longest;
  }

  /** {@code --no-mask-volumes} as a Java field name: {@code noMaskVolumes}. */
  static String camelCase(String option) {
    String name = option.replaceFirst("^--?", "");
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : name.toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  /**
   * One option or positional parameter being declared; {@link #on} adds it to a command.
   *
   * @param <T> the type of its value
   */
  static final class Arg<T> {
    // one of the two (picocli's common builder type is not public)
    private final OptionSpec.Builder option;
    private final PositionalParamSpec.Builder positional;
    private final Value<T> value;

    private Arg(OptionSpec.Builder option, T initial) {
      this.option = option;
      this.positional = null;
      this.value = new Value<>(initial);
    }

    private Arg(PositionalParamSpec.Builder positional, T initial) {
      this.option = null;
      this.positional = positional;
      this.value = new Value<>(initial);
    }

    /** The placeholder for its value in help and messages. */
    Arg<T> label(String label) {
      if (option != null) {
        option.paramLabel(label);
      } else {
        positional.paramLabel(label);
      }
      return this;
    }

    /** Its one-line description in the help. */
    Arg<T> description(String description) {
      if (option != null) {
        option.description(description);
      } else {
        positional.description(description);
      }
      return this;
    }

    /** It asks for the command's help (an option). */
    Arg<T> usageHelp() {
      option.usageHelp(true);
      return this;
    }

    /** It asks for the version (an option). */
    Arg<T> versionHelp() {
      option.versionHelp(true);
      return this;
    }

    /** The command fails (missing mandatory argument) without it. */
    Arg<T> required() {
      if (option != null) {
        option.required(true);
      } else {
        positional.required(true);
      }
      return this;
    }

    /** The text its value is converted from when it is not given. */
    Arg<T> defaultValue(String text) {
      if (option != null) {
        option.defaultValue(text);
      } else {
        positional.defaultValue(text);
      }
      return this;
    }

    /**
     * Its value (a boolean) is read as Go's {@code strconv.ParseBool} reads it ({@link GoBoolean}):
     * {@code --flag=1}, {@code --flag=F}.
     */
    Arg<T> goBoolean() {
      option.converters(GoBoolean.INSTANCE);
      return this;
    }

    /** The text its value is converted from when it is given without one (arity 0..1). */
    Arg<T> fallbackValue(String text) {
      option.fallbackValue(text);
      return this;
    }

    /** How many values it takes, in picocli's notation ({@code 1}, {@code 0..*}). */
    Arg<T> arity(String arity) {
      if (option != null) {
        option.arity(arity);
      } else {
        positional.arity(arity);
      }
      return this;
    }

    /** Its value before parsing, when not null (a repeatable option's empty list, say). */
    Arg<T> initially(T initial) {
      value.value = initial;
      return this;
    }

    /** Adds it to {@code spec}; returns where its parsed value is. */
    Value<T> on(CommandSpec spec) {
      if (option != null) {
        option.getter(value).setter(value).initialValue(value.value).hasInitialValue(true);
        spec.addOption(option.build());
      } else {
        positional.getter(value).setter(value).initialValue(value.value).hasInitialValue(true);
        spec.addPositional(positional.build());
      }
      return value;
    }
  }

  /**
   * The value of one option or positional parameter: set by picocli while it parses the command
   * line (to its initial value, then to the default or given value), read by the command.
   *
   * @param <T> the type of the value
   */
  static final class Value<T> implements IGetter, ISetter {
    private T value;

    private Value(T initial) {
      this.value = initial;
    }

    /** The parsed value (the initial one when not given and without a default). */
    T value() {
      return value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> R get() {
      return (R) value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> R set(R newValue) {
      R old = (R) value;
      value = (T) newValue;
      return old;
    }
  }
}
