package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.fs.IdMapping;
import dev.umoci.mutate.CompressionChoice;
import dev.umoci.oci.spec.Descriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ProgressTracker} and what unpack, repack and insert report to a {@link ProgressListener}.
 */
class ProgressTest {
  @TempDir Path tmp;

  /** Records the calls; sums what advanced reported. */
  static final class Recorder implements ProgressListener {
    final List<String> events = new ArrayList<>();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong entries = new AtomicLong();

    @Override
    public synchronized void started(String step, long totalBytes) {
      events.add("started " + step + " " + totalBytes);
    }

    @Override
    public void advanced(long moreBytes, long moreEntries) {
      bytes.addAndGet(moreBytes);
      entries.addAndGet(moreEntries);
    }

    @Override
    public synchronized void finished() {
      events.add("finished");
    }
  }

  @Test
  void trackerRendersAtMostOncePerIntervalAndOnceWhenDone() {
    long[] now = {1000};
    List<String> shown = new ArrayList<>();
    ProgressTracker tracker =
        new ProgressTracker(
            (s, done) -> shown.add((done ? "done " : "") + s.step() + " " + s.describe()),
            () -> now[0],
            100);
    tracker.started("unpack", 2_000_000);
    tracker.advanced(500_000, 3);
    now[0] += 99;
    tracker.advanced(0, 1);
    assertEquals(List.of(), shown, "nothing within the first interval");
    now[0] += 1;
    tracker.advanced(500_000, 1);
    assertEquals(List.of("unpack 50% of 2.0 MB, 5 entries"), shown);
    now[0] += 50;
    tracker.advanced(1_000_000, 1);
    assertEquals(1, shown.size(), "nothing again within an interval");
    tracker.finished();
    assertEquals("done unpack 100% of 2.0 MB, 6 entries", shown.get(1));

    tracker.started("repack", -1);
    now[0] += 100;
    tracker.advanced(1_250_000, 1);
    assertEquals("repack 1.3 MB, 1 entry", shown.get(2));
  }

  @Test
  void trackerSumsReportsFromSeveralThreads() throws InterruptedException {
    ProgressTracker tracker = new ProgressTracker((s, done) -> {}, () -> 0, Long.MAX_VALUE);
    tracker.started("unpack", -1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread =
          new Thread(
              () -> {
                for (int i = 0; i < 10_000; i++) {
                  tracker.advanced(2, 1);
                }
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals(new ProgressTracker.Snapshot("unpack", -1, 80_000, 40_000), tracker.snapshot());
  }

  @Test
  void unpackRepackAndInsertReportBytesAndEntries() throws IOException {
    BuildImageTest build = new BuildImageTest();
    build.tmp = tmp;
    build.setUp();
    Path layout = tmp.resolve("oci");
    BuildImage.run(build.options(layout, null, null));
    ImageRef image = new ImageRef(layout, "1.0");
    long layerBytes =
        StatImage.run(new StatImage.Options(image)).manifest().layers().stream()
            .mapToLong(Descriptor::size)
            .sum();

    Recorder unpack = new Recorder();
    Path bundle = tmp.resolve("bundle");
    Unpack.run(Unpack.Options.of(image, bundle), unpack);
    assertEquals(List.of("started unpack " + layerBytes, "finished"), unpack.events);
    assertEquals(layerBytes, unpack.bytes.get(), "every compressed byte of every layer");
    assertEquals(3, unpack.entries.get(), "the files written: a.jar, b.jar, app.jar");

    Files.writeString(bundle.resolve("rootfs/app/new-file"), "new");
    Files.writeString(bundle.resolve("rootfs/app/other-file"), "other");
    Recorder repack = new Recorder();
    Repack.run(Repack.Options.of(image, bundle, Timestamps.fixed(BuildImageTest.WHEN)), repack);
    assertEquals(List.of("started repack -1", "finished"), repack.events);
    assertEquals(3, repack.entries.get(), "the two new files and their changed directory");
    assertTrue(repack.bytes.get() >= 3 * 512, "tar headers at least: " + repack.bytes.get());

    Path tree = Files.createDirectories(tmp.resolve("tree/sub"));
    Files.writeString(tree.resolve("f"), "f");
    Recorder insert = new Recorder();
    Insert.run(
        new Insert.Options(
            image,
            tree.getParent(),
            "/opt/tree",
            null,
            false,
            false,
            IdMapping.identity(),
            CompressionChoice.AUTO,
            HistoryOptions.defaults(),
            Timestamps.fixed(BuildImageTest.WHEN)),
        insert);
    assertEquals(List.of("started insert -1", "finished"), insert.events);
    assertEquals(3, insert.entries.get(), "tree, tree/sub, tree/sub/f");
    assertTrue(insert.bytes.get() >= 3 * 512, "tar headers at least: " + insert.bytes.get());
  }
}
