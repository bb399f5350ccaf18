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
import dev.umoci.sys.TreeRemover;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OCI image layout directory (umoci's {@code oci/cas/dir}): {@code oci-layout}, {@code
 * index.json} and a sha256 blob store below {@code blobs/sha256}.
 *
 * <p>Every blob read through a descriptor is verified against the descriptor's size and digest.
 * Every write (blob or index) goes to a temporary file in a {@code .umoci-*} directory inside the
 * layout, created on first write and {@code flock}ed while this object is open (so a concurrent
 * {@code gc} by umoci (Go) skips it), synced, renamed atomically into place, and the directory
 * holding the new name is synced.
 *
 * <p>Locks (the package documentation gives the reasoning):
 *
 * <ul>
 *   <li>the <em>use lock</em>, a {@code flock} on {@code blobs/}, held from open to {@link
 *       #close()}: shared for every {@link Access#SHARED} user (every command but {@code gc}),
 *       exclusive for {@link Access#EXCLUSIVE} (garbage collection). A blob a writer stored but has
 *       not referenced yet therefore never meets a {@code gc}. A gate lock on {@code oci-layout},
 *       held only while the use lock is taken, keeps a stream of users from starving {@code gc};
 *   <li>the <em>write lock</em>, an exclusive {@code flock} on the layout directory, held for each
 *       read-modify-write of {@code index.json} ({@link #updateIndex(IndexUpdate)}), so concurrent
 *       writers never lose each other's tags.
 * </ul>
 *
 * Both are taken in that order and waited for at most the lock wait given at open, then {@link
 * LayoutLockedException} says who holds the layout.
 *
 * <p>Instances are thread-safe. Close them to remove the temporary directory and drop the use lock.
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

  /** How one open layout shares it with other users; see the class documentation. */
  public enum Access {
    /** Reads and writes that add blobs and change tags: any number at once. */
    SHARED,
    /** Garbage collection: no other user at the same time. */
    EXCLUSIVE
  }

  /** How long opening waits for the use lock, and {@link #updateIndex} for another writer. */
  public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(60);

  private static final Pattern HEX = Pattern.compile("[a-f0-9]{64}");

  private final Path root;
  private final Duration lockWait;
  private final Access access;
  private final DirectoryLock useLock;

  /** Use locks each thread holds, by {@link #useKey}; an entry means "this thread uses it". */
  private static final Map<List<Object>, Integer> THREAD_USES = new ConcurrentHashMap<>();

  private final List<Object> useKey;
  private final ReentrantLock writeLock = new ReentrantLock();
  private DirectoryLock heldLayoutLock;
  private Path tempDir;
  private DirectoryLock tempDirLock;
  private boolean closed;

  private OciLayout(Path root, Duration lockWait, Access access) throws IOException {
    this.root = root;
    this.lockWait = lockWait;
    this.access = access;
    this.useKey = useKey(root);
    this.useLock = acquireUseLock();
  }

  /**
   * Takes the use lock (on {@code blobs/}), passing the gate (a lock on {@code oci-layout}) first:
   * {@code gc} holds the gate exclusive while it waits for the use lock, so users that arrive
   * meanwhile queue behind it instead of starving it; users hold the gate shared only until they
   * have the use lock. A thread that already uses this layout through another open object does not
   * take the gate: it would wait there for a {@code gc} that waits for that very thread.
   */
  private DirectoryLock acquireUseLock() throws IOException {
    boolean shared = access == Access.SHARED;
    Supplier<String> busy =
        () ->
            shared
                ? root
                    + ": layout is being garbage-collected by another process (waited "
                    + describe(lockWait)
                    + "); try again when it is done"
                : root
                    + ": layout is in use by another umoci process (waited "
                    + describe(lockWait)
                    + "); gc needs it to itself: try again when the others are done";
    if (!shared && THREAD_USES.containsKey(useKey)) {
      // It would wait for itself until the wait ran out.
      throw new LayoutLockedException(
          root + ": cannot collect garbage while this thread has the layout open");
    }
    long deadline = System.nanoTime() + lockWait.toNanos();
    Path blobs = root.resolve(BLOBS_DIR);
    DirectoryLock gate = null;
    if (!shared || !THREAD_USES.containsKey(useKey)) {
      gate = waitForLock(root.resolve(LAYOUT_FILE), shared, deadline, busy);
    }
    try {
      DirectoryLock lock = waitForLock(blobs, shared, deadline, busy);
      THREAD_USES.merge(useKey, 1, Integer::sum);
      return lock;
    } finally {
      if (gate != null) {
        gate.close();
      }
    }
  }

  /** The identity of this layout's {@code blobs/} directory and of the opening thread. */
  private static List<Object> useKey(Path root) throws IOException {
    Object blobs =
        Files.readAttributes(root.resolve(BLOBS_DIR), BasicFileAttributes.class).fileKey();
    return List.of(
        blobs == null ? root.toAbsolutePath().normalize() : blobs, Thread.currentThread());
  }

  /**
   * Polls for a lock on {@code file} until {@code deadline} ({@link System#nanoTime()}) has passed.
   *
   * @throws LayoutLockedException with {@code busy}'s message when the wait ran out
   */
  private DirectoryLock waitForLock(Path file, boolean shared, long deadline, Supplier<String> busy)
      throws IOException {
    long sleepMillis = 2;
    try {
      while (true) {
        DirectoryLock lock = DirectoryLock.tryLock(file, shared);
        if (lock != null) {
          return lock;
        }
        if (System.nanoTime() - deadline >= 0) {
          throw new LayoutLockedException(busy.get());
        }
        if (sleepMillis == 2) {
          LOG.info("{}: waiting for another umoci process to release its lock", root);
        }
        Thread.sleep(sleepMillis);
        sleepMillis = Math.min(sleepMillis * 2, 50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LayoutLockedException(root + ": interrupted while waiting for the layout lock");
    }
  }

  private static String describe(Duration wait) {
    return wait.toMillis() % 1000 == 0 ? wait.toSeconds() + "s" : wait.toMillis() + "ms";
  }

  /** How this object shares the layout. */
  public Access access() {
    return access;
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
      writeSynced(staging.resolve(LAYOUT_FILE), Json.toBytes(ImageLayout.current()));
      writeSynced(staging.resolve(INDEX_FILE), indexBytes(Index.empty()));
      Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
      if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidLayoutException(path + ": cannot create layout: path already exists");
      }
      DirectorySync.sync(staging.resolve(BLOBS_DIR).resolve(Digest.SHA256));
      DirectorySync.sync(staging.resolve(BLOBS_DIR));
      DirectorySync.sync(staging);
      try {
        // rename(2) would replace an empty directory made meanwhile; a concurrent init's layout
        // (not empty) makes it fail, which is the "already exists" below.
        Files.move(staging, path, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileSystemException e) {
        // ENOTEMPTY arrives as a plain FileSystemException from the JDK.
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
          throw new InvalidLayoutException(path + ": cannot create layout: path already exists", e);
        }
        throw e;
      }
      DirectorySync.sync(parent);
    } catch (IOException | RuntimeException e) {
      deleteTree(staging);
      throw e;
    }
    return new OciLayout(path, DEFAULT_LOCK_WAIT, Access.SHARED);
  }

  /** Opens an existing layout, checking its version, {@code blobs/} and {@code index.json}. */
  public static OciLayout open(Path path) throws IOException {
    return open(path, DEFAULT_LOCK_WAIT);
  }

  /** Like {@link #open(Path)}, waiting at most {@code lockWait} for each lock. */
  public static OciLayout open(Path path, Duration lockWait) throws IOException {
    return open(path, lockWait, Access.SHARED);
  }

  /**
   * Opens an existing layout for garbage collection: no other user may hold it open meanwhile (see
   * {@link Access#EXCLUSIVE}).
   */
  public static OciLayout openExclusive(Path path) throws IOException {
    return open(path, DEFAULT_LOCK_WAIT, Access.EXCLUSIVE);
  }

  /**
   * Opens an existing layout with the given access, waiting at most {@code lockWait} for each lock.
   *
   * @throws LayoutLockedException when a conflicting user holds the layout longer than that
   */
  public static OciLayout open(Path path, Duration lockWait, Access access) throws IOException {
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
    return new OciLayout(path, lockWait, access);
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
      writeSynced(temp, indexBytes(index));
      matchOwner(temp);
      Files.move(
          temp,
          root.resolve(INDEX_FILE),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      DirectorySync.sync(root);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Writes {@code content} to the existing or new file {@code file} and syncs it to disk. */
  private static void writeSynced(Path file, byte[] content) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
      ByteBuffer buf = ByteBuffer.wrap(content);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
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
      heldLayoutLock =
          waitForLock(
              root,
              false,
              System.nanoTime() + lockWait.toNanos(),
              () ->
                  root
                      + ": layout is locked by another writer (waited "
                      + describe(lockWait)
                      + ")");
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
   * Publishes the blob {@code d} of {@code source} in this layout as a hard link to the source's
   * file, which is safe because blob files are never changed in place (every write is a new file
   * renamed over the name). The file's size must match {@code d}; its content is verified, as
   * always, when it is read.
   *
   * @return false when no link can be made (another file system, no permission, embedded data): the
   *     caller copies the blob instead
   */
  public boolean linkBlob(OciLayout source, Descriptor d) throws IOException {
    checkDescriptor(d);
    if (d.data() != null) {
      return false;
    }
    Path from = source.blobPath(d.digest());
    try {
      if (Files.size(from) != d.size()) {
        throw new DigestMismatchException(
            "blob " + d.digest() + " in " + source.root() + " is not " + d.size() + " bytes long");
      }
      Files.createLink(blobPath(d.digest()), from);
      return true;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return true;
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(
          "blob " + d.digest() + " not found in layout " + source.root());
    } catch (IOException | UnsupportedOperationException e) {
      if (e instanceof UmociException u) {
        throw u;
      }
      LOG.debug("cannot link blob {} from {}: {}", d.digest(), source.root(), e.getMessage());
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
    TreeRemover.direct().remove(path);
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
    try {
      if (tempDir != null) {
        try {
          deleteTree(tempDir);
        } finally {
          tempDirLock.close();
          tempDir = null;
        }
      }
    } finally {
      useLock.close();
      THREAD_USES.computeIfPresent(useKey, (k, n) -> n == 1 ? null : n - 1);
    }
  }
}
