package dev.umoci.layer;

import dev.umoci.errors.DigestMismatchException;
import dev.umoci.errors.UmociException;
import dev.umoci.fs.FileStat;
import dev.umoci.fs.IdMapping;
import dev.umoci.fs.PosixFs;
import dev.umoci.oci.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacks layer blobs onto a rootfs: decompresses, extracts while hashing the plain tar stream
 * once, drains trailing bytes and checks the DiffID. Everything streams; nothing is buffered whole.
 *
 * <p>The unpack chain, one level each: {@code ops.ImageUnpacker} (every layer of an image, in
 * order) → this class (one compressed layer blob) → {@link LayerExtractor} (the entries of one tar
 * stream).
 */
public final class LayerBlobUnpacker {
  private static final Logger LOG = LoggerFactory.getLogger(LayerBlobUnpacker.class);

  private LayerBlobUnpacker() {}

  /**
   * Applies one layer blob to {@code rootfs}.
   *
   * @param blob the (verified) layer blob stream; read to its end but not closed
   * @param compression how the blob is compressed
   * @param layerDigest the blob's digest, for messages
   * @param expectedDiffId the config's {@code rootfs.diff_ids} entry for this layer
   * @throws DigestMismatchException "layer &lt;digest&gt;: diffid mismatch: expected X, got Y"
   */
  public static void unpackLayer(
      InputStream blob,
      Compression compression,
      Digest layerDigest,
      Digest expectedDiffId,
      Path rootfs,
      ExtractOptions options)
      throws IOException {
    unpackLayer(blob, compression, layerDigest, expectedDiffId, rootfs, options, null);
  }

  /**
   * Applies one layer blob to {@code rootfs}, as {@link #unpackLayer(InputStream, Compression,
   * Digest, Digest, Path, ExtractOptions)}, telling {@code observer} (if not null) the SHA-256 of
   * every regular file written.
   *
   * <p>Reading and decompressing the blob run on a background thread, ahead of the extraction, and
   * the plain stream is hashed for the DiffID on a third thread (see {@link LayerReadAhead}), so
   * that both cores are used whichever of decompression and extraction is the slower.
   */
  public static void unpackLayer(
      InputStream blob,
      Compression compression,
      Digest layerDigest,
      Digest expectedDiffId,
      Path rootfs,
      ExtractOptions options,
      ContentObserver observer)
      throws IOException {
    unpackLayer(
        new LayerReadAhead(() -> blob, compression, layerDigest, LayerReadAhead.newPool(), null),
        expectedDiffId,
        rootfs,
        options,
        observer);
  }

  /**
   * Applies the layer {@code layer} reads ahead to {@code rootfs}, as {@link
   * #unpackLayer(InputStream, Compression, Digest, Digest, Path, ExtractOptions)}, and closes it
   * (not its blob, which is read to its end).
   */
  public static void unpackLayer(
      LayerReadAhead layer,
      Digest expectedDiffId,
      Path rootfs,
      ExtractOptions options,
      ContentObserver observer)
      throws IOException {
    Digest layerDigest = layer.layerDigest();
    long tarJunk;
    try (layer) {
      TarReader reader = new TarReader(layer.plain());
      new LayerExtractor(rootfs, options, observer).apply(reader);
      tarJunk = reader.drain();
    }
    if (tarJunk > 0) {
      LOG.debug(
          "layer {}: ignoring {} trailing 'junk' bytes in the tar stream -- probably from GNU tar",
          layerDigest,
          tarJunk);
    }
    long rawJunk = layer.blob().transferTo(OutputStreamSink.INSTANCE);
    if (rawJunk > 0) {
      LOG.warn(
          "layer {}: ignoring {} trailing 'junk' bytes in the blob stream -- this may indicate a"
              + " bug in the tool which built this image",
          layerDigest,
          rawJunk);
    }
    Digest got = Digest.ofSha256(layer.diffId().digest());
    if (!got.equals(expectedDiffId)) {
      throw new DigestMismatchException(
          "layer "
              + layerDigest
              + ": diffid mismatch: expected "
              + expectedDiffId
              + ", got "
              + got);
    }
  }

  /**
   * Prepares an (empty) rootfs as umoci does before the first layer: owner set to the host ids of
   * container root (0:0 through {@code mapping}; in rootless mode that is the current user) and
   * atime/mtime set to the Unix epoch. Creates the directory (0755) if missing.
   */
  public static void prepareRootfs(Path rootfs, IdMapping mapping, PosixFs fs) throws IOException {
    if (!Files.isDirectory(rootfs, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(rootfs);
      fs.chmod(rootfs, 0755);
    }
    int uid = mapping.uidToHost(0);
    int gid = mapping.gidToHost(0);
    FileStat st = fs.lstat(rootfs);
    if (st.uid() != uid || st.gid() != gid) {
      try {
        fs.lchown(rootfs, uid, gid);
      } catch (IOException e) {
        throw new UmociException(
            "chown rootfs " + rootfs + " to " + uid + ":" + gid + ": " + e.getMessage(), e);
      }
    }
    fs.setTimes(rootfs, 0, 0);
  }

  /** Discards bytes. */
  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
