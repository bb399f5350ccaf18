package dev.umoci.layer;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.errors.UmociException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A decompressing stream whose format errors are {@link InvalidImageException}s: the JDK's gzip
 * reader and zstd-jni report a truncated or corrupt stream as plain {@link IOException}s ({@code
 * EOFException}, {@code ZipException}, {@code ZstdIOException}), which say neither what was wrong
 * nor that the image is to blame. Failures of the compressed source itself (a disk error, a digest
 * mismatch) pass through unchanged.
 */
final class DecompressedStream extends FilterInputStream {
  /** Opens a decompressor over the (failure-recording) source. */
  interface Opener {
    InputStream open(InputStream source) throws IOException;
  }

  private final Source source;
  private final String format;

  private DecompressedStream(InputStream decompressed, Source source, String format) {
    super(decompressed);
    this.source = source;
    this.format = format;
  }

  /** {@code opener} applied to {@code compressed}, reporting format errors as invalid images. */
  static InputStream open(InputStream compressed, String format, Opener opener) throws IOException {
    Source source = new Source(compressed);
    try {
      return new DecompressedStream(opener.open(source), source, format);
    } catch (IOException e) {
      throw classify(e, source, format);
    }
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (IOException e) {
      throw classify(e, source, format);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return super.read(b, off, len);
    } catch (IOException e) {
      throw classify(e, source, format);
    }
  }

  @Override
  public long skip(long n) throws IOException {
    try {
      return super.skip(n);
    } catch (IOException e) {
      throw classify(e, source, format);
    }
  }

  private static IOException classify(IOException e, Source source, String format) {
    if (e instanceof UmociException || source.failed) {
      return e;
    }
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new InvalidImageException("invalid " + format + " stream: " + detail, e);
  }

  /** The compressed input, remembering whether it failed itself. */
  private static final class Source extends FilterInputStream {
    volatile boolean failed;

    Source(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return super.skip(n);
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public int available() throws IOException {
      try {
        return super.available();
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }
  }
}
