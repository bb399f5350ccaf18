package dev.umoci.layer;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.errors.InvalidImageException;
import dev.umoci.oci.spec.MediaTypes;
import java.io.BufferedInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;

/**
 * Layer blob compression. Each constant knows its media-type suffix and how to wrap streams.
 * umoci's {@code auto} choice is not a constant here: it is resolved by the image mutator from the
 * image's existing layers.
 */
public enum Compression {
  NONE("none", ""),
  GZIP("gzip", "+gzip"),
  ZSTD("zstd", "+zstd");

  private static final int BUFFER = 1 << 16;

  /**
   * The deflate level of new gzip layers. Measured on a 582 MB Debian rootfs tar (zlib levels, CPU
   * seconds for the whole tar / compressed size): 1 → 6.6 s / 225.6 MB, 2 → 6.9 s / 220.8 MB, 3 →
   * 9.3 s / 217.1 MB, 4 → 9.5 s / 211.3 MB, 6 → 21.2 s / 205.5 MB; umoci 0.4.7 (pgzip, Go's default
   * level) spends 8.2 s for 215.8 MB. Level 2 is the cheapest within a few percent of umoci's size.
   */
  static final int GZIP_LEVEL = 2;

  private final String flagName;
  private final String suffix;

  Compression(String flagName, String suffix) {
    this.flagName = flagName;
    this.suffix = suffix;
  }

  /** The name used by umoci's {@code --compress} flag. */
  public String flagName() {
    return flagName;
  }

  /** The (distributable) layer media type for blobs compressed this way. */
  public String layerMediaType() {
    return MediaTypes.LAYER_TAR + suffix;
  }

  /**
   * The compression of a layer media type, OCI or Docker ({@code ...rootfs.diff.tar.gzip} is gzip);
   * anything not a layer type is refused.
   */
  public static Compression ofMediaType(String mediaType) throws InvalidImageException {
    if (!MediaTypes.isLayer(mediaType)) {
      throw new InvalidImageException("unsupported layer media type " + mediaType);
    }
    String oci = MediaTypes.ociEquivalent(mediaType);
    if (oci.endsWith("+gzip")) {
      return GZIP;
    }
    if (oci.endsWith("+zstd")) {
      return ZSTD;
    }
    return NONE;
  }

  /** Parses a {@code --compress} value other than {@code auto}. */
  public static Compression ofFlag(String name) throws InvalidArgumentException {
    for (Compression c : values()) {
      if (c.flagName.equals(name)) {
        return c;
      }
    }
    throw new InvalidArgumentException(
        "invalid --compress value \"" + name + "\": expected one of gzip, zstd, none, auto");
  }

  /**
   * Wraps {@code out}; closing the result finishes the compressed stream and closes {@code out}.
   * gzip is deflated on one thread per core ({@link ParallelGzipOutputStream}); its output does not
   * depend on the number of cores.
   */
  public OutputStream compress(OutputStream out) throws IOException {
    return switch (this) {
      case NONE -> out;
      case GZIP -> new ParallelGzipOutputStream(out);
      case ZSTD -> new ZstdOutputStreamNoFinalizer(out, 3);
    };
  }

  /**
   * As {@link #compress(OutputStream)}, also updating {@code plainDigest} with every plain byte
   * written, in order: complete once the result was closed without an exception. gzip does it on
   * its sink thread (see {@link ParallelGzipOutputStream}), the others as the bytes are written.
   */
  public OutputStream compress(OutputStream out, MessageDigest plainDigest) throws IOException {
    if (this == GZIP) {
      return new ParallelGzipOutputStream(out, plainDigest);
    }
    return new PlainDigestStream(compress(out), plainDigest);
  }

  /**
   * Hashes the plain bytes on their way to a compressor. Closing closes the compressor without a
   * flush of its own, so the compressed bytes are those of the compressor alone wrapped the same
   * way (a zstd flush ends a block: a second one before closing would change the output).
   */
  private static final class PlainDigestStream extends FilterOutputStream {
    private final MessageDigest digest;

    PlainDigestStream(OutputStream out, MessageDigest digest) {
      super(out);
      this.digest = digest;
    }

    @Override
    public void write(int b) throws IOException {
      digest.update((byte) b);
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      digest.update(b, off, len);
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /**
   * Wraps {@code in} to yield the plain tar stream. A truncated or corrupt compressed stream is an
   * {@link dev.umoci.errors.InvalidImageException}, when opened or while read.
   */
  public InputStream decompress(InputStream in) throws IOException {
    return switch (this) {
      case NONE -> in;
      case GZIP -> DecompressedStream.open(in, "gzip", s -> new GZIPInputStream(s, BUFFER));
      case ZSTD ->
          DecompressedStream.open(
              in, "zstd", s -> new BufferedInputStream(new ZstdInputStreamNoFinalizer(s), BUFFER));
    };
  }
}
