package dev.umoci.layer;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.errors.UmociException;
import dev.umoci.errors.UnsafeArchiveEntryException;
import dev.umoci.fs.FileStat;
import dev.umoci.fs.PosixFs;
import dev.umoci.fs.SecureJoin;
import dev.umoci.sys.PathBytes;
import dev.umoci.sys.TreeRemover;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies layer tar archives to a rootfs directory the way umoci does (oci/layer/tar_extract.go),
 * with every path confined to the rootfs.
 *
 * <p>Paths: entry names are cleaned ({@code ..} stops at the top, absolute names become relative);
 * the parent directory is resolved with {@link SecureJoin} (symlinks followed but confined); the
 * last component is never followed. Whatever exists at the path is removed first unless both are
 * directories; a parent component that is not a directory is replaced by one. Whiteouts remove
 * lower-layer content only: paths written by the same layer ("upper paths") survive them, in either
 * order; a whiteout below a symlink this layer created is skipped ({@link LayerSymlinks} says why).
 * Parent directories keep the times they had (or that their own entry set) after children are
 * written. Refused with {@link UnsafeArchiveEntryException}: a non-directory entry for the root,
 * whiteouts naming {@code .} or {@code ..}, and empty whiteout names.
 *
 * <p>One instance extracts one layer ({@link #apply}); it is not thread-safe.
 *
 * <p>Split by job: what the extractor knows about the tree during a layer (resolved and created
 * directories, upper paths, directory times: {@link LayerTreeState}), whiteouts ({@link
 * WhiteoutApplier}), file content ({@link FileContentWriter}), rootless access ({@link
 * RootlessIo}), entry metadata, xattrs and owners ({@link EntryMetadata}), tree removal ({@code
 * sys.TreeRemover}), path cleaning ({@code PathBytes.cleanComponents}). This class keeps the order
 * of the steps for one entry, which is umoci's.
 */
public final class LayerExtractor {
  private static final Logger LOG = LoggerFactory.getLogger(LayerExtractor.class);

  private final Path root;
  private final ExtractOptions options;
  private final PosixFs fs;
  private final RootlessIo io;
  private final TreeRemover remover;
  private final LayerTreeState tree;

  /** Symlinks this layer made; its whiteouts are not resolved through them. */
  private final LayerSymlinks layerSymlinks = new LayerSymlinks();

  private final WhiteoutApplier whiteouts;
  private final FileContentWriter files;
  private final ContentObserver observer;
  private final EntryMetadata metadata;

  /**
   * @param rootfs the directory layers are applied to; it must exist
   */
  public LayerExtractor(Path rootfs, ExtractOptions options) {
    this(rootfs, options, null);
  }

  /**
   * @param rootfs the directory layers are applied to; it must exist
   * @param observer told the SHA-256 of every regular file written (null: nothing is hashed)
   */
  public LayerExtractor(Path rootfs, ExtractOptions options, ContentObserver observer) {
    this.root = rootfs.toAbsolutePath().normalize();
    this.options = options;
    this.fs = options.fs();
    this.io = new RootlessIo(fs, options.rootless());
    this.tree = new LayerTreeState(root, fs);
    this.remover = fs.treeRemover(io.rootless(), tree::forget);
    this.metadata = new EntryMetadata(fs, options.idMapping(), io.rootless(), io.partial());
    this.whiteouts = new WhiteoutApplier(root, fs, io, tree, layerSymlinks, this::removeAll);
    this.files = new FileContentWriter(io, observer != null);
    this.observer = observer;
  }

  /** Applies one uncompressed layer tar read from {@code plainTar} to {@code rootfs}. */
  public static void apply(InputStream plainTar, Path rootfs, ExtractOptions options)
      throws IOException {
    TarReader reader = new TarReader(plainTar, options.limits());
    new LayerExtractor(rootfs, options).apply(reader);
    long junk = reader.drain();
    if (junk > 0) {
      LOG.debug("ignoring {} trailing bytes after the tar archive", junk);
    }
  }

  /**
   * Applies every entry of {@code reader} (up to its end-of-archive marker) as one layer. The
   * reader is not drained: call {@link TarReader#drain()} to consume trailing bytes.
   */
  public void apply(TarReader reader) throws IOException {
    TarEntry entry;
    while ((entry = reader.next()) != null) {
      applyEntry(entry, reader.content());
    }
    finish();
  }

  /**
   * Applies a single entry; {@code content} supplies a regular file's bytes. Call {@link #finish()}
   * after the last entry of the layer.
   */
  public void applyEntry(TarEntry entry, InputStream content) throws IOException {
    try {
      unpack(entry, content);
    } catch (UmociException e) {
      throw e;
    } catch (IOException e) {
      throw new UmociException(
          "unpack tar entry " + entry.displayName() + ": " + e.getMessage(), e);
    }
  }

  /** Restores the times of directories whose children this layer changed. */
  public void finish() throws IOException {
    tree.restoreTimes();
  }

  private void unpack(TarEntry entry, InputStream content) throws IOException {
    List<byte[]> parts = PathBytes.cleanComponents(entry.name());
    Path dir;
    Path path;
    byte[] file;
    if (parts.isEmpty()) {
      if (entry.type() != TarEntry.Type.DIRECTORY) {
        throw new UnsafeArchiveEntryException(
            "tar entry "
                + entry.displayName()
                + ": malicious tar entry -- refusing to change type of root directory");
      }
      dir = root;
      path = root;
      file = new byte[0];
    } else {
      file = parts.get(parts.size() - 1);
      Path relativeDir = PathBytes.joinComponents(parts.subList(0, parts.size() - 1));
      Path lexicalDir = root.resolve(relativeDir);
      dir = tree.isRealDirectory(lexicalDir) ? lexicalDir : SecureJoin.join(root, relativeDir);
      path = dir.resolve(PathBytes.fromBytes(file));
      checkInside(path, entry);
      tree.rememberTimes(dir);
      if (Whiteouts.isWhiteout(file)) {
        whiteouts.apply(entry, file, dir, relativeDir);
        return;
      }
    }

    FileStat existing = tree.knownAbsent(dir, path) ? null : fs.lstatOrNull(path);
    if (!tree.isRealDirectory(dir)) {
      mkdirAll(dir);
      tree.realDirectory(dir); // SecureJoin's result has no symlink component; all now exist
    }

    boolean dirlink = false;
    boolean isDirEntry = entry.type() == TarEntry.Type.DIRECTORY;
    if (existing != null && !(existing.isDirectory() && isDirEntry)) {
      if (options.keepDirlinks() && existing.isSymlink() && isDirEntry) {
        dirlink = isDirlink(path);
      }
      if (!dirlink) {
        removeAll(path, existing);
        existing = null;
      }
    }

    byte[] written = null;
    switch (entry.type()) {
      case REGULAR -> written = files.write(path, entry, content);
      case DIRECTORY -> {
        if (!dirlink && existing == null) {
          io.run(path, () -> Files.createDirectory(path));
          tree.createdDirectory(path);
        }
      }
      case SYMLINK -> fs.symlink(entry.linkName(), path);
      case HARDLINK -> hardlink(path, entry);
      case CHAR_DEVICE, BLOCK_DEVICE -> device(path, entry);
      case FIFO -> fs.mkfifo(path, entry.mode());
    }

    layerSymlinks.wrote(path, entry.type() == TarEntry.Type.SYMLINK);
    if (entry.type() != TarEntry.Type.HARDLINK) {
      FileStat st = metadata.apply(path, entry);
      if (written != null) {
        observer.fileWritten(st, written);
      }
    }
    if (isDirEntry) {
      tree.setTimes(path, EntryMetadata.times(entry));
      if (!dirlink && tree.isRealDirectory(dir)) {
        tree.realDirectory(path);
      }
    }
    tree.wrote(path);
  }

  /** A device node; an empty file with mode 0 where devices cannot be made (rootless). */
  private void device(Path path, TarEntry entry) throws IOException {
    if (io.partial()) {
      LOG.warn(
          "rootless{{}} creating empty file in place of device {}:{}",
          entry.displayName(),
          entry.devMajor(),
          entry.devMinor());
      io.run(path, () -> Files.createFile(path));
      fs.chmod(path, 0);
    } else {
      int type = entry.type() == TarEntry.Type.CHAR_DEVICE ? FileStat.S_IFCHR : FileStat.S_IFBLK;
      fs.mknod(path, type, entry.mode(), entry.devMajor(), entry.devMinor());
    }
  }

  private void hardlink(Path path, TarEntry entry) throws IOException {
    List<byte[]> parts = PathBytes.cleanComponents(entry.linkName());
    if (parts.isEmpty()) {
      throw new UnsafeArchiveEntryException(
          "tar entry " + entry.displayName() + ": hard link to the root directory is refused");
    }
    Path linkDir =
        SecureJoin.join(root, PathBytes.joinComponents(parts.subList(0, parts.size() - 1)));
    Path target = linkDir.resolve(PathBytes.fromBytes(parts.get(parts.size() - 1)));
    checkInside(target, entry);
    try {
      io.run(path, () -> Files.createLink(path, target));
    } catch (NoSuchFileException e) {
      throw new InvalidImageException(
          "tar entry "
              + entry.displayName()
              + ": hard link target "
              + PathBytes.escape(entry.linkName())
              + " does not exist");
    }
  }

  /**
   * Creates {@code dir} and missing parents inside the root; a component that exists but is not a
   * directory is removed and replaced by a directory (umoci 0.5).
   */
  private void mkdirAll(Path dir) throws IOException {
    Path current = root;
    for (Path name : root.relativize(dir)) {
      if (name.toString().isEmpty()) {
        continue;
      }
      current = current.resolve(name);
      FileStat st = fs.lstatOrNull(current);
      if (st != null && st.isDirectory()) {
        continue;
      }
      if (st != null) {
        LOG.debug("replacing non-directory parent component {} with a directory", current);
        removeAll(current);
      }
      Path p = current;
      try {
        io.run(p, () -> Files.createDirectory(p));
        tree.createdDirectory(p);
      } catch (FileAlreadyExistsException e) {
        // created concurrently: fine if it is a directory
        FileStat again = fs.lstatOrNull(p);
        if (again == null || !again.isDirectory()) {
          throw e;
        }
      }
    }
  }

  /** True when {@code path} is a symlink resolving (inside the root) to a directory. */
  private boolean isDirlink(Path path) throws IOException {
    Path resolved;
    try {
      resolved = SecureJoin.join(root, root.relativize(path));
    } catch (UnsafeArchiveEntryException e) {
      return false; // symlink loop: not a dirlink
    }
    FileStat st = fs.lstatOrNull(resolved);
    return st != null && st.isDirectory();
  }

  /** Removes {@code path} and everything below it without following symlinks. */
  private void removeAll(Path path) throws IOException {
    removeAll(path, fs.lstatOrNull(path));
  }

  /** {@link #removeAll(Path)} given the path's lstat (null: nothing there). */
  private void removeAll(Path path, FileStat st) throws IOException {
    if (st == null) {
      return;
    }
    if (path.equals(root)) {
      throw new UnsafeArchiveEntryException("refusing to remove the rootfs " + root);
    }
    remover.remove(path, st.mode());
  }

  private void checkInside(Path path, TarEntry entry) throws UnsafeArchiveEntryException {
    if (!path.startsWith(root) || path.equals(root)) {
      checkInside(root, path, entry.displayName());
    }
  }

  /**
   * Refuses {@code path} unless it is strictly below {@code root}.
   *
   * @param what names the entry in the message
   */
  static void checkInside(Path root, Path path, String what) throws UnsafeArchiveEntryException {
    if (!path.startsWith(root) || path.equals(root)) {
      throw new UnsafeArchiveEntryException(
          "tar entry " + what + ": resolves outside the rootfs or to the rootfs itself");
    }
  }
}
