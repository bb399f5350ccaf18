package dev.umoci.layer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: builds layer tar archives in code with our {@link TarWriter} (sub-second times
 * kept). Each adder appends an entry; the modifiers ({@link #owner}, {@link #mode}, {@link #mtime},
 * {@link #xattr}, ...) change the most recently added entry. Defaults: owner 0:0, mtime {@link
 * #DEFAULT_MTIME} seconds, mode 0755 for directories, 0644 for files, 0777 for symlinks.
 *
 * <pre>{@code
 * byte[] tar = new TarBuilder().dir("etc").file("etc/passwd", "root:x:0:0::/root:/bin/sh\n")
 *     .owner(0, 42).xattr("security.capability", capBytes).symlink("var/run", "/run").build();
 * }</pre>
 */
public final class TarBuilder {
  public static final long DEFAULT_MTIME = 1_600_000_000L;

  private final List<TarEntry.Builder> entries = new ArrayList<>();
  private final List<byte[]> contents = new ArrayList<>();

  /** A directory entry (mode 0755). The name is used as given; add a trailing '/' if wanted. */
  public TarBuilder dir(String name) {
    return add(TarEntry.builder(TarEntry.Type.DIRECTORY, name).mode(0755), null);
  }

  public TarBuilder file(String name, String content) {
    return file(name.getBytes(StandardCharsets.UTF_8), content.getBytes(StandardCharsets.UTF_8));
  }

  public TarBuilder file(String name, byte[] content) {
    return file(name.getBytes(StandardCharsets.UTF_8), content);
  }

  /** A regular file with a raw byte name (may be invalid UTF-8). */
  public TarBuilder file(byte[] name, byte[] content) {
    return add(
        TarEntry.builder(TarEntry.Type.REGULAR, name).mode(0644).size(content.length), content);
  }

  public TarBuilder symlink(String name, String target) {
    return add(TarEntry.builder(TarEntry.Type.SYMLINK, name).linkName(target).mode(0777), null);
  }

  public TarBuilder symlink(byte[] name, byte[] target) {
    return add(TarEntry.builder(TarEntry.Type.SYMLINK, name).linkName(target).mode(0777), null);
  }

  public TarBuilder hardlink(String name, String target) {
    return add(TarEntry.builder(TarEntry.Type.HARDLINK, name).linkName(target).mode(0644), null);
  }

  public TarBuilder charDevice(String name, long major, long minor) {
    return add(
        TarEntry.builder(TarEntry.Type.CHAR_DEVICE, name).mode(0666).device(major, minor), null);
  }

  public TarBuilder blockDevice(String name, long major, long minor) {
    return add(
        TarEntry.builder(TarEntry.Type.BLOCK_DEVICE, name).mode(0660).device(major, minor), null);
  }

  public TarBuilder fifo(String name) {
    return add(TarEntry.builder(TarEntry.Type.FIFO, name).mode(0644), null);
  }

  /** A whiteout for {@code path}: an empty file named {@code dir/.wh.base}. */
  public TarBuilder whiteout(String path) {
    int slash = path.lastIndexOf('/');
    String name = path.substring(0, slash + 1) + Whiteouts.PREFIX + path.substring(slash + 1);
    return file(name, new byte[0]);
  }

  /** An opaque whiteout marker {@code dir/.wh..wh..opq} ({@code dir} may be empty for the root). */
  public TarBuilder opaque(String dir) {
    return file(dir.isEmpty() ? Whiteouts.OPAQUE : dir + "/" + Whiteouts.OPAQUE, new byte[0]);
  }

  /** Any entry, full control; {@code content} is null for entries without data. */
  public TarBuilder entry(TarEntry.Builder builder, byte[] content) {
    entries.add(builder);
    contents.add(content);
    return this;
  }

  public TarBuilder owner(long uid, long gid) {
    last().owner(uid, gid);
    return this;
  }

  public TarBuilder mode(int mode) {
    last().mode(mode);
    return this;
  }

  public TarBuilder mtime(long seconds) {
    last().mtimeSeconds(seconds);
    return this;
  }

  public TarBuilder mtimeNanos(long nanos) {
    last().mtimeNanos(nanos);
    return this;
  }

  public TarBuilder atimeNanos(long nanos) {
    last().atimeNanos(nanos);
    return this;
  }

  public TarBuilder xattr(String name, byte[] value) {
    last().xattr(name, value);
    return this;
  }

  public TarBuilder xattr(String name, String value) {
    return xattr(name, value.getBytes(StandardCharsets.UTF_8));
  }

  /** The entries as built so far. */
  public List<TarEntry> entries() {
    List<TarEntry> out = new ArrayList<>();
    entries.forEach(b -> out.add(b.build()));
    return out;
  }

  /** The uncompressed archive. */
  public byte[] build() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeTo(out);
    return out.toByteArray();
  }

  /** The archive compressed with {@code compression}. */
  public byte[] build(Compression compression) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream c = compression.compress(out)) {
      writeTo(c);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public InputStream stream() {
    return new ByteArrayInputStream(build());
  }

  /** Writes the uncompressed archive to {@code file} and returns it. */
  public Path writeTo(Path file) throws IOException {
    Files.write(file, build());
    return file;
  }

  private void writeTo(OutputStream out) {
    try {
      TarWriter w = new TarWriter(out, true);
      for (int i = 0; i < entries.size(); i++) {
        byte[] c = contents.get(i);
        w.add(entries.get(i).build(), c == null ? null : new ByteArrayInputStream(c));
      }
      w.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private TarBuilder add(TarEntry.Builder b, byte[] content) {
    b.mtimeSeconds(DEFAULT_MTIME);
    entries.add(b);
    contents.add(content);
    return this;
  }

  private TarEntry.Builder last() {
    if (entries.isEmpty()) {
      throw new IllegalStateException("no entry to modify");
    }
    return entries.get(entries.size() - 1);
  }
}
