package dev.umoci.sys;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * File names are bytes on Linux, Strings in Java, and {@code java.nio.file} converts between them
 * with the locale's charset ({@code sun.jnu.encoding}): under {@code LC_ALL=C} that is ASCII, so
 * {@code Path.of("ünï")} fails and a listed non-ASCII name prints as {@code ?}. Names from layers
 * and mtree files therefore never pass through a String here:
 *
 * <ul>
 *   <li>With {@code --add-opens java.base/sun.nio.fs=ALL-UNNAMED} (the CLI jar's manifest and the
 *       launcher set it) the JDK's own {@code UnixPath} byte form is used directly: fastest.
 *   <li>Without it (the Maven plugin inside Maven's JVM), the public {@code file:} URI form of a
 *       path carries its bytes exactly, percent-encoded: {@link Path#of(URI)} builds a {@code
 *       UnixPath} from the decoded bytes without any charset, and {@link Path#toUri} encodes the
 *       bytes it holds. Slower, and used only for names that are not plain ASCII.
 * </ul>
 *
 * Either way, any name (valid UTF-8 or not) maps to a path with exactly its bytes, in any locale.
 */
public final class PathBytes {
  private PathBytes() {}

  private static final Constructor<?> UNIX_PATH_FROM_BYTES;
  private static final Method UNIX_PATH_AS_BYTES;

  static {
    Constructor<?> ctor = null;
    Method asBytes = null;
    try {
      Class<?> unixPath = Class.forName("sun.nio.fs.UnixPath");
      Class<?> unixFs = Class.forName("sun.nio.fs.UnixFileSystem");
      Constructor<?> c = unixPath.getDeclaredConstructor(unixFs, byte[].class);
      Method m = unixPath.getDeclaredMethod("asByteArray");
      c.setAccessible(true);
      m.setAccessible(true);
      ctor = c;
      asBytes = m;
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Not opened to us: only UTF-8 names are supported.
    }
    UNIX_PATH_FROM_BYTES = ctor;
    UNIX_PATH_AS_BYTES = asBytes;
  }

  /**
   * True when the JDK's byte form of paths is reachable (the fast way); without it names are still
   * handled exactly, through {@link ByteUris}.
   */
  public static boolean rawNamesSupported() {
    return UNIX_PATH_FROM_BYTES != null;
  }

  /** Whether the JDK converts names with UTF-8 (false under C and Latin-1 locales). */
  private static final boolean JNU_IS_UTF8 = jnuIsUtf8();

  private static boolean jnuIsUtf8() {
    String jnu = System.getProperty("sun.jnu.encoding");
    try {
      return jnu != null && java.nio.charset.Charset.forName(jnu).equals(StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The exact bytes of {@code path} as the kernel sees them. */
  public static byte[] of(Path path) {
    if (path.getFileSystem() != FileSystems.getDefault()) {
      return path.toString().getBytes(StandardCharsets.UTF_8);
    }
    if (UNIX_PATH_AS_BYTES != null) {
      try {
        return (byte[]) UNIX_PATH_AS_BYTES.invoke(path);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read path bytes", e);
      }
    }
    String text = path.toString();
    if (isAscii(text)) {
      return text.getBytes(StandardCharsets.ISO_8859_1); // a lossy decoding would show U+FFFD
    }
    if (JNU_IS_UTF8 && text.indexOf('\uFFFD') < 0) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    return ByteUris.bytes(path);
  }

  /** The bytes of the last name of {@code path}. */
  public static byte[] fileName(Path path) {
    Path name = path.getFileName();
    return name == null ? new byte[0] : of(name);
  }

  /** A path with exactly the bytes {@code bytes} (relative unless they start with '/'). */
  public static Path fromBytes(byte[] bytes) {
    if (isAscii(bytes)) {
      return Path.of(new String(bytes, StandardCharsets.ISO_8859_1));
    }
    if (UNIX_PATH_FROM_BYTES != null) {
      try {
        return (Path) UNIX_PATH_FROM_BYTES.newInstance(FileSystems.getDefault(), bytes.clone());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot build path from bytes", e);
      }
    }
    if (JNU_IS_UTF8) {
      String utf8 = strictUtf8(bytes);
      if (utf8 != null) {
        return Path.of(utf8);
      }
    }
    return ByteUris.path(bytes);
  }

  /**
   * The bytes a name given as text stands for: UTF-8, except that a lone surrogate U+DC80..U+DCFF
   * stands for the single byte 0x80..0xFF it escapes (see {@link #text}). A Unicode string (from a
   * pom, a JSON document) therefore gives its UTF-8 bytes, and a command-line argument recovered by
   * {@link #text} gives back exactly the bytes that were typed, valid UTF-8 or not.
   */
  public static byte[] ofText(String text) {
    if (isAscii(text)) {
      return text.getBytes(StandardCharsets.ISO_8859_1);
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.length() + 8);
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0xDC80 && c <= 0xDCFF && !(i > 0 && Character.isHighSurrogate(text.charAt(i - 1)))) {
        out.writeBytes(text.substring(start, i).getBytes(StandardCharsets.UTF_8));
        out.write(c - 0xDC00);
        start = i + 1;
      }
    }
    out.writeBytes(text.substring(start).getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /**
   * Text for name bytes that loses nothing: valid UTF-8 decodes as such, and each byte of an
   * invalid sequence becomes the lone surrogate U+DC00 + byte (Python's "surrogateescape"). {@link
   * #ofText} is its inverse.
   */
  public static String text(byte[] bytes) {
    String utf8 = strictUtf8(bytes);
    if (utf8 != null) {
      return utf8;
    }
    java.nio.charset.CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
    while (true) {
      java.nio.charset.CoderResult r = decoder.decode(in, out, true);
      if (r.isUnderflow()) {
        break;
      }
      for (int i = 0; i < r.length(); i++) {
        out.put((char) (0xDC00 + (in.get() & 0xff)));
      }
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  /** The path {@link #ofText} names: a command-line or configured path, in any locale. */
  public static Path fromText(String text) {
    return fromBytes(ofText(text));
  }

  /**
   * The components of {@code name} cleaned lexically as if it were rooted at {@code /}: empty and
   * {@code .} components dropped, {@code ..} removing the component before it and stopping at the
   * top. The one path cleaning of the engine (tar names and link targets, image paths, {@link
   * java.nio.file.Path} cleaning in {@code SecureJoin}).
   */
  public static java.util.List<byte[]> cleanComponents(byte[] name) {
    java.util.List<byte[]> parts = new java.util.ArrayList<>();
    int start = 0;
    for (int i = 0; i <= name.length; i++) {
      if (i == name.length || name[i] == '/') {
        int len = i - start;
        if (len == 0 || (len == 1 && name[start] == '.')) {
          start = i + 1;
          continue;
        }
        if (len == 2 && name[start] == '.' && name[start + 1] == '.') {
          if (!parts.isEmpty()) {
            parts.remove(parts.size() - 1);
          }
          start = i + 1;
          continue;
        }
        parts.add(Arrays.copyOfRange(name, start, i));
        start = i + 1;
      }
    }
    return parts;
  }

  /**
   * The relative path of {@code parts} (clean components, as {@link #cleanComponents} gives them)
   * joined with {@code '/'}, made in one step: resolving them one by one copied the path at each
   * step, work quadratic in the depth of every entry (a deeply nested layer). No parts: the empty
   * path.
   */
  public static Path joinComponents(java.util.List<byte[]> parts) {
    if (parts.isEmpty()) {
      return Path.of("");
    }
    int length = parts.size() - 1;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] joined = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      if (at > 0) {
        joined[at++] = '/';
      }
      System.arraycopy(part, 0, joined, at, part.length);
      at += part.length;
    }
    return fromBytes(joined);
  }

  /** {@code dir} resolved against a relative name given as bytes (may contain '/'). */
  public static Path resolve(Path dir, byte[] relative) {
    return dir.resolve(fromBytes(relative));
  }

  /** The string form of {@code bytes} when they are valid UTF-8, else null. */
  public static String strictUtf8(byte[] bytes) {
    if (isAscii(bytes)) {
      return new String(bytes, StandardCharsets.ISO_8859_1); // ASCII is valid UTF-8 as it is
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  /** A printable form of raw name bytes for error messages: non-printables as \xNN. */
  public static String escape(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        out.append((char) c);
      } else {
        out.append(String.format("\\x%02x", c));
      }
    }
    return out.toString();
  }

  /** Copies {@code bytes} with a trailing NUL, as C expects. */
  static byte[] cString(byte[] bytes) {
    return Arrays.copyOf(bytes, bytes.length + 1);
  }
}
