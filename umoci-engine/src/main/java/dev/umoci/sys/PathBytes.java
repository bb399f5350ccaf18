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
 * File names are bytes on Linux, Strings in Java. Names that are valid UTF-8 map both ways through
 * the public API. Other names need the JDK's internal byte form of {@code UnixPath}, reachable when
 * the JVM runs with {@code --add-opens java.base/sun.nio.fs=ALL-UNNAMED} (the CLI jar's manifest
 * sets it). Without it such names are refused with a clear error rather than silently mangled.
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

  /** True when names that are not valid UTF-8 can be handled exactly. */
  public static boolean rawNamesSupported() {
    return UNIX_PATH_FROM_BYTES != null;
  }

  /** The exact bytes of {@code path} as the kernel sees them. */
  public static byte[] of(Path path) {
    if (UNIX_PATH_AS_BYTES != null && path.getFileSystem() == FileSystems.getDefault()) {
      try {
        return (byte[]) UNIX_PATH_AS_BYTES.invoke(path);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read path bytes", e);
      }
    }
    return path.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The bytes of the last name of {@code path}. */
  public static byte[] fileName(Path path) {
    Path name = path.getFileName();
    return name == null ? new byte[0] : of(name);
  }

  /** A path with exactly the bytes {@code bytes}. */
  public static Path fromBytes(byte[] bytes) {
    String utf8 = strictUtf8(bytes);
    if (utf8 != null) {
      return Path.of(utf8);
    }
    if (UNIX_PATH_FROM_BYTES == null) {
      throw new IllegalArgumentException(
          "file name is not valid UTF-8 ("
              + escape(bytes)
              + "); run the JVM with --add-opens java.base/sun.nio.fs=ALL-UNNAMED");
    }
    try {
      return (Path) UNIX_PATH_FROM_BYTES.newInstance(FileSystems.getDefault(), bytes.clone());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build path from bytes", e);
    }
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
