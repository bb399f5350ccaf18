package dev.umoci.layer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip writer that deflates on several threads, in the manner of pigz and Go's pgzip (which umoci
 * uses): the plain stream is cut into fixed {@link #BLOCK_SIZE} blocks, each block is deflated on
 * its own with the previous block's last 32 KiB as preset dictionary and ends on a sync-flush byte
 * boundary (the last block ends the deflate stream), and the compressed blocks are written in
 * order. The result is one ordinary gzip member (RFC 1952) that any gunzip reads.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>Deterministic: the output depends only on the bytes written and the level, never on the
 *       number of threads, on how writes are split, on {@link #flush()} calls or on timing.
 *   <li>Bounded memory: at most {@code 2 × threads} blocks are in flight; the writer blocks until
 *       the oldest is written. Buffers are recycled.
 *   <li>A failure while deflating or writing is thrown as {@link IOException} from {@code write} or
 *       {@code close}; the stream is then broken and every later call throws it again. {@code
 *       close} always stops the worker threads and closes the underlying stream.
 *   <li>Not thread-safe: one writer thread at a time, like any {@link OutputStream}.
 *   <li>The writer thread only copies bytes into blocks. Each full block is deflated on a worker,
 *       and one more thread, the sink, takes the blocks in order: it folds the block's plain bytes
 *       into the CRC-32 (and into the plain digest, when one was given), waits for its deflated
 *       form and writes that to the underlying stream. So the underlying stream is written by the
 *       sink thread, one call at a time and in order; every write has happened before {@code flush}
 *       or {@code close} returns, and the plain digest is complete once {@code close} returned. A
 *       stream that never fills a block uses no thread but the writer's.
 * </ul>
 *
 * Header fields are fixed (no name, mtime 0, OS 255 "unknown", as Go writes them), so equal input
 * gives equal blobs and digests.
 *
 * <p>Why it is our own, and one class of some 500 lines: no maintained Java library writes gzip on
 * several threads with output that depends only on the input (see the package documentation); the
 * block scheme, the ordered hand-off between threads and the failure handling only work together.
 */
public final class ParallelGzipOutputStream extends OutputStream {
  /** Plain bytes per independently deflated block: 1 MiB, as umoci's pgzip setting. */
  public static final int BLOCK_SIZE = 1 << 20;

  /** The deflate window: each block is primed with this much of the plain data before it. */
  static final int DICTIONARY_SIZE = 32 * 1024;

  /** Granularity of the deflate-or-store choice within a block. */
  static final int SEGMENT_SIZE = 64 * 1024;

  /** Shorter stretches are always deflated. */
  private static final int MIN_STORED_RUN = 4096;

  /** Order-0 entropy (bits per byte) from which a segment is stored rather than deflated. */
  static final double STORE_ENTROPY_BITS = 7.98;

  /** Largest payload of one stored deflate block. */
  private static final int MAX_STORED = 65535;

  /** An empty final deflate block with fixed Huffman codes: BFINAL 1, BTYPE 01, end of block. */
  private static final byte[] FINAL_EMPTY_BLOCK = {0x03, 0x00};

  private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

  /** Deflates one block; replaceable in tests to inject failures. */
  @FunctionalInterface
  interface BlockDeflater {
    /**
     * Deflates {@code block.input[0, block.length)} into a raw deflate fragment, ending on a byte
     * boundary (sync flush) or, for the last block, with the final deflate block.
     */
    Compressed deflate(Block block) throws IOException;
  }

  /** One block of plain input, handed to a worker; the arrays are owned by the task. */
  record Block(byte[] input, int length, byte[] dictionary, boolean last) {}

  /** A deflated block: {@code bytes[0, length)}, plus the plain buffer to recycle. */
  record Compressed(byte[] bytes, int length, byte[] input) {}

  private final OutputStream out;
  private final MessageDigest plainDigest;
  private final int blockSize;
  private final int maxInFlight;
  private final ExecutorService pool;
  private final ExecutorService sink;
  private final BlockDeflater deflater;
  private final ConcurrentLinkedQueue<Deflater> idleDeflaters = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<byte[]> idleOutputs = new ConcurrentLinkedQueue<>();
  private final ArrayDeque<byte[]> idleInputs = new ArrayDeque<>();
  private final ArrayDeque<Future<Compressed>> inFlight = new ArrayDeque<>();
  private final CRC32 crc = new CRC32();
  private final int level;
  private final byte[] oneByte = new byte[1];

  private byte[] current;
  private int fill;
  private byte[] dictionary;
  private long plainSize;
  private boolean closed;
  private IOException failure;

  /** Set when a block failed or the stream was given up: the sink writes nothing more. */
  private volatile boolean sinkFailed;

  /** Wraps {@code out} at the layer level {@link Compression#GZIP_LEVEL}, one thread per core. */
  public ParallelGzipOutputStream(OutputStream out) throws IOException {
    this(out, Compression.GZIP_LEVEL, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Wraps {@code out}, deflating at {@code level} (0 to 9, or -1 for zlib's default, 6) on {@code
   * threads} worker threads. Closing this stream finishes the gzip member and closes {@code out}.
   */
  public ParallelGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
    this(out, level, threads, BLOCK_SIZE, null);
  }

  /**
   * As {@link #ParallelGzipOutputStream(OutputStream)}, also updating {@code plainDigest} (unless
   * null) with every plain byte written, in order, off the writer's thread; read it only after
   * {@link #close()} returned without an exception.
   */
  public ParallelGzipOutputStream(OutputStream out, MessageDigest plainDigest) throws IOException {
    this(
        out,
        Compression.GZIP_LEVEL,
        Runtime.getRuntime().availableProcessors(),
        BLOCK_SIZE,
        null,
        plainDigest);
  }

  /** As above with a test-sized block and, when not null, a replacement block deflater. */
  ParallelGzipOutputStream(
      OutputStream out, int level, int threads, int blockSize, BlockDeflater deflater)
      throws IOException {
    this(out, level, threads, blockSize, deflater, null);
  }

  /** As above, also updating {@code plainDigest} (unless null) with the plain bytes. */
  ParallelGzipOutputStream(
      OutputStream out,
      int level,
      int threads,
      int blockSize,
      BlockDeflater deflater,
      MessageDigest plainDigest)
      throws IOException {
    if (level < Deflater.DEFAULT_COMPRESSION || level > Deflater.BEST_COMPRESSION) {
      throw new IllegalArgumentException("gzip level must be -1 to 9, not " + level);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("need at least one compression thread, not " + threads);
    }
    if (blockSize <= DICTIONARY_SIZE) {
      throw new IllegalArgumentException("block size must exceed " + DICTIONARY_SIZE);
    }
    this.out = out;
    this.plainDigest = plainDigest;
    this.level = level == Deflater.DEFAULT_COMPRESSION ? 6 : level;
    this.blockSize = blockSize;
    this.maxInFlight = 2 * threads;
    this.deflater = deflater != null ? deflater : this::deflateBlock;
    int number = POOL_NUMBER.incrementAndGet();
    this.pool = Executors.newFixedThreadPool(threads, daemonThreads(number, ""));
    this.sink = Executors.newSingleThreadExecutor(daemonThreads(number, "sink-"));
    writeHeader();
  }

  private static ThreadFactory daemonThreads(int number, String kind) {
    String prefix = "umoci-gzip-" + number + "-" + kind;
    AtomicInteger n = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private void writeHeader() throws IOException {
    int xfl = level <= 1 ? 4 : level == 9 ? 2 : 0;
    out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, (byte) xfl, (byte) 0xff});
  }

  @Override
  public void write(int b) throws IOException {
    oneByte[0] = (byte) b;
    write(oneByte, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    ensureOpen();
    if (len == 0) {
      return;
    }
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    plainSize += len;
    while (len > 0) {
      if (current == null) {
        current = idleInputs.isEmpty() ? new byte[blockSize] : idleInputs.pop();
        fill = 0;
      }
      int n = Math.min(len, blockSize - fill);
      System.arraycopy(b, off, current, fill, n);
      fill += n;
      off += n;
      len -= n;
      if (fill == blockSize) {
        submitFull();
      }
    }
  }

  /**
   * Writes every block handed on so far and flushes the underlying stream. Does not cut the current
   * block short, so the output stays independent of flush calls.
   */
  @Override
  public void flush() throws IOException {
    ensureOpen();
    try {
      drain(true);
      out.flush();
    } catch (IOException e) {
      throw fail(e);
    }
  }

  /** Deflates what is left, writes the gzip trailer, stops the workers and closes the stream. */
  @Override
  public void close() throws IOException {
    if (closed) {
      if (failure != null) {
        throw rethrown();
      }
      return;
    }
    closed = true;
    IOException thrownBefore = failure;
    try {
      if (failure == null) {
        try {
          if (inFlight.isEmpty()) {
            // Nothing pending (a small stream, or all written): the last block is deflated and
            // written on this thread, the sink being idle.
            Block last = finalBlock();
            observePlain(last);
            Compressed only = deflater.deflate(last);
            out.write(only.bytes(), 0, only.length());
          } else {
            submitBlock(finalBlock());
            drain(true);
          }
          writeTrailer();
          out.flush();
        } catch (IOException | RuntimeException e) {
          failure = asIOException(e);
        }
      }
    } finally {
      stopWorkers();
      try {
        out.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        }
      }
    }
    if (failure != null) {
      throw failure == thrownBefore ? rethrown() : failure;
    }
  }

  /** A fresh exception for a failure already thrown once (a try-with-resources may hold it). */
  private IOException rethrown() {
    return new IOException(failure.getMessage(), failure);
  }

  private Block finalBlock() {
    byte[] input = current != null ? current : new byte[0];
    Block block = new Block(input, current != null ? fill : 0, dictionary, true);
    current = null;
    return block;
  }

  private void writeTrailer() throws IOException {
    int c = (int) crc.getValue();
    int s = (int) plainSize; // ISIZE is the length modulo 2^32
    out.write(
        new byte[] {
          (byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24),
          (byte) s, (byte) (s >>> 8), (byte) (s >>> 16), (byte) (s >>> 24)
        });
  }

  private void submitFull() throws IOException {
    Block block = new Block(current, fill, dictionary, false);
    dictionary = Arrays.copyOfRange(current, fill - DICTIONARY_SIZE, fill);
    current = null;
    fill = 0;
    try {
      submitBlock(block);
      drain(false);
    } catch (IOException e) {
      throw fail(e);
    }
  }

  private void submitBlock(Block block) throws IOException {
    while (inFlight.size() >= maxInFlight) {
      writeOldest();
    }
    Future<Compressed> deflated = pool.submit(() -> deflater.deflate(block));
    inFlight.add(sink.submit(() -> sinkBlock(block, deflated)));
  }

  /**
   * On the sink thread, block after block in the order submitted: the plain bytes into the CRC-32
   * and the plain digest, then the deflated bytes to the underlying stream. After a failure of an
   * earlier block nothing more is written (the stream is broken; the writer throws that failure).
   */
  private Compressed sinkBlock(Block block, Future<Compressed> deflated) throws IOException {
    if (sinkFailed) {
      throw new IOException("an earlier block of the gzip stream failed");
    }
    try {
      observePlain(block);
      Compressed c = deflated.get();
      out.write(c.bytes(), 0, c.length());
      idleOutputs.add(c.bytes());
      return c;
    } catch (InterruptedException e) {
      sinkFailed = true;
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing a compressed layer");
    } catch (ExecutionException e) {
      sinkFailed = true;
      throw asIOException(e.getCause());
    } catch (IOException | RuntimeException | Error e) {
      sinkFailed = true;
      throw e;
    }
  }

  /** Folds {@code block}'s plain bytes into the CRC-32 and the plain digest. */
  private void observePlain(Block block) {
    crc.update(block.input(), 0, block.length());
    if (plainDigest != null) {
      plainDigest.update(block.input(), 0, block.length());
    }
  }

  /** Recycles blocks written, in order; with {@code all}, waits for every block in flight. */
  private void drain(boolean all) throws IOException {
    while (!inFlight.isEmpty() && (all || inFlight.peek().isDone())) {
      writeOldest();
    }
  }

  private void writeOldest() throws IOException {
    Compressed c;
    try {
      c = inFlight.peek().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing a layer");
    } catch (ExecutionException e) {
      throw asIOException(e.getCause());
    }
    inFlight.poll();
    if (c.input().length == blockSize && idleInputs.size() < maxInFlight) {
      idleInputs.push(c.input());
    }
  }

  /**
   * The real block deflater. The block is cut into {@link #SEGMENT_SIZE} segments; runs of segments
   * that look compressible are deflated (primed with the 32 KiB of plain data before the run,
   * sync-flushed), runs that look incompressible (already compressed or random data, see {@link
   * #looksIncompressible}) are copied into stored deflate blocks at memory speed, as Go's flate
   * also skips such data. The choice depends only on the bytes, so output stays deterministic. The
   * last block ends with an empty final block.
   */
  private Compressed deflateBlock(Block block) {
    byte[] input = block.input();
    int length = block.length();
    int segments = (length + SEGMENT_SIZE - 1) / SEGMENT_SIZE;
    boolean[] stored = new boolean[segments];
    for (int i = 0; i < segments; i++) {
      int from = i * SEGMENT_SIZE;
      stored[i] = looksIncompressible(input, from, Math.min(length, from + SEGMENT_SIZE));
    }
    Output output = new Output(idleOutputs.poll(), blockSize);
    int i = 0;
    while (i < segments) {
      int j = i + 1;
      while (j < segments && stored[j] == stored[i]) {
        j++;
      }
      int from = i * SEGMENT_SIZE;
      int to = Math.min(length, j * SEGMENT_SIZE);
      if (stored[i]) {
        output.stored(input, from, to);
      } else {
        deflateRun(block, from, to, output);
      }
      i = j;
    }
    if (block.last()) {
      output.put(FINAL_EMPTY_BLOCK, 0, FINAL_EMPTY_BLOCK.length);
    }
    return new Compressed(output.bytes, output.length, input);
  }

  private void deflateRun(Block block, int from, int to, Output output) {
    Deflater d = idleDeflaters.poll();
    if (d == null) {
      d = new Deflater(level, true);
    } else {
      d.reset();
    }
    try {
      byte[] input = block.input();
      if (from >= DICTIONARY_SIZE) {
        d.setDictionary(input, from - DICTIONARY_SIZE, DICTIONARY_SIZE);
      } else if (block.dictionary() != null || from > 0) {
        byte[] previous = block.dictionary() != null ? block.dictionary() : new byte[0];
        int fromPrevious = Math.min(previous.length, DICTIONARY_SIZE - from);
        byte[] window = new byte[fromPrevious + from];
        System.arraycopy(previous, previous.length - fromPrevious, window, 0, fromPrevious);
        System.arraycopy(input, 0, window, fromPrevious, from);
        d.setDictionary(window);
      }
      d.setInput(input, from, to - from);
      while (true) {
        output.reserve(64);
        int space = output.bytes.length - output.length;
        int k = d.deflate(output.bytes, output.length, space, Deflater.SYNC_FLUSH);
        output.length += k;
        if (k < space) {
          break;
        }
      }
    } finally {
      idleDeflaters.add(d);
    }
  }

  /**
   * Whether {@code b[from, to)} is not worth deflating: its order-0 entropy is at least {@link
   * #STORE_ENTROPY_BITS} bits per byte, so Huffman coding could save well under 1% (typical for
   * gzip, xz, zstd, JPEG or PNG content and random data). Long-distance repeats of such data are
   * not detected; that costs size, never correctness.
   */
  static boolean looksIncompressible(byte[] b, int from, int to) {
    int n = to - from;
    if (n < MIN_STORED_RUN) {
      return false;
    }
    int[] counts = new int[256];
    for (int i = from; i < to; i++) {
      counts[b[i] & 0xff]++;
    }
    double sumCLogC = 0;
    for (int c : counts) {
      if (c > 1) {
        sumCLogC += c * Math.log(c);
      }
    }
    double entropyBits = (Math.log(n) - sumCLogC / n) / Math.log(2);
    return entropyBits >= STORE_ENTROPY_BITS;
  }

  /** A growable output buffer for one compressed block. */
  private static final class Output {
    byte[] bytes;
    int length;

    Output(byte[] recycled, int blockSize) {
      bytes = recycled != null ? recycled : new byte[blockSize + (blockSize >>> 4) + 1024];
    }

    void reserve(int n) {
      if (bytes.length - length < n) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
      }
    }

    void put(byte[] b, int off, int len) {
      reserve(len);
      System.arraycopy(b, off, bytes, length, len);
      length += len;
    }

    /** Copies {@code b[from, to)} as non-final stored deflate blocks (we are byte-aligned). */
    void stored(byte[] b, int from, int to) {
      while (from < to) {
        int n = Math.min(MAX_STORED, to - from);
        reserve(n + 5);
        bytes[length++] = 0; // BFINAL 0, BTYPE 00, padding to the byte boundary
        bytes[length++] = (byte) n;
        bytes[length++] = (byte) (n >>> 8);
        bytes[length++] = (byte) ~n;
        bytes[length++] = (byte) (~n >>> 8);
        System.arraycopy(b, from, bytes, length, n);
        length += n;
        from += n;
      }
    }
  }

  private void ensureOpen() throws IOException {
    if (failure != null) {
      throw rethrown();
    }
    if (closed) {
      throw new IOException("gzip stream already closed");
    }
  }

  private IOException fail(IOException e) {
    failure = e;
    sinkFailed = true;
    for (Future<Compressed> f : inFlight) {
      f.cancel(false);
    }
    inFlight.clear();
    return e;
  }

  private static IOException asIOException(Throwable e) {
    if (e instanceof IOException io) {
      return io;
    }
    return new IOException("compressing layer: " + e, e);
  }

  private void stopWorkers() {
    sinkFailed = sinkFailed || !inFlight.isEmpty();
    for (Future<Compressed> f : inFlight) {
      f.cancel(false);
    }
    inFlight.clear();
    // Blocks never deflated are cancelled, so that a sink task waiting for one ends at once.
    for (Runnable never : pool.shutdownNow()) {
      if (never instanceof Future<?> f) {
        f.cancel(false);
      }
    }
    // Not interrupted: a write under way ends by itself (an interrupt would close a file channel).
    sink.shutdown();
    try {
      pool.awaitTermination(1, TimeUnit.MINUTES);
      sink.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Deflater d;
    while ((d = idleDeflaters.poll()) != null) {
      d.end();
    }
    idleOutputs.clear();
    idleInputs.clear();
  }
}
