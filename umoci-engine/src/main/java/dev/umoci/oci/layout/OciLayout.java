package dev.umoci.oci.layout;

import dev.umoci.errors.BlobNotFoundException;
import dev.umoci.errors.DigestMismatchException;
import dev.umoci.errors.InvalidImageException;
import dev.umoci.errors.InvalidLayoutException;
import dev.umoci.errors.LayoutLockedException;
import dev.umoci.errors.UmociException;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.ImageLayout;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OCI image layout directory (umoci's {@code oci/cas/dir}): {@code oci-layout}, {@code
 * index.json} and a sha256 blob store below {@code blobs/sha256}.
 *
 * <p>Every blob read through a descriptor is verified against the descriptor's size and digest.
 * Every write (blob or index) goes to a temporary file in a {@code .umoci-*} directory inside the
 * layout, created on first write and {@code flock}ed while this object is open (so a concurrent
 * {@code gc} by us or by umoci skips it), then renamed atomically into place. Changes to {@code
 * index.json} are read-modify-write cycles under the layout write lock ({@link
 * #updateIndex(IndexUpdate)}), an exclusive {@code flock} on the layout directory shared by all
 * processes and threads, so concurrent writers never lose each other's tags.
 *
 * <p>Instances are thread-safe. Close them to remove the temporary directory.
 */
public final class OciLayout implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(OciLayout.class);

  public static final String LAYOUT_FILE = "oci-layout";
  public static final String INDEX_FILE = "index.json";
  public static final String BLOBS_DIR = "blobs";

  /** Prefix of the temporary directories writers create inside a layout. */
  public static final String TEMP_PREFIX = ".umoci-";

  /** The canonical empty JSON descriptor ({@code {}}) of image-spec v1.1. */
  public static final Descriptor EMPTY_JSON =
      Descriptor.of(MediaTypes.EMPTY_JSON, Digest.sha256("{}".getBytes()), 2);

  /** How long {@link #updateIndex} waits for another writer by default. */
  public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(60);

  private static final Pattern HEX = Pattern.compile("[a-f0-9]{64}");

  private final Path root;
  private final Duration lockWait;
  private final ReentrantLock writeLock = new ReentrantLock();
  private DirectoryLock heldLayoutLock;
  private Path tempDir;
  private DirectoryLock tempDirLock;
  private boolean closed;

  private OciLayout(Path root, Duration lockWait) {
    this.root = root;
    this.lockWait = lockWait;
  }

  /**
   * Creates a new, empty layout at {@code path}, which must not exist: {@code oci-layout}, {@code
   * blobs/sha256/} and an empty {@code index.json}. Missing parent directories are created, as
   * umoci does. The layout is assembled in a temporary sibling directory and renamed into place, so
   * an interrupted {@code init} never leaves a half-made layout at {@code path}.
   */
  public static OciLayout create(Path path) throws IOException {
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidLayoutException(path + ": cannot create layout: path already exists");
    }
    Path parent = path.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempDirectory(parent, TEMP_PREFIX + "init-");
    try {
      Files.createDirectories(staging.resolve(BLOBS_DIR).resolve(Digest.SHA256));
      Files.write(staging.resolve(LAYOUT_FILE), Json.toBytes(ImageLayout.current()));
      Files.write(staging.resolve(INDEX_FILE), indexBytes(Index.empty()));
      Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
      if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidLayoutException(path + ": cannot create layout: path already exists");
      }
      Files.move(staging, path, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      deleteTree(staging);
      throw e;
    }
    return new OciLayout(path, DEFAULT_LOCK_WAIT);
  }

  /** Opens an existing layout, checking its version, {@code blobs/} and {@code index.json}. */
  public static OciLayout open(Path path) throws IOException {
    return open(path, DEFAULT_LOCK_WAIT);
  }

  /** Like {@link #open(Path)}, waiting at most {@code lockWait} for the write lock. */
  public static OciLayout open(Path path, Duration lockWait) throws IOException {
    if (!Files.exists(path)) {
      throw new InvalidLayoutException(path + ": not an OCI image layout: no such directory");
    }
    if (!Files.isDirectory(path)) {
      throw new InvalidLayoutException(path + ": not an OCI image layout: not a directory");
    }
    Path layoutFile = path.resolve(LAYOUT_FILE);
    if (!Files.isRegularFile(layoutFile)) {
      throw new InvalidLayoutException(path + ": not an OCI image layout: missing " + LAYOUT_FILE);
    }
    ImageLayout marker;
    try {
      marker = Json.parse(Files.readAllBytes(layoutFile), ImageLayout.class, LAYOUT_FILE);
    } catch (InvalidImageException e) {
      throw new InvalidLayoutException(path + ": not an OCI image layout: " + e.getMessage(), e);
    }
    if (!ImageLayout.VERSION.equals(marker.imageLayoutVersion())) {
      throw new InvalidLayoutException(
          path
              + ": unsupported OCI image layout version \""
              + marker.imageLayoutVersion()
              + "\" (expected "
              + ImageLayout.VERSION
              + ")");
    }
    if (!Files.isDirectory(path.resolve(BLOBS_DIR))) {
      throw new InvalidLayoutException(
          path + ": not an OCI image layout: missing " + BLOBS_DIR + "/ directory");
    }
    Path index = path.resolve(INDEX_FILE);
    if (!Files.exists(index)) {
      throw new InvalidLayoutException(path + ": not an OCI image layout: missing " + INDEX_FILE);
    }
    if (Files.isDirectory(index)) {
      throw new InvalidLayoutException(
          path + ": not an OCI image layout: " + INDEX_FILE + " is a directory");
    }
    return new OciLayout(path, lockWait);
  }

  /** The layout directory. */
  public Path root() {
    return root;
  }

  // ---------------------------------------------------------------- index.json

  /** Reads and parses {@code index.json}. */
  public Index readIndex() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(root.resolve(INDEX_FILE));
    } catch (NoSuchFileException e) {
      throw new InvalidLayoutException(root + ": not an OCI image layout: missing " + INDEX_FILE);
    }
    try {
      Index index = Json.parse(bytes, Index.class, root.resolve(INDEX_FILE).toString());
      if (index.schemaVersion() != 2) {
        throw new InvalidLayoutException(
            root.resolve(INDEX_FILE) + ": unsupported schemaVersion " + index.schemaVersion());
      }
      return index;
    } catch (InvalidImageException e) {
      throw new InvalidLayoutException(e.getMessage(), e);
    }
  }

  /**
   * Applies {@code update} to the current index and writes the result atomically, all under the
   * layout write lock. Nothing is written when the result equals the current index.
   *
   * @return the index now in {@code index.json}
   * @throws LayoutLockedException when another writer holds the lock longer than the wait
   */
  public Index updateIndex(IndexUpdate update) throws IOException {
    return withWriteLock(
        () -> {
          Index current = readIndex();
          Index next = update.apply(current);
          if (!next.equals(current)) {
            writeIndexLocked(next);
          }
          return next;
        });
  }

  private void writeIndexLocked(Index index) throws IOException {
    Path temp = Files.createTempFile(ensureTempDir(), "index-", ".json");
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(indexBytes(index));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      matchOwner(temp);
      Files.move(
          temp,
          root.resolve(INDEX_FILE),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static byte[] indexBytes(Index index) {
    byte[] json = Json.toBytes(index);
    byte[] withNewline = new byte[json.length + 1];
    System.arraycopy(json, 0, withNewline, 0, json.length);
    withNewline[json.length] = '\n';
    return withNewline;
  }

  /**
   * Runs {@code action} holding the layout write lock (reentrant within one thread). Use it for
   * multi-step changes that must not interleave with other writers, such as garbage collection.
   */
  public <T> T withWriteLock(Callable<T> action) throws IOException {
    acquireWriteLock();
    try {
      return action.call();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    } finally {
      releaseWriteLock();
    }
  }

  private void acquireWriteLock() throws IOException {
    writeLock.lock();
    if (writeLock.getHoldCount() > 1) {
      return;
    }
    try {
      long deadline = System.nanoTime() + lockWait.toNanos();
      long sleepMillis = 2;
      while (true) {
        DirectoryLock lock = DirectoryLock.tryLock(root);
        if (lock != null) {
          heldLayoutLock = lock;
          return;
        }
        if (System.nanoTime() >= deadline) {
          throw new LayoutLockedException(
              root + ": layout is locked by another writer (waited " + lockWait.toSeconds() + "s)");
        }
        Thread.sleep(sleepMillis);
        sleepMillis = Math.min(sleepMillis * 2, 50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      writeLock.unlock();
      throw new LayoutLockedException(root + ": interrupted while waiting for the layout lock");
    } catch (IOException | RuntimeException e) {
      writeLock.unlock();
      throw e;
    }
  }

  private void releaseWriteLock() {
    if (writeLock.getHoldCount() == 1 && heldLayoutLock != null) {
      heldLayoutLock.close();
      heldLayoutLock = null;
    }
    writeLock.unlock();
  }

  // ---------------------------------------------------------------- blobs

  /** Where the blob with {@code digest} lives (whether or not it exists). */
  public Path blobPath(Digest digest) throws InvalidImageException {
    if (!Digest.SHA256.equals(digest.algorithm())) {
      throw new InvalidImageException(
          "unsupported digest algorithm " + digest.algorithm() + " in " + digest);
    }
    return root.resolve(BLOBS_DIR).resolve(Digest.SHA256).resolve(digest.hex());
  }

  /** True when the blob file exists. */
  public boolean hasBlob(Digest digest) throws IOException {
    return Files.isRegularFile(blobPath(digest), LinkOption.NOFOLLOW_LINKS);
  }

  /** Starts writing a new blob; see {@link BlobWriter}. */
  public BlobWriter newBlob() throws IOException {
    Path temp = Files.createTempFile(ensureTempDir(), "blob-", "");
    Files.delete(temp);
    Files.createDirectories(blobPath(Digest.sha256(new byte[0])).getParent());
    return new BlobWriter(this, temp);
  }

  /**
   * Stores the blob {@code descriptor} names as a hard link to {@code source} (the blob file of
   * another layout), so that the two layouts share its storage instead of holding two copies. The
   * linked file is checked against the descriptor's digest and size before it is published. Blob
   * files are never changed in place, so sharing one is safe; removing it from either layout leaves
   * the other's link.
   *
   * @return false, having stored nothing, when the link cannot be made here (another file system,
   *     no hard links, no permission) or the file's owner differs from this layout's (a link cannot
   *     be given this layout's owner without changing the other's): copy the blob instead
   * @throws DigestMismatchException when {@code source} does not match the descriptor
   */
  public boolean linkBlob(Path source, Descriptor descriptor) throws IOException {
    checkDescriptor(descriptor);
    Path target = blobPath(descriptor.digest());
    if (!sameOwner(source)) {
      return false;
    }
    Path temp = Files.createTempFile(ensureTempDir(), "link-", "");
    Files.delete(temp);
    try {
      try {
        Files.createLink(temp, source);
      } catch (IOException | UnsupportedOperationException e) {
        LOG.debug("cannot link {} into {}: {}", source, root, e.toString());
        return false;
      }
      try (VerifiedInputStream in =
          new VerifiedInputStream(
              Files.newInputStream(temp, LinkOption.NOFOLLOW_LINKS),
              descriptor.digest(),
              descriptor.size())) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      Files.createDirectories(target.getParent());
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return true;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private boolean sameOwner(Path file) {
    try {
      return Files.getAttribute(root, "unix:uid")
              .equals(Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS))
          && Files.getAttribute(root, "unix:gid")
              .equals(Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** Stores everything {@code in} yields as one blob. */
  public WrittenBlob putBlob(InputStream in) throws IOException {
    try (BlobWriter writer = newBlob()) {
      in.transferTo(writer);
      return writer.commit();
    }
  }

  /** Stores {@code bytes} as one blob and returns its descriptor. */
  public Descriptor putBytes(String mediaType, byte[] bytes) throws IOException {
    try (BlobWriter writer = newBlob()) {
      writer.write(bytes);
      return writer.commit().descriptor(mediaType);
    }
  }

  /** Stores the compact JSON of {@code value} and returns its descriptor. */
  public Descriptor putJson(String mediaType, Object value) throws IOException {
    return putBytes(mediaType, Json.toBytes(value));
  }

  /**
   * Opens the blob {@code descriptor} names, verified against its digest and size (see {@link
   * VerifiedInputStream}). Embedded {@code data} is checked and served instead of the file.
   *
   * @throws BlobNotFoundException when the blob file does not exist
   * @throws InvalidImageException for a negative size, a foreign digest algorithm or a
   *     non-canonical empty descriptor
   */
  public VerifiedInputStream openBlob(Descriptor descriptor) throws IOException {
    checkDescriptor(descriptor);
    if (descriptor.data() != null) {
      return new VerifiedInputStream(
          new ByteArrayInputStream(descriptor.data()), descriptor.digest(), descriptor.size());
    }
    Path path = blobPath(descriptor.digest());
    InputStream in;
    try {
      in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(
          "blob " + descriptor.digest() + " not found in layout " + root);
    }
    return new VerifiedInputStream(in, descriptor.digest(), descriptor.size());
  }

  /** Reads a whole blob (meant for JSON blobs), verified. */
  public byte[] readBlob(Descriptor descriptor) throws IOException {
    try (VerifiedInputStream in = openBlob(descriptor)) {
      ByteArrayOutputStream out =
          new ByteArrayOutputStream((int) Math.min(descriptor.size(), 1 << 20));
      in.transferTo(out);
      return out.toByteArray();
    }
  }

  /** Reads a verified blob and parses it as JSON of {@code type}. */
  public <T> T readJson(Descriptor descriptor, Class<T> type) throws IOException {
    return Json.parse(readBlob(descriptor), type, "blob " + descriptor.digest());
  }

  private void checkDescriptor(Descriptor d) throws IOException {
    if (d.digest() == null) {
      throw new InvalidImageException("descriptor has no digest");
    }
    if (d.size() < 0) {
      throw new InvalidImageException(
          "descriptor " + d.digest() + ": descriptor size must not be negative (" + d.size() + ")");
    }
    blobPath(d.digest());
    if (MediaTypes.EMPTY_JSON.equals(d.mediaType())
        && !(EMPTY_JSON.digest().equals(d.digest()) && EMPTY_JSON.size() == d.size())) {
      throw new InvalidImageException(
          "descriptor " + d.digest() + ": empty JSON descriptor does not match the canonical {}");
    }
    if (d.data() != null) {
      if (d.data().length != d.size() || !Digest.sha256(d.data()).equals(d.digest())) {
        throw new DigestMismatchException(
            "descriptor " + d.digest() + ": embedded data does not match its digest and size");
      }
    }
  }

  /** Every blob digest present under {@code blobs/sha256}, sorted. Foreign names are skipped. */
  public List<Digest> listBlobs() throws IOException {
    Path dir = root.resolve(BLOBS_DIR).resolve(Digest.SHA256);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    TreeSet<Digest> out = new TreeSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (HEX.matcher(name).matches()) {
          out.add(new Digest(Digest.SHA256, name));
        }
      }
    }
    return new ArrayList<>(out);
  }

  /** Deletes a blob file; a missing blob is not an error. */
  public void deleteBlob(Digest digest) throws IOException {
    Files.deleteIfExists(blobPath(digest));
  }

  // ---------------------------------------------------------------- temp dirs

  private synchronized Path ensureTempDir() throws IOException {
    if (closed) {
      throw new UmociException(root + ": layout is closed");
    }
    if (tempDir == null) {
      Path dir = Files.createTempDirectory(root, TEMP_PREFIX);
      DirectoryLock lock = DirectoryLock.tryLock(dir);
      if (lock == null) {
        throw new IOException("cannot lock new temporary directory " + dir);
      }
      tempDir = dir;
      tempDirLock = lock;
    }
    return tempDir;
  }

  /**
   * Removes stale {@code .umoci-*} entries of the layout root that nobody holds locked (umoci's
   * {@code Clean}). Entries another process (or this object) has locked are skipped; other files
   * are never touched.
   *
   * @return the removed paths
   */
  public List<Path> cleanStaleTempDirs() throws IOException {
    List<Path> removed = new ArrayList<>();
    List<Path> candidates = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, TEMP_PREFIX + "*")) {
      entries.forEach(candidates::add);
    }
    for (Path candidate : candidates) {
      synchronized (this) {
        if (candidate.equals(tempDir)) {
          continue;
        }
      }
      DirectoryLock lock;
      try {
        lock = DirectoryLock.tryLock(candidate);
      } catch (IOException e) {
        LOG.warn("cannot lock {}, skipping it: {}", candidate, e.getMessage());
        continue;
      }
      if (lock == null) {
        LOG.debug("{} is in use, skipping it", candidate);
        continue;
      }
      try {
        deleteTree(candidate);
        removed.add(candidate);
        LOG.debug("cleaned {}", candidate);
      } catch (IOException e) {
        LOG.warn("failed to remove {}: {}", candidate, e.getMessage());
      } finally {
        lock.close();
      }
    }
    return removed;
  }

  private static void deleteTree(Path path) throws IOException {
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(path);
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Gives a new file the owner of the layout directory, as umoci does when run as root. */
  void matchOwner(Path file) {
    try {
      Object rootUid = Files.getAttribute(root, "unix:uid");
      Object rootGid = Files.getAttribute(root, "unix:gid");
      if (!rootUid.equals(Files.getAttribute(file, "unix:uid"))) {
        Files.setAttribute(file, "unix:uid", rootUid);
      }
      if (!rootGid.equals(Files.getAttribute(file, "unix:gid"))) {
        Files.setAttribute(file, "unix:gid", rootGid);
      }
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("cannot give {} the owner of {}: {}", file, root, e.getMessage());
    }
  }

  /** Releases and removes this object's temporary directory. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (tempDir != null) {
      try {
        deleteTree(tempDir);
      } finally {
        tempDirLock.close();
        tempDir = null;
      }
    }
  }
}
