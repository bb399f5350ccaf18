package dev.umoci.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip writer that compresses independent 1 MiB blocks on several threads, like the pgzip writer
 * umoci uses (same block size, so the shape of its output matches containerd's and Docker's): each
 * block is raw deflate primed with the last 32 KiB of the block before and ends with a sync flush;
 * the blocks are written in order, then an empty final block and the gzip trailer. Output depends
 * only on the input bytes, never on thread timing.
 *
 * <p>Blocks whose first 64 KiB do not compress (already compressed or random data) are stored
 * instead of deflated, which costs a copy instead of a slow futile compression. The stream stays a
 * valid single-member gzip file any reader accepts.
 */
public final class ParallelGzipOutputStream extends OutputStream {
  static final int BLOCK = 1 << 20;
  private static final int WINDOW = 32 * 1024;
  private static final int SAMPLE = 64 * 1024;
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  private final OutputStream out;
  private final int level;
  private final ExecutorService pool;
  private final int maxInFlight;
  private final Deque<Future<byte[]>> pending = new ArrayDeque<>();
  private final CRC32 crc = new CRC32();
  private byte[] block = new byte[BLOCK];
  private int fill;
  private byte[] previousTail;
  private long total;
  private boolean closed;

  /** A writer with the default level using one thread per available processor. */
  public ParallelGzipOutputStream(OutputStream out) throws IOException {
    this(out, Deflater.DEFAULT_COMPRESSION, Runtime.getRuntime().availableProcessors());
  }

  public ParallelGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
    this.out = out;
    this.level = level;
    int n = Math.max(1, threads);
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            n,
            n,
            1,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "umoci-gzip");
              t.setDaemon(true);
              return t;
            });
    // Idle workers end by themselves, so an abandoned stream (a failed layer) leaks no threads.
    executor.allowCoreThreadTimeOut(true);
    this.pool = executor;
    this.maxInFlight = 2 * n;
    out.write(HEADER);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    ensureOpen();
    crc.update(b, off, len);
    total += len;
    while (len > 0) {
      int n = Math.min(len, BLOCK - fill);
      System.arraycopy(b, off, block, fill, n);
      fill += n;
      off += n;
      len -= n;
      if (fill == BLOCK) {
        submit();
      }
    }
  }

  /** Hands the full (or last partial) block to a worker, keeping the output order. */
  private void submit() throws IOException {
    byte[] data = fill == block.length ? block : Arrays.copyOf(block, fill);
    byte[] dictionary = previousTail;
    previousTail = Arrays.copyOfRange(data, Math.max(0, data.length - WINDOW), data.length);
    pending.add(pool.submit(() -> compressBlock(data, dictionary, level)));
    block = new byte[BLOCK];
    fill = 0;
    while (pending.size() >= maxInFlight) {
      drainOne();
    }
  }

  private void drainOne() throws IOException {
    Future<byte[]> next = pending.poll();
    try {
      out.write(next.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      throw new IOException("gzip compression failed", e.getCause());
    }
  }

  /** One block as raw deflate ending on a byte boundary (sync flush), never final. */
  static byte[] compressBlock(byte[] data, byte[] dictionary, int level) {
    int chosen = compressible(data, level) ? level : Deflater.NO_COMPRESSION;
    Deflater deflater = new Deflater(chosen, true);
    try {
      if (dictionary != null && chosen != Deflater.NO_COMPRESSION) {
        deflater.setDictionary(dictionary);
      }
      deflater.setInput(data);
      ByteArrayOutputStream result = new ByteArrayOutputStream(data.length / 2 + 64);
      byte[] buf = new byte[64 * 1024];
      while (true) {
        int n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
        result.write(buf, 0, n);
        if (n < buf.length && deflater.needsInput()) {
          break;
        }
      }
      return result.toByteArray();
    } finally {
      deflater.end();
    }
  }

  /** True unless a sample of the block shrinks by less than 3% when deflated. */
  private static boolean compressible(byte[] data, int level) {
    if (level == Deflater.NO_COMPRESSION) {
      return false;
    }
    int sample = Math.min(SAMPLE, data.length);
    if (sample < 4096) {
      return true;
    }
    Deflater probe = new Deflater(Deflater.BEST_SPEED, true);
    try {
      probe.setInput(data, 0, sample);
      probe.finish();
      byte[] buf = new byte[sample + 1024];
      int n = 0;
      while (!probe.finished() && n < buf.length) {
        n += probe.deflate(buf, n, buf.length - n);
      }
      return n < sample - sample / 33;
    } finally {
      probe.end();
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  /** Writes the remaining blocks, the final empty block and the trailer; closes {@code out}. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (fill > 0) {
        byte[] last = Arrays.copyOf(block, fill);
        byte[] dictionary = previousTail;
        pending.add(pool.submit(() -> compressBlock(last, dictionary, level)));
        fill = 0;
      }
      while (!pending.isEmpty()) {
        drainOne();
      }
      Deflater end = new Deflater(level, true);
      try {
        end.finish();
        byte[] buf = new byte[64];
        int n = end.deflate(buf);
        out.write(buf, 0, n);
      } finally {
        end.end();
      }
      long c = crc.getValue();
      out.write(
          new byte[] {
            (byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
            (byte) total, (byte) (total >> 8), (byte) (total >> 16), (byte) (total >> 24)
          });
      out.close();
    } finally {
      pool.shutdownNow();
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("gzip stream already closed");
    }
  }
}
