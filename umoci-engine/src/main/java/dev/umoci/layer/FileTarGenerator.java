package dev.umoci.layer;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.errors.UmociException;
import dev.umoci.fs.FileStat;
import dev.umoci.fs.PosixFs;
import dev.umoci.fs.Unpriv;
import dev.umoci.oci.spec.Digest;
import dev.umoci.sys.Errno;
import dev.umoci.sys.ErrnoException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;

/**
 * umoci's tar generator: adds files from disk, whiteouts and opaque whiteouts to a layer tar
 * stream. Tracks hard links by (device, inode) within the archive: the first occurrence of an inode
 * is written as the file, later ones as hard links to its name. File content is copied from disk
 * into the stream as it is read.
 */
final class FileTarGenerator {
  private final TarWriter tar;
  private final PosixFs fs;
  private final GenerateOptions options;
  private final FileEntryFactory entries;
  private final Map<Inode, byte[]> inodes = new HashMap<>();
  private final byte[] buffer = new byte[1 << 17];
  private MessageDigest contentSha;

  private record Inode(long dev, long ino) {}

  FileTarGenerator(OutputStream plainTar, GenerateOptions options) {
    this.tar = new TarWriter(plainTar);
    PosixFs host = PosixFs.host();
    this.fs = options.rootless() ? PosixFs.rootless(host) : host;
    this.options = options;
    this.entries = new FileEntryFactory(fs, options);
  }

  PosixFs fs() {
    return fs;
  }

  FileEntryFactory entries() {
    return entries;
  }

  /** lstat that reports a missing file in one line. */
  FileStat lstat(Path file) throws IOException {
    try {
      return fs.lstat(file);
    } catch (NoSuchFileException e) {
      throw new UmociException("cannot add to layer: no such file: " + file, e);
    } catch (ErrnoException e) {
      if (e.errno() == Errno.ENOENT) {
        throw new UmociException("cannot add to layer: no such file: " + file, e);
      }
      throw e;
    }
  }

  /** Adds {@code file} under the archive name {@code name} (normalised here). */
  void addFile(byte[] name, Path file) throws IOException {
    addFile(name, file, lstat(file));
  }

  /** Adds {@code file}, already lstat'ed, under the archive name {@code name}. */
  void addFile(byte[] name, Path file, FileStat stat) throws IOException {
    addFile(name, file, stat, null);
  }

  /**
   * Adds {@code file} under {@code name}; when its content is written (a regular file, not a hard
   * link to one written before) and {@code observer} is not null, tells it the SHA-256 of the bytes
   * written, computed as they are copied.
   */
  void addFile(byte[] name, Path file, ContentObserver observer) throws IOException {
    addFile(name, file, lstat(file), observer);
  }

  private void addFile(byte[] name, Path file, FileStat stat, ContentObserver observer)
      throws IOException {
    byte[] entryName = LayerNames.entryName(name, stat.isDirectory());
    LayerNames.refuseWhiteoutName(entryName);
    TarEntry entry = entries.entryFor(file, entryName, stat);
    if (!stat.isDirectory()) {
      Inode inode = new Inode(stat.dev(), stat.ino());
      byte[] first = inodes.get(inode);
      if (first != null) {
        tar.add(hardlink(entry, first));
        return;
      }
      inodes.put(inode, entryName);
    }
    if (entry.type() != TarEntry.Type.REGULAR) {
      tar.add(entry);
      return;
    }
    tar.putEntry(entry);
    MessageDigest sha = observer == null ? null : contentSha();
    try (InputStream in = openForReading(file)) {
      long remaining = entry.size();
      while (remaining > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
        if (n < 0) {
          throw new UmociException("file shrank while it was added to the layer: " + file);
        }
        tar.write(buffer, 0, n);
        if (sha != null) {
          sha.update(buffer, 0, n);
        }
        remaining -= n;
      }
      if (in.read() >= 0) {
        throw new UmociException("file grew while it was added to the layer: " + file);
      }
    }
    tar.closeEntry();
    if (sha != null) {
      observer.fileWritten(stat, sha.digest());
    }
  }

  /** One SHA-256 for the content of every observed file (reset by each {@code digest()}). */
  private MessageDigest contentSha() {
    if (contentSha == null) {
      contentSha = Digest.newSha256();
    }
    contentSha.reset();
    return contentSha;
  }

  /** An explicit directory entry with mode 0755, the synthetic owner and time. */
  void addDirectory(byte[] name) throws IOException {
    byte[] entryName = LayerNames.entryName(name, true);
    LayerNames.refuseWhiteoutName(entryName);
    tar.add(
        TarEntry.builder(TarEntry.Type.DIRECTORY, entryName)
            .mode(0755)
            .owner(entries.syntheticUid(), entries.syntheticGid())
            .mtimeNanos(entries.syntheticTime())
            .build());
  }

  /** {@code dir/.wh.name}: deletes {@code name} from lower layers. */
  void addWhiteout(byte[] name) throws IOException {
    byte[] normalised = LayerNames.normalise(name);
    if (normalised.length == 0 || (normalised.length == 1 && normalised[0] == '.')) {
      throw new InvalidArgumentException("cannot white out the root directory");
    }
    tar.add(marker(LayerNames.whiteoutName(name)));
  }

  /** {@code dir/.wh..wh..opq}: hides lower-layer children of {@code dir}. */
  void addOpaqueWhiteout(byte[] dir) throws IOException {
    tar.add(marker(LayerNames.opaqueWhiteoutName(dir)));
  }

  /** Ends the archive; the underlying stream stays open. */
  void finish() throws IOException {
    tar.finish();
  }

  /** A whiteout marker: empty regular file, mode 0, owner 0:0, time 0 (as umoci writes them). */
  private static TarEntry marker(byte[] name) {
    return TarEntry.builder(TarEntry.Type.REGULAR, name).build();
  }

  private InputStream openForReading(Path file) throws IOException {
    if (!options.rootless()) {
      return Files.newInputStream(file);
    }
    return Unpriv.wrap(fs, file, () -> openOwnedFile(file));
  }

  /** Rootless: a file we own but may not read is opened after granting u+r for the open call. */
  private InputStream openOwnedFile(Path file) throws IOException {
    try {
      return Files.newInputStream(file);
    } catch (AccessDeniedException e) {
      FileStat st = fs.lstat(file);
      fs.chmod(file, st.permissions() | 0400);
      try {
        return Files.newInputStream(file);
      } finally {
        fs.chmod(file, st.permissions());
        fs.setTimes(file, st.atimeNanos(), st.mtimeNanos());
      }
    }
  }

  /** {@code entry} as a hard link to {@code target}: same metadata, no content. */
  private static TarEntry hardlink(TarEntry entry, byte[] target) {
    TarEntry.Builder b =
        TarEntry.builder(TarEntry.Type.HARDLINK, entry.name())
            .linkName(target)
            .mode(entry.mode())
            .owner(entry.uid(), entry.gid())
            .mtimeNanos(entry.mtimeNanos());
    entry.xattrs().forEach(b::xattr);
    return b.build();
  }
}
