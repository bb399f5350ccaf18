package dev.umoci.layer;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.sys.PathBytes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Names of generated layer entries, as umoci's tar generator forms them: cleaned, relative to the
 * archive root, directories with a trailing {@code /}, and never a name that would be read back as
 * a whiteout.
 */
final class LayerNames {
  private LayerNames() {}

  private static final byte[] DOT = {'.'};

  /**
   * umoci's {@code normalise}: cleans {@code raw} as if rooted at {@code /} (so {@code ..} cannot
   * escape), drops the leading {@code /} and appends {@code /} for directories. The root is {@code
   * .} (without a slash).
   */
  static byte[] normalise(byte[] raw) {
    byte[] path = TarWriter.goClean(raw);
    if (Arrays.equals(path, DOT)) {
      return DOT;
    }
    if (path[0] != '/') {
      byte[] rooted = new byte[path.length + 1];
      rooted[0] = '/';
      System.arraycopy(path, 0, rooted, 1, path.length);
      path = TarWriter.goClean(rooted);
      path = path.length == 1 ? DOT : Arrays.copyOfRange(path, 1, path.length);
      if (Arrays.equals(path, DOT)) {
        return DOT;
      }
    }
    if (path[0] == '/') {
      path = Arrays.copyOfRange(path, 1, path.length);
    }
    return path;
  }

  /** {@link #normalise(byte[])} plus the trailing slash of a directory entry. */
  static byte[] entryName(byte[] raw, boolean directory) {
    byte[] path = normalise(raw);
    if (directory && !Arrays.equals(path, DOT)) {
      path = Arrays.copyOf(path, path.length + 1);
      path[path.length - 1] = '/';
    }
    return path;
  }

  /** Refuses a name whose last component starts with {@code .wh.}. */
  static void refuseWhiteoutName(byte[] name) throws InvalidArgumentException {
    if (Whiteouts.isWhiteout(baseName(name))) {
      throw new InvalidArgumentException(
          "invalid path has whiteout prefix \""
              + Whiteouts.PREFIX
              + "\": "
              + PathBytes.escape(name));
    }
  }

  /** The whiteout entry name for {@code raw} ({@code dir/.wh.name}). */
  static byte[] whiteoutName(byte[] raw) throws InvalidArgumentException {
    byte[] name = normalise(raw);
    refuseWhiteoutName(name);
    int slash = lastSlash(name);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(name, 0, slash + 1);
    out.writeBytes(Whiteouts.PREFIX.getBytes(StandardCharsets.US_ASCII));
    out.write(name, slash + 1, name.length - slash - 1);
    return TarWriter.goClean(out.toByteArray());
  }

  /** The opaque whiteout entry name for the directory {@code raw} ({@code dir/.wh..wh..opq}). */
  static byte[] opaqueWhiteoutName(byte[] raw) throws InvalidArgumentException {
    byte[] name = normalise(raw);
    refuseWhiteoutName(name);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(name);
    out.write('/');
    out.writeBytes(Whiteouts.OPAQUE.getBytes(StandardCharsets.US_ASCII));
    return TarWriter.goClean(out.toByteArray());
  }

  /** {@code parent + "/" + child} (not cleaned). */
  static byte[] join(byte[] parent, byte[] child) {
    byte[] joined = Arrays.copyOf(parent, parent.length + 1 + child.length);
    joined[parent.length] = '/';
    System.arraycopy(child, 0, joined, parent.length + 1, child.length);
    return joined;
  }

  /** Go's filepath.Base: the last component, ignoring trailing slashes. */
  static byte[] baseName(byte[] name) {
    int end = name.length;
    while (end > 1 && name[end - 1] == '/') {
      end--;
    }
    int start = end - 1;
    while (start >= 0 && name[start] != '/') {
      start--;
    }
    return Arrays.copyOfRange(name, start + 1, end);
  }

  private static int lastSlash(byte[] name) {
    for (int i = name.length - 1; i >= 0; i--) {
      if (name[i] == '/') {
        return i;
      }
    }
    return -1;
  }
}
