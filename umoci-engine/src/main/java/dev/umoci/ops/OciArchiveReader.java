package dev.umoci.ops;

import dev.umoci.errors.InvalidLayoutException;
import dev.umoci.errors.UmociException;
import dev.umoci.layer.TarEntry;
import dev.umoci.oci.layout.BlobWriter;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.ImageLayout;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.InputLimits;
import dev.umoci.oci.spec.Json;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Extracts an {@code oci-archive} (a tar of an OCI layout, as skopeo and podman write it) into a
 * new layout, trusting nothing in it. Only {@code oci-layout}, {@code index.json} and {@code
 * blobs/sha256/<hex>} (with or without a leading {@code ./}) are taken, as regular files, and the
 * directories {@code blobs} and {@code blobs/sha256} ({@code manifest.json} and {@code
 * repositories}, which {@code docker save} adds since Docker 25, are skipped); each blob goes
 * through the layout's blob writer and is committed only if its bytes hash to its name; {@code
 * oci-layout} must say version 1.0.0 and {@code index.json} must parse. Anything else (another
 * name, a link, a device, {@code ..}) fails with one line naming the archive and the entry: no path
 * of the archive is ever used as a path here. On failure the caller discards the half-made layout.
 */
final class OciArchiveReader {
  private static final Pattern BLOB = Pattern.compile("blobs/sha256/[0-9a-f]{64}");

  private OciArchiveReader() {}

  /**
   * Extracts {@code archive} into a layout created at {@code dir} (which must not exist).
   *
   * @throws InvalidLayoutException naming {@code archive} and what in it is not a layout's
   */
  static void extract(Path archive, Path dir) throws IOException {
    InputLimits limits = InputLimits.fromSystemProperties();
    String where = "oci-archive " + archive + ": ";
    try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
        ArchiveTarReader tar = new ArchiveTarReader(file, limits, where);
        OciLayout layout = OciLayout.create(dir)) {
      byte[] index = null;
      boolean marked = false;
      for (TarEntry e; (e = tar.next()) != null; ) {
        String name = name(e);
        if (e.type() == TarEntry.Type.DIRECTORY) {
          if (!name.isEmpty() && !name.equals("blobs") && !name.equals("blobs/sha256")) {
            throw unexpected(where, e);
          }
          continue;
        }
        if (e.type() != TarEntry.Type.REGULAR) {
          throw unexpected(where, e);
        }
        if (name.equals(OciLayout.LAYOUT_FILE)) {
          limits.checkJsonSize(e.size(), where + OciLayout.LAYOUT_FILE);
          ImageLayout marker =
              Json.parse(tar.readContent(), ImageLayout.class, where + "oci-layout");
          if (!ImageLayout.VERSION.equals(marker.imageLayoutVersion())) {
            throw new InvalidLayoutException(
                where + "unsupported image layout version " + marker.imageLayoutVersion());
          }
          marked = true;
        } else if (name.equals("index.json")) {
          limits.checkJsonSize(e.size(), where + "index.json");
          index = tar.readContent();
        } else if (name.equals("manifest.json") || name.equals("repositories")) {
          // what Docker 25+ adds to the layout it saves, for older docker load: not needed
        } else if (BLOB.matcher(name).matches()) {
          Digest digest = Digest.parse("sha256:" + name.substring("blobs/sha256/".length()));
          try (BlobWriter w = layout.newBlob()) {
            tar.transferContent(w);
            try {
              w.commit(digest, e.size());
            } catch (UmociException bad) {
              throw new InvalidLayoutException(where + bad.getMessage(), bad);
            }
          }
        } else {
          throw unexpected(where, e);
        }
      }
      if (!marked || index == null) {
        throw new InvalidLayoutException(
            where + "not an OCI layout: no " + (marked ? "index.json" : OciLayout.LAYOUT_FILE));
      }
      Index parsed = Json.parse(index, Index.class, where + "index.json");
      layout.updateIndex(current -> parsed);
    }
  }

  /** The entry's name without a leading {@code ./} or trailing {@code /}. */
  private static String name(TarEntry e) {
    String name = new String(e.name(), StandardCharsets.UTF_8);
    while (name.startsWith("./")) {
      name = name.substring(2);
    }
    while (name.endsWith("/")) {
      name = name.substring(0, name.length() - 1);
    }
    return name.equals(".") ? "" : name;
  }

  private static String kind(TarEntry.Type type) {
    return switch (type) {
      case REGULAR -> "file";
      case DIRECTORY -> "directory";
      case SYMLINK -> "symlink";
      case HARDLINK -> "hard link";
      case CHAR_DEVICE -> "character device";
      case BLOCK_DEVICE -> "block device";
      case FIFO -> "fifo";
    };
  }

  private static InvalidLayoutException unexpected(String where, TarEntry e) {
    return new InvalidLayoutException(
        where
            + "unexpected "
            + kind(e.type())
            + " \""
            + e.displayName()
            + "\" (an OCI layout holds oci-layout, index.json and blobs/sha256/)");
  }
}
