package dev.umoci.ops;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Streams that tell a {@link ProgressListener} the bytes passing through them. */
final class ProgressStreams {
  private ProgressStreams() {}

  /** {@code in}, reporting every byte read. */
  static InputStream counting(InputStream in, ProgressListener listener) {
    if (listener == ProgressListener.NONE) {
      return in;
    }
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          listener.advanced(1, 0);
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int off, int len) throws IOException {
        int n = super.read(buffer, off, len);
        if (n > 0) {
          listener.advanced(n, 0);
        }
        return n;
      }
    };
  }

  /** {@code out}, reporting every byte written. */
  static OutputStream counting(OutputStream out, ProgressListener listener) {
    if (listener == ProgressListener.NONE) {
      return out;
    }
    return new FilterOutputStream(out) {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
        listener.advanced(1, 0);
      }

      @Override
      public void write(byte[] buffer, int off, int len) throws IOException {
        out.write(buffer, off, len);
        listener.advanced(len, 0);
      }
    };
  }
}
