package dev.umoci.sys;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Path;

/**
 * Paths with exact bytes through public API only, for JVMs where {@code sun.nio.fs} is not opened
 * to us (see {@link PathBytes}). A {@code file:} URI names a path's bytes percent-encoded: the JDK
 * builds a path from such a URI byte for byte, without the locale's charset, and {@link
 * Path#toUri()} encodes the bytes a path holds. Each conversion costs a URI parse (and, for {@link
 * #bytes}, the stat {@code toUri} makes), so {@link PathBytes} uses this only for names that are
 * not plain ASCII and only when the faster form is unavailable.
 */
final class ByteUris {
  private ByteUris() {}

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** The bytes of the working directory, without a trailing '/', computed once. */
  private static final class Cwd {
    static final byte[] BYTES = decode(Path.of("").toAbsolutePath().toUri());
  }

  /** A path holding exactly {@code bytes}: absolute when they start with '/', else relative. */
  static Path path(byte[] bytes) {
    byte[] clean = collapseSlashes(bytes);
    boolean absolute = clean.length > 0 && clean[0] == '/';
    int start = absolute ? 1 : 0;
    if (clean.length == start) {
      return Path.of(absolute ? "/" : "");
    }
    StringBuilder uri = new StringBuilder(8 + 3 * clean.length).append("file:///");
    for (int i = start; i < clean.length; i++) {
      int b = clean[i] & 0xff;
      if (b == '/' || unreserved(b)) {
        uri.append((char) b);
      } else {
        uri.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
      }
    }
    Path abs = Path.of(URI.create(uri.toString()));
    return absolute ? abs : abs.subpath(0, abs.getNameCount());
  }

  /** The bytes {@code path} holds, as the kernel would see them. */
  static byte[] bytes(Path path) {
    if (path.toString().isEmpty()) {
      return new byte[0];
    }
    byte[] abs = decode(path.toUri());
    if (path.isAbsolute()) {
      return abs;
    }
    byte[] cwd = Cwd.BYTES;
    int skip = cwd.length == 1 ? 1 : cwd.length + 1; // "/" + name, or cwd + "/" + name
    byte[] out = new byte[abs.length - skip];
    System.arraycopy(abs, skip, out, 0, out.length);
    return out;
  }

  private static boolean unreserved(int b) {
    return (b >= 'a' && b <= 'z')
        || (b >= 'A' && b <= 'Z')
        || (b >= '0' && b <= '9')
        || b == '-'
        || b == '.'
        || b == '_'
        || b == '~';
  }

  /** The percent-decoded bytes of a {@code file:} URI's path, without a trailing '/'. */
  private static byte[] decode(URI uri) {
    String raw = uri.getRawPath();
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
    byte[] b = out.toByteArray();
    int len = b.length;
    while (len > 1 && b[len - 1] == '/') {
      len--;
    }
    return len == b.length ? b : java.util.Arrays.copyOf(b, len);
  }

  /** {@code bytes} with runs of '/' reduced to one and no trailing '/', as Path.of(String) does. */
  private static byte[] collapseSlashes(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '/' && i > 0 && bytes[i - 1] == '/') {
        continue;
      }
      out.write(bytes[i]);
    }
    byte[] b = out.toByteArray();
    int len = b.length;
    if (len > 1 && b[len - 1] == '/') {
      len--;
    }
    return len == b.length ? b : java.util.Arrays.copyOf(b, len);
  }
}
