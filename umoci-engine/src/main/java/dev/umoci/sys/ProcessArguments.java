package dev.umoci.sys;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The program's arguments as the bytes that were typed. The java launcher decodes {@code argv} with
 * the locale's charset, so under {@code LC_ALL=C} every non-ASCII byte of a path argument becomes
 * U+FFFD, and under Latin-1 UTF-8 bytes become two characters each. Linux keeps the original bytes
 * in {@code /proc/self/cmdline}; the program's own arguments are its last ones.
 */
public final class ProcessArguments {
  private ProcessArguments() {}

  /**
   * {@code args} re-read from {@code /proc/self/cmdline} as {@link PathBytes#text} strings, so that
   * {@link PathBytes#ofText} gives back each argument's exact bytes. {@code args} unchanged when
   * the file is not there or does not match them (decoded as the launcher decodes, each of the last
   * entries must equal the argument the JVM gave), so nothing is guessed.
   */
  public static String[] recover(String[] args) {
    byte[] cmdline;
    try {
      cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
    } catch (IOException | RuntimeException e) {
      return args;
    }
    return recover(args, cmdline, launcherCharset());
  }

  static String[] recover(String[] args, byte[] cmdline, Charset launcher) {
    List<byte[]> all = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < cmdline.length; i++) {
      if (cmdline[i] == 0) {
        all.add(java.util.Arrays.copyOfRange(cmdline, start, i));
        start = i + 1;
      }
    }
    if (start < cmdline.length) {
      all.add(java.util.Arrays.copyOfRange(cmdline, start, cmdline.length));
    }
    if (all.size() < args.length + 1) {
      return args;
    }
    List<byte[]> own = all.subList(all.size() - args.length, all.size());
    String[] out = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      byte[] raw = own.get(i);
      if (!decodedAsLauncher(raw, launcher, args[i])) {
        return args;
      }
      out[i] = PathBytes.text(raw);
    }
    return out;
  }

  /**
   * Whether the launcher could have turned {@code raw} into {@code arg}: decoded with its charset,
   * or (its ASCII fast path) with every non-ASCII byte replaced by '?'.
   */
  private static boolean decodedAsLauncher(byte[] raw, Charset launcher, String arg) {
    if (new String(raw, launcher).equals(arg)) {
      return true;
    }
    if (raw.length != arg.length()) {
      return false;
    }
    for (int i = 0; i < raw.length; i++) {
      char want = raw[i] < 0 ? '?' : (char) raw[i];
      if (arg.charAt(i) != want) {
        return false;
      }
    }
    return true;
  }

  /** The charset the launcher decoded {@code argv} with. */
  private static Charset launcherCharset() {
    String jnu = System.getProperty("sun.jnu.encoding");
    try {
      return jnu == null ? Charset.defaultCharset() : Charset.forName(jnu);
    } catch (RuntimeException e) {
      return Charset.defaultCharset();
    }
  }
}
