package dev.umoci.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file range as a request body, sent from mappings of the file a window at a time: the body is
 * the range's bytes across window and buffer edges, every buffer is a slice of a mapping (no copy),
 * a file shorter than the range fails the body, and a second subscription sends it all again.
 */
class FileRangePublisherTest {
  @TempDir Path dir;

  /** Everything a subscription received, requesting one buffer at a time (as the client does). */
  private static final class Collector implements Flow.Subscriber<ByteBuffer> {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final List<ByteBuffer> buffers = new ArrayList<>();
    Flow.Subscription subscription;
    boolean complete;
    Throwable failure;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(ByteBuffer item) {
      buffers.add(item);
      byte[] b = new byte[item.remaining()];
      item.duplicate().get(b);
      bytes.writeBytes(b);
      subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
      failure = t;
    }

    @Override
    public void onComplete() {
      complete = true;
    }
  }

  private static Collector send(FileRangePublisher body) {
    Collector c = new Collector();
    body.subscribe(c);
    return c;
  }

  @Test
  void theBodyIsTheRangeAcrossWindowAndBufferEdges() throws Exception {
    byte[] data = new byte[3 * FileRangePublisher.BUFFER + 12345];
    new Random(1).nextBytes(data);
    Path file = Files.write(dir.resolve("blob"), data);
    int window = 2 * FileRangePublisher.BUFFER;
    AtomicLong progress = new AtomicLong();
    long start = 4097;
    long length = data.length - start - 99;
    FileRangePublisher body =
        new FileRangePublisher(file, start, length, progress::addAndGet, window);
    assertEquals(length, body.contentLength());
    for (int round = 0; round < 2; round++) {
      Collector c = send(body);
      assertTrue(c.complete, "completed (round " + round + ")");
      assertArrayEquals(
          Arrays.copyOfRange(data, (int) start, (int) (start + length)), c.bytes.toByteArray());
      for (ByteBuffer b : c.buffers) {
        assertTrue(b.isDirect(), "a slice of the mapping, not a copy");
        assertTrue(b.remaining() <= FileRangePublisher.BUFFER);
      }
    }
    assertEquals(2 * length, progress.get());
  }

  @Test
  void anEmptyRangeCompletesAtOnce() throws Exception {
    Path file = Files.write(dir.resolve("empty"), new byte[0]);
    Collector c = send(new FileRangePublisher(file, 0, 0, n -> {}));
    assertTrue(c.complete);
    assertEquals(0, c.bytes.size());
  }

  @Test
  void aFileShorterThanTheRangeFailsTheBodyAndNamesTheFile() throws Exception {
    byte[] data = new byte[FileRangePublisher.BUFFER * 3];
    Path file = Files.write(dir.resolve("short"), data);
    Collector c =
        send(
            new FileRangePublisher(
                file, 0, data.length + 10, n -> {}, FileRangePublisher.BUFFER * 2));
    assertInstanceOf(IOException.class, c.failure);
    assertTrue(c.failure.getMessage().contains(file.toString()), c.failure.getMessage());
    assertTrue(
        c.failure.getMessage().contains("ends at byte " + data.length), c.failure.getMessage());
    assertTrue(!c.complete);
  }
}
