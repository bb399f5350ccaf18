package dev.umoci.mtree;

import dev.umoci.sys.PathBytes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The path of an mtree entry relative to the tree's root, as raw bytes (file names need not be
 * UTF-8). Always lexically clean and confined: no empty, {@code .} or {@code ..} components, no
 * leading or trailing slash; the root itself is {@code "."}. This is go-mtree's {@code CleanPath}
 * form, the form umoci uses as the path of a delta.
 *
 * <p>Ordering is byte-wise unsigned, which is Go's string ordering (umoci sorts deltas this way).
 */
public final class EntryPath implements Comparable<EntryPath> {
  /** The root of the tree, {@code "."}. */
  public static final EntryPath ROOT = new EntryPath(new byte[] {'.'});

  private final byte[] bytes;

  private EntryPath(byte[] cleaned) {
    this.bytes = cleaned;
  }

  /**
   * The clean form of {@code raw}: {@code ..} cannot climb above the root, a leading {@code /} is
   * dropped, an empty result is the root.
   */
  public static EntryPath of(byte[] raw) {
    List<byte[]> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= raw.length; i++) {
      if (i == raw.length || raw[i] == '/') {
        int len = i - start;
        if (len == 0 || (len == 1 && raw[start] == '.')) {
          // skip
        } else if (len == 2 && raw[start] == '.' && raw[start + 1] == '.') {
          if (!parts.isEmpty()) {
            parts.remove(parts.size() - 1);
          }
        } else {
          parts.add(Arrays.copyOfRange(raw, start, i));
        }
        start = i + 1;
      }
    }
    if (parts.isEmpty()) {
      return ROOT;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        out.write('/');
      }
      out.writeBytes(parts.get(i));
    }
    return new EntryPath(out.toByteArray());
  }

  /** {@link #of(byte[])} of the UTF-8 bytes of {@code path}. */
  public static EntryPath of(String path) {
    return of(path.getBytes(StandardCharsets.UTF_8));
  }

  /** The path of {@code file} relative to {@code root}, both host paths. */
  public static EntryPath relative(Path root, Path file) {
    return of(PathBytes.of(root.relativize(file)));
  }

  /** This path joined with {@code name} (which may itself contain slashes) and cleaned. */
  public EntryPath resolve(byte[] name) {
    if (!isComponent(name)) {
      return isRoot() ? of(name) : of(join(bytes, name));
    }
    return new EntryPath(isRoot() ? name.clone() : join(bytes, name)); // already clean
  }

  /** True for a single clean component: not empty, no slash, not {@code .} or {@code ..}. */
  private static boolean isComponent(byte[] name) {
    if (name.length == 0
        || (name.length == 1 && name[0] == '.')
        || (name.length == 2 && name[0] == '.' && name[1] == '.')) {
      return false;
    }
    for (byte b : name) {
      if (b == '/') {
        return false;
      }
    }
    return true;
  }

  private static byte[] join(byte[] dir, byte[] name) {
    byte[] joined = Arrays.copyOf(dir, dir.length + 1 + name.length);
    joined[dir.length] = '/';
    System.arraycopy(name, 0, joined, dir.length + 1, name.length);
    return joined;
  }

  public boolean isRoot() {
    return this == ROOT || (bytes.length == 1 && bytes[0] == '.');
  }

  /** The raw bytes (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The last component; {@code "."} for the root. */
  public byte[] fileName() {
    int slash = lastSlash();
    return Arrays.copyOfRange(bytes, slash + 1, bytes.length);
  }

  /** The parent path; the root's parent is the root. */
  public EntryPath parent() {
    int slash = lastSlash();
    return slash < 0 ? ROOT : new EntryPath(Arrays.copyOf(bytes, slash));
  }

  /** True when this path equals {@code other} or lies below it. Everything lies below the root. */
  public boolean isWithin(EntryPath other) {
    if (other.isRoot() || equals(other)) {
      return true;
    }
    return bytes.length > other.bytes.length
        && bytes[other.bytes.length] == '/'
        && Arrays.equals(bytes, 0, other.bytes.length, other.bytes, 0, other.bytes.length);
  }

  /** The host path of this entry under {@code root}; the root entry maps to {@code root}. */
  public Path under(Path root) {
    return isRoot() ? root : PathBytes.resolve(root, bytes);
  }

  /** Go's {@code %q} form, as umoci prints paths in messages. */
  public String quoted() {
    return GoQuote.quote(bytes);
  }

  private int lastSlash() {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == '/') {
        return i;
      }
    }
    return -1;
  }

  @Override
  public int compareTo(EntryPath o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EntryPath other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The path as text: UTF-8 where valid, bytes that are not shown as in {@link #quoted()}. */
  @Override
  public String toString() {
    String utf8 = PathBytes.strictUtf8(bytes);
    if (utf8 != null) {
      return utf8;
    }
    String q = quoted();
    return q.substring(1, q.length() - 1);
  }
}
