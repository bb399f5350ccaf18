package dev.umoci.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a file descriptor of this process is a terminal, without binding the C library (so it
 * costs a command's start-up one {@code readlink}): Linux names the file behind {@code
 * /proc/self/fd/N}, and a terminal is a {@code /dev/pts/*}, {@code /dev/tty*} or {@code
 * /dev/console} device. Unlike {@code System.console()}, which needs standard input and output to
 * be terminals, this tests the one descriptor asked about (progress goes to standard error).
 */
public final class Tty {
  private Tty() {}

  /** Whether {@code fd} (2 for standard error) is a terminal; false where that cannot be told. */
  public static boolean isTerminal(int fd) {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
      return target.startsWith("/dev/pts/")
          || target.startsWith("/dev/tty")
          || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }
}
