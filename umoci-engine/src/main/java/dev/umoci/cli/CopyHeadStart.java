package dev.umoci.cli;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.ops.CopyLocation;
import dev.umoci.registry.RegistryOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Guesses, from the raw arguments of a {@code copy} command line, the registry connection the
 * command will make first, so that {@link Main#main} can start it ({@link RegistryHeadStart}) while
 * picocli builds its model and parses (0.1-0.15 s of a pull's start on a quiet machine).
 *
 * <p>The guess is deliberately narrow: {@code copy} must be the first argument (so there are no
 * global options and the log level is picocli's default, {@link #LOG_LEVEL}), followed only by
 * {@code --all}, {@code --platform}, {@code --src-tls-verify}, {@code --dest-tls-verify} and
 * exactly two locations, of which the source (for a pull or a copy between registries) or else the
 * destination (a push) is a registry. Anything else (credentials, an auth file, a certificate
 * directory, help, an unknown option, a boolean flag followed by a separate {@code true}/{@code
 * false}) gives no guess, and the command connects as it always did. The options are made by the
 * command's own {@link CopyCommand#registryOptions}, and the command uses the head start only when
 * its parsed options are equal ({@code PendingConnection}), so a wrong guess cannot change what it
 * does.
 */
final class CopyHeadStart {
  /** The level picocli gives a command line without {@code --log} and {@code --verbose}. */
  static final String LOG_LEVEL = "warn";

  private CopyHeadStart() {}

  /** The connection a copy command line will make first. */
  record Guess(String registry, RegistryOptions options) {}

  /** The guess for {@code args}, or null. */
  static Guess guess(String[] args, Map<String, String> env) {
    if (args.length == 0 || !"copy".equals(args[0])) {
      return null;
    }
    boolean srcTlsVerify = true;
    boolean destTlsVerify = true;
    List<String> locations = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      String next = i + 1 < args.length ? args[i + 1] : null;
      if (a.equals("--all") || a.startsWith("--platform=")) {
        continue;
      }
      if (a.equals("--platform")) {
        if (next == null) {
          return null;
        }
        i++;
        continue;
      }
      if (a.equals("--src-tls-verify") || a.startsWith("--src-tls-verify=")) {
        Boolean v = flag(a, "--src-tls-verify", next);
        if (v == null) {
          return null;
        }
        srcTlsVerify = v;
        continue;
      }
      if (a.equals("--dest-tls-verify") || a.startsWith("--dest-tls-verify=")) {
        Boolean v = flag(a, "--dest-tls-verify", next);
        if (v == null) {
          return null;
        }
        destTlsVerify = v;
        continue;
      }
      if (a.startsWith("-")) {
        return null;
      }
      locations.add(a);
    }
    if (locations.size() != 2) {
      return null;
    }
    CopyLocation source;
    CopyLocation destination;
    try {
      source = CopyLocation.parse(locations.get(0), "source");
      destination = CopyLocation.parse(locations.get(1), "destination");
    } catch (InvalidArgumentException | RuntimeException e) {
      return null;
    }
    if (source instanceof CopyLocation.Registry src) {
      return new Guess(
          src.reference().registry(),
          CopyCommand.registryOptions(null, null, srcTlsVerify, null, env));
    }
    if (destination instanceof CopyLocation.Registry dst) {
      return new Guess(
          dst.reference().registry(),
          CopyCommand.registryOptions(null, null, destTlsVerify, null, env));
    }
    return null;
  }

  /**
   * The value of a boolean flag of arity 0..1 ({@code --x}, {@code --x=true}, {@code --x=false}),
   * or null when unsure: a bare flag followed by a word picocli may take as its value, or a value
   * other than {@code true}/{@code false}.
   */
  private static Boolean flag(String arg, String name, String next) {
    if (arg.equals(name)) {
      return next != null && (next.equalsIgnoreCase("true") || next.equalsIgnoreCase("false"))
          ? null
          : Boolean.TRUE;
    }
    return switch (arg.substring(name.length() + 1)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> null;
    };
  }
}
