package dev.umoci.oci.layout;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.errors.InvalidLayoutException;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.GoJson;
import dev.umoci.oci.spec.ImageLayout;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.InputLimits;
import dev.umoci.oci.spec.Json;
import dev.umoci.sys.TreeRemover;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The files that make a directory an OCI image layout: making a new one ({@link #create}) and
 * checking an existing one before it is opened ({@link #check}). Stateless.
 */
final class LayoutDirectory {
  private LayoutDirectory() {}

  /**
   * Creates a new, empty layout at {@code path}, which must not exist: {@code oci-layout}, {@code
   * blobs/sha256/} and an empty {@code index.json}. Missing parent directories are created, as
   * umoci does. The layout is assembled in a temporary sibling directory and renamed into place, so
   * an interrupted {@code init} never leaves a half-made layout at {@code path}.
   *
   * @param emptyDirectoryOk also when {@code path} is an empty directory, which the layout replaces
   * @throws InvalidLayoutException when {@code path} exists (also when it appears meanwhile)
   */
  static void create(Path path, boolean emptyDirectoryOk) throws IOException {
    if (taken(path, emptyDirectoryOk)) {
      throw new InvalidLayoutException(path + ": cannot create layout: path already exists");
    }
    Path parent = path.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path staging = TempNames.createDirectory(parent, OciLayout.TEMP_PREFIX + "init-");
    try {
      Path blobs = staging.resolve(OciLayout.BLOBS_DIR);
      Files.createDirectories(blobs.resolve(Digest.SHA256));
      AtomicFile.writeSynced(
          staging.resolve(OciLayout.LAYOUT_FILE), GoJson.encode(ImageLayout.current()));
      AtomicFile.writeSynced(staging.resolve(OciLayout.INDEX_FILE), IndexFile.bytes(Index.empty()));
      Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
      if (taken(path, emptyDirectoryOk)) {
        throw new InvalidLayoutException(path + ": cannot create layout: path already exists");
      }
      DirectorySync.sync(blobs.resolve(Digest.SHA256));
      DirectorySync.sync(blobs);
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
      TreeRemover.direct().remove(staging);
      throw e;
    }
  }

  /** Whether {@code path} exists, other than as an empty directory when that is allowed. */
  private static boolean taken(Path path, boolean emptyDirectoryOk) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    if (!emptyDirectoryOk || !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    try (java.util.stream.Stream<Path> entries = Files.list(path)) {
      return entries.findAny().isPresent();
    }
  }

  /**
   * Checks that {@code path} is a layout this engine can open: a directory with an {@code
   * oci-layout} of the supported version, a {@code blobs/} directory and an {@code index.json}
   * file.
   *
   * @throws InvalidLayoutException saying what is missing or wrong
   */
  static void check(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new InvalidLayoutException(path + ": not an OCI image layout: no such directory");
    }
    if (!Files.isDirectory(path)) {
      throw new InvalidLayoutException(path + ": not an OCI image layout: not a directory");
    }
    Path layoutFile = path.resolve(OciLayout.LAYOUT_FILE);
    if (!Files.isRegularFile(layoutFile)) {
      throw new InvalidLayoutException(
          path + ": not an OCI image layout: missing " + OciLayout.LAYOUT_FILE);
    }
    ImageLayout marker;
    try {
      marker = Json.parse(readJsonFile(layoutFile), ImageLayout.class, OciLayout.LAYOUT_FILE);
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
    if (!Files.isDirectory(path.resolve(OciLayout.BLOBS_DIR))) {
      throw new InvalidLayoutException(
          path + ": not an OCI image layout: missing " + OciLayout.BLOBS_DIR + "/ directory");
    }
    Path index = path.resolve(OciLayout.INDEX_FILE);
    if (!Files.exists(index)) {
      throw new InvalidLayoutException(
          path + ": not an OCI image layout: missing " + OciLayout.INDEX_FILE);
    }
    if (Files.isDirectory(index)) {
      throw new InvalidLayoutException(
          path + ": not an OCI image layout: " + OciLayout.INDEX_FILE + " is a directory");
    }
  }

  /** Reads a small JSON file of the layout, refusing one over the JSON size limit unread. */
  static byte[] readJsonFile(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      InputLimits.fromSystemProperties().checkJsonSize(ch.size(), file.toString());
      InputStream in = Channels.newInputStream(ch);
      return in.readNBytes((int) ch.size());
    }
  }
}
