package dev.umoci.registry;

import dev.umoci.errors.DigestMismatchException;
import dev.umoci.errors.TaskFailures;
import dev.umoci.oci.layout.BlobWriter;
import dev.umoci.oci.spec.Descriptor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * One attempt at fetching one blob into a {@link BlobWriter}, which the caller then commits with
 * the blob's digest and size (nothing is published unless every byte matches). Either one {@code
 * GET}, or, for a blob split into parts, parallel {@code Range} requests:
 *
 * <ul>
 *   <li>the first part is asked for first and written in order (hashed as it streams); only when
 *       the registry answers it with 206 are the other parts asked for, each on a thread of its
 *       own, written at their offsets without hashing;
 *   <li>when the first part is in, the writer takes the others in order, each as far as it has
 *       arrived ({@link BlobWriter#adopt}: read back from the page cache and hashed) while the rest
 *       of it still streams, so the digest still covers the whole blob, in order, before it can be
 *       committed, and little is left to hash after the last byte arrives;
 *   <li>a registry that ignores {@code Range} answers the first request with 200 and the whole
 *       blob, which is then taken as a plain {@code GET}'s answer;
 *   <li>a part that fails fails the attempt: the other parts are cancelled and waited for before
 *       the caller discards the writer.
 * </ul>
 */
final class BlobFetch {
  private static final AtomicInteger THREADS = new AtomicInteger();

  /**
   * The threads of the parts after the first: a constant, and {@link Part} a class, rather than
   * lambdas (see the package's note on the transfer threads).
   */
  private static final ThreadFactory PART_THREADS =
      r -> {
        Thread t = new Thread(r, "umoci-range-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
      };

  /** One part after the first, fetched on a thread of its own ({@link #part}). */
  private final class Part implements Callable<Void> {
    private final BlobWriter writer;
    private final long start;
    private final long end;
    private final PartProgress arrived;

    Part(BlobWriter writer, long start, long end, PartProgress arrived) {
      this.writer = writer;
      this.start = start;
      this.end = end;
      this.arrived = arrived;
    }

    @Override
    public Void call() throws IOException {
      return part(writer, start, end, arrived);
    }
  }

  private final RegistryClient client;
  private final String repo;
  private final Descriptor blob;
  private final LongConsumer progress;
  private final String where;

  /**
   * @param progress told the bytes of each buffer received, from the threads that receive them
   */
  BlobFetch(RegistryClient client, String repo, Descriptor blob, LongConsumer progress) {
    this.client = client;
    this.repo = repo;
    this.blob = blob;
    this.progress = progress;
    this.where = RegistryException.where(client.registry(), repo);
  }

  /** Threads started for parts after the first, in this JVM (tests check the parts ran). */
  static int partThreadsStarted() {
    return THREADS.get();
  }

  /**
   * How many parts a blob of {@code size} is fetched in, when {@code missing} bytes are to be
   * fetched by {@code parallelism} transfers: parts of about a {@code parallelism}th of all the
   * bytes, never smaller than {@code minPart}, at most 8; 1 (one {@code GET}) when {@code minPart}
   * is 0. So only a blob that would stream alone at the end, after the others are done, is split.
   * Smaller parts (a {@code 2 * parallelism}th, 8 streams for the large benchmark image) cost 0.07
   * s more CPU on a 267 MB pull (the parts read back for the hash, more requests) and were slower
   * on a busy 2-core machine.
   */
  static int parts(long size, long missing, int parallelism, long minPart) {
    if (minPart <= 0 || parallelism < 2) {
      return 1;
    }
    long part = Math.max(minPart, missing / parallelism);
    return (int) Math.max(1, Math.min(8, Math.round((double) size / part)));
  }

  /**
   * Where each of {@code parts} (at least 2) parts of a blob of {@code size} bytes starts, and,
   * last, {@code size}. The first part is half as long as the others, which share the rest evenly:
   * the writer hashes the first part as it streams and then follows the others as they arrive, so
   * it must be done with the first part early; with parts of one length it ended with the others
   * and had a whole part left to hash, on one core, after the last byte had arrived (20-30 ms for a
   * 50 MB part).
   */
  static long[] starts(long size, int parts) {
    long[] starts = new long[parts + 1];
    starts[1] = Math.max(1, size / (2L * parts));
    for (int i = 2; i <= parts; i++) {
      starts[i] = starts[1] + (size - starts[1]) * (i - 1) / (parts - 1);
    }
    return starts;
  }

  /** Fetches the whole blob with one {@code GET}. */
  void whole(BlobWriter w) throws IOException {
    try (BlobBody body = (BlobBody) client.openBlob(repo, blob.digest())) {
      copyInOrder(body, w, blob.size(), 0);
    }
  }

  /** Fetches the blob in {@code parts} parallel range requests (see the class comment). */
  void inParts(BlobWriter w, int parts) throws IOException {
    long[] starts = starts(blob.size(), parts);
    RegistryClient.BlobRange first = client.openBlobRange(repo, blob.digest(), 0, starts[1] - 1);
    if (!first.partial()) {
      try (BlobBody body = first.body()) {
        copyInOrder(body, w, blob.size(), 0);
      }
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(parts - 1, PART_THREADS);
    List<Future<Void>> rest = new ArrayList<>();
    PartProgress[] arrived = new PartProgress[parts];
    try {
      for (int i = 1; i < parts; i++) {
        long start = starts[i];
        long end = starts[i + 1];
        PartProgress p = arrived[i] = new PartProgress();
        rest.add(pool.submit(new Part(w, start, end, p)));
      }
      try (BlobBody body = first.body()) {
        copyInOrder(body, w, starts[1], 0);
      }
      if (w.size() != starts[1]) {
        throw new DigestMismatchException(
            where
                + "truncated blob "
                + blob.digest()
                + ": bytes 0-"
                + (starts[1] - 1)
                + " ended after "
                + w.size()
                + " bytes");
      }
      for (int i = 1; i < parts; i++) {
        adoptAsItArrives(w, rest, i - 1, arrived[i], starts[i + 1] - starts[i]);
      }
    } finally {
      pool.shutdownNow();
      try {
        if (!pool.awaitTermination(2, TimeUnit.MINUTES)) {
          throw new IOException(where + "range requests did not stop after cancellation");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Bytes {@code start} (inclusive) to {@code end} (exclusive), written at their offset; {@code
   * arrived} tells how many of them are written, from {@code start} on.
   */
  private Void part(BlobWriter w, long start, long end, PartProgress arrived) throws IOException {
    RegistryClient.BlobRange r = client.openBlobRange(repo, blob.digest(), start, end - 1);
    try (BlobBody body = r.body()) {
      if (!r.partial()) {
        throw new RegistryException(
            where
                + "get blob "
                + blob.digest()
                + ": the registry served the range of the first part but answered bytes "
                + start
                + "-"
                + (end - 1)
                + " with the whole blob",
            200,
            false,
            null);
      }
      long at = start;
      for (ByteBuffer b; (b = body.next()) != null; ) {
        int n = b.remaining();
        if (at + n > end) {
          throw tooMuch(start, end);
        }
        w.writeAt(b, at);
        at += n;
        arrived.advance(n);
        progress.accept(n);
      }
      if (at != end) {
        throw new DigestMismatchException(
            where
                + "truncated blob "
                + blob.digest()
                + ": bytes "
                + start
                + "-"
                + (end - 1)
                + " ended after "
                + (at - start)
                + " bytes");
      }
    }
    return null;
  }

  /**
   * Adopts the {@code length} bytes of part {@code i} of {@code rest} into {@code w} as they arrive
   * ({@code arrived}), until the part is complete; fails as soon as any part has failed.
   */
  private static void adoptAsItArrives(
      BlobWriter w, List<Future<Void>> rest, int i, PartProgress arrived, long length)
      throws IOException {
    long adopted = 0;
    while (true) {
      for (Future<Void> f : rest) {
        if (f.isDone() && !f.isCancelled()) {
          get(f);
        }
      }
      long there = Math.min(length, arrived.bytes());
      if (there > adopted) {
        w.adopt(there - adopted);
        adopted = there;
      }
      Future<Void> part = rest.get(i);
      if (part.isDone()) {
        get(part);
        if (adopted < length) {
          w.adopt(length - adopted);
        }
        return;
      }
      try {
        arrived.awaitBeyond(adopted, 20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while fetching a blob");
      }
    }
  }

  private static void get(Future<Void> f) throws IOException {
    try {
      f.get();
    } catch (ExecutionException e) {
      throw TaskFailures.cause(e, "fetching a part of a blob");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while fetching a blob");
    }
  }

  /**
   * Writes {@code body} in order; fails as soon as it holds more than {@code max} bytes (the
   * caller's commit finds a short one).
   */
  private void copyInOrder(BlobBody body, BlobWriter w, long max, long start) throws IOException {
    long received = 0;
    for (ByteBuffer b; (b = body.next()) != null; ) {
      int n = b.remaining();
      received += n;
      if (received > max) {
        throw tooMuch(start, max);
      }
      w.write(b);
      progress.accept(n);
    }
  }

  private DigestMismatchException tooMuch(long start, long end) {
    return new DigestMismatchException(
        where
            + "blob "
            + blob.digest()
            + (start == 0 && end == blob.size()
                ? ": the registry sent more than the " + blob.size() + " bytes the manifest says"
                : ": the registry sent more than bytes " + start + "-" + (end - 1)));
  }
}
