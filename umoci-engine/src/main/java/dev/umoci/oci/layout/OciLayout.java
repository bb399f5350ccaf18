package dev.umoci.oci.layout;

import dev.umoci.errors.BlobNotFoundException;
import dev.umoci.errors.DigestMismatchException;
import dev.umoci.errors.InvalidImageException;
import dev.umoci.errors.LayoutLockedException;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.GoJson;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.InputLimits;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
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

  /**
   * The canonical empty JSON descriptor ({@code {}}) of image-spec v1.1. Its digest is written out
   * (checked by EmptyJsonDescriptorTest) so that opening a layout loads no SHA-256 implementation:
   * that is libcrypto through JNA, tens of milliseconds of the start of {@code ls} or {@code tag}.
   */
  public static final Descriptor EMPTY_JSON =
      Descriptor.of(
          MediaTypes.EMPTY_JSON,
          new Digest(
              Digest.SHA256, "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"),
          2);

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
  private final Access access;
  private final LayoutLocks locks;
  private final LayoutTempDir tempDir;
  private final LayoutOwner owner;
  private boolean closed;

  private OciLayout(Path root, Duration lockWait, Access access) throws IOException {
    this.root = root;
    this.access = access;
    this.locks = LayoutLocks.open(root, lockWait, access);
    this.owner = new LayoutOwner(root);
    this.tempDir = new LayoutTempDir(root, owner::match);
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
    LayoutDirectory.create(path, false);
    return new OciLayout(path, DEFAULT_LOCK_WAIT, Access.SHARED);
  }

  /**
   * Like {@link #create}, but {@code path} may also be an empty directory, which the new layout
   * then replaces (as skopeo fills a directory made by {@code mktemp -d}); a directory that is not
   * empty is refused as any existing path.
   */
  public static OciLayout createInEmpty(Path path) throws IOException {
    LayoutDirectory.create(path, true);
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
    LayoutDirectory.check(path);
    return new OciLayout(path, lockWait, access);
  }

  /** The layout directory. */
  public Path root() {
    return root;
  }

  // ---------------------------------------------------------------- index.json

  /** Reads and parses {@code index.json}. */
  public Index readIndex() throws IOException {
    return IndexFile.read(root);
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
    IndexFile.write(root, index, ensureTempDir(), this::matchOwner);
  }

  /**
   * Runs {@code action} holding the layout write lock (reentrant within one thread). Use it for
   * multi-step changes that must not interleave with other writers, such as garbage collection.
   */
  public <T> T withWriteLock(Callable<T> action) throws IOException {
    return locks.withWriteLock(action);
  }

  // ---------------------------------------------------------------- blobs

  /** Where the blob with {@code digest} lives (whether or not it exists). */
  public Path blobPath(Digest digest) throws InvalidImageException {
    DescriptorCheck.checkAlgorithm(digest);
    return root.resolve(BLOBS_DIR).resolve(Digest.SHA256).resolve(digest.hex());
  }

  /** True when the blob file exists. */
  public boolean hasBlob(Digest digest) throws IOException {
    return Files.isRegularFile(blobPath(digest), LinkOption.NOFOLLOW_LINKS);
  }

  /** Starts writing a new blob; see {@link BlobWriter}. */
  public BlobWriter newBlob() throws IOException {
    Path temp = TempNames.createFile(ensureTempDir(), "blob-", "");
    Files.delete(temp);
    Path blobDir = blobPath(Digest.sha256(new byte[0])).getParent();
    if (!Files.isDirectory(blobDir)) {
      Files.createDirectories(blobDir);
      matchOwner(blobDir.getParent());
      matchOwner(blobDir);
    }
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
    return linkBlob(source, descriptor, true);
  }

  /**
   * {@link #linkBlob(Path, Descriptor)}, where {@code verify} false skips reading the linked file
   * back: only for a {@code source} whose content the caller has already verified (the base-image
   * cache keeps a record of every blob it verified, see {@code ops.VerifiedBlobRecords}). Its size
   * is still checked.
   */
  public boolean linkBlob(Path source, Descriptor descriptor, boolean verify) throws IOException {
    DescriptorCheck.check(descriptor);
    Path target = blobPath(descriptor.digest());
    if (!owner.isSame(source)) {
      return false;
    }
    return BlobLink.publish(source, descriptor, verify, target, ensureTempDir());
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

  /**
   * Stores {@code value} as umoci's {@code PutBlobJSON} does ({@code json.Encoder}: compact,
   * HTML-safe escapes, a trailing newline), so equal values get umoci's digests, and returns its
   * descriptor.
   */
  public Descriptor putJson(String mediaType, Object value) throws IOException {
    return putBytes(mediaType, GoJson.encode(value));
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
    DescriptorCheck.check(descriptor);
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

  /**
   * Reads a whole blob (meant for JSON blobs), verified. A descriptor larger than the JSON size
   * limit ({@link InputLimits#JSON}) is refused before the blob is opened.
   */
  public byte[] readBlob(Descriptor descriptor) throws IOException {
    InputLimits.fromSystemProperties()
        .checkJsonSize(descriptor.size(), "blob " + descriptor.digest());
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

  private Path ensureTempDir() throws IOException {
    return tempDir.get();
  }

  /**
   * Removes stale {@code .umoci-*} entries of the layout root that nobody holds locked (umoci's
   * {@code Clean}). Entries another process (or this object) has locked are skipped; other files
   * are never touched.
   *
   * @return the removed paths
   */
  public List<Path> cleanStaleTempDirs() throws IOException {
    return tempDir.cleanStale();
  }

  /**
   * Like {@link #cleanStaleTempDirs()}, sparing entries changed less than {@code minAge} ago: for a
   * clean-up nobody asked for, which must not take the directory another process has just made and
   * not yet locked for one that was left behind.
   */
  public List<Path> cleanStaleTempDirs(Duration minAge) throws IOException {
    return tempDir.cleanStale(minAge);
  }

  /** Gives a new file the owner of the layout directory, as umoci does when run as root. */
  void matchOwner(Path file) {
    owner.match(file);
  }

  /** Releases and removes this object's temporary directory, and drops the use lock. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      tempDir.close();
    } finally {
      locks.close();
    }
  }
}
