package dev.umoci.mtree;

import dev.umoci.sys.PathBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The signature comments go-mtree writes at the top of a spec ({@code user}, {@code machine},
 * {@code tree}, {@code date}). Any field may be null and is then left out. Text is raw bytes of
 * UTF-8 except {@code tree}, which holds the exact bytes of the walked path.
 */
public record SpecHeader(String user, String machine, byte[] tree, String date) {
  private static final DateTimeFormatter GO_ANSIC_NO_PAD =
      DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT);

  /** What go-mtree would write when walking {@code root} now, on this host. */
  public static SpecHeader forHost(Path root) {
    String user = HostAccounts.userName(currentUid());
    String machine = null;
    try {
      machine = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (IOException e) {
      // left out, as go-mtree does
    }
    Path tree = root.normalize();
    String t = tree.toString();
    if (t.isEmpty() || t.equals(".") || t.equals("..")) {
      Path cwd = Path.of("").toAbsolutePath();
      tree = t.equals("..") && cwd.getParent() != null ? cwd.getParent() : cwd;
    }
    return new SpecHeader(
        user, machine, PathBytes.of(tree), GO_ANSIC_NO_PAD.format(ZonedDateTime.now()));
  }

  byte[][] lines() {
    java.util.List<byte[]> out = new java.util.ArrayList<>();
    if (user != null) {
      out.add(line("user: ", user.getBytes(StandardCharsets.UTF_8)));
    }
    if (machine != null) {
      out.add(line("machine: ", machine.getBytes(StandardCharsets.UTF_8)));
    }
    if (tree != null) {
      out.add(line("tree: ", tree));
    }
    if (date != null) {
      out.add(line("date: ", date.getBytes(StandardCharsets.UTF_8)));
    }
    return out.toArray(new byte[0][]);
  }

  /** {@code #%16s%s}: the label right-aligned in 16 columns after the hash. */
  static byte[] line(String label, byte[] value) {
    String head = "#" + " ".repeat(Math.max(0, 16 - label.length())) + label;
    byte[] h = head.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[h.length + value.length];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(value, 0, out, h.length, value.length);
    return out;
  }

  private static long currentUid() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return ((Number) uid).longValue();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
