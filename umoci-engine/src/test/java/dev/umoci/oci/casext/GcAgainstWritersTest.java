package dev.umoci.oci.casext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.LayoutLockedException;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Manifest;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.testing.LayoutChecks;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 §1c: {@code gc} must never delete blobs a writer has stored but not yet tagged. Each
 * test forces one interleaving by holding one side open at the critical point (not by sleeping and
 * hoping): the other side must wait for it, then both finish with every tag intact.
 */
class GcAgainstWritersTest {
  private static final Duration LONG = Duration.ofMinutes(5);

  @TempDir Path tmp;

  /** A thread that records what it returned or threw. */
  private static final class Side<T> extends Thread {
    final AtomicReference<T> result = new AtomicReference<>();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Callable<T> action;

    Side(Callable<T> action) {
      this.action = action;
      setDaemon(true);
    }

    @Override
    public void run() {
      try {
        result.set(action.call());
      } catch (Throwable e) {
        failure.set(e);
      }
    }

    /**
     * Returns once this thread is sleeping between lock polls (the only timed wait on its path), so
     * it has seen the lock taken. Fails if it finished instead: it did not wait.
     */
    void awaitBlockedOnLock() {
      while (getState() != State.TIMED_WAITING) {
        if (getState() == State.TERMINATED) {
          throw new AssertionError("did not wait for the lock", failure.get());
        }
        Thread.onSpinWait();
      }
    }
  }

  private static Descriptor storeImage(OciLayout layout, String name) throws IOException {
    Descriptor layer = layout.putBytes(MediaTypes.LAYER_TAR, ("layer " + name).getBytes());
    Descriptor config = layout.putJson(MediaTypes.IMAGE_CONFIG, "{\"" + name + "\":1}");
    return layout.putJson(MediaTypes.IMAGE_MANIFEST, Manifest.of(config, List.of(layer)));
  }

  @Test
  void gcWaitsForAWriterPausedBetweenStoringBlobsAndTagging() throws Exception {
    Path dir = tmp.resolve("img");
    OciLayout.create(dir).close();
    Descriptor garbage;
    try (OciLayout writer = OciLayout.open(dir)) {
      garbage = writer.putBytes("application/octet-stream", "unreferenced".getBytes());
    }
    try (OciLayout writer = OciLayout.open(dir)) {
      Descriptor manifest = storeImage(writer, "new");
      // The writer is paused here, its blobs stored and unreferenced, while gc starts.
      Side<GarbageCollector.Result> gc =
          new Side<>(
              () -> {
                try (OciLayout layout = OciLayout.open(dir, LONG, OciLayout.Access.EXCLUSIVE)) {
                  return GarbageCollector.collect(layout);
                }
              });
      gc.start();
      gc.awaitBlockedOnLock();
      References.update(writer, "new", manifest);
      writer.close();
      gc.join();
      assertNull(gc.failure.get());
      assertEquals(List.of(garbage.digest()), gc.result.get().removedBlobs());
      LayoutChecks.assertTag(dir, "new", manifest.digest());
    }
    LayoutChecks.assertNoTempDirs(dir);
  }

  @Test
  void aWriterStartingDuringGcWaitsForIt() throws Exception {
    Path dir = tmp.resolve("img");
    Descriptor old;
    try (OciLayout layout = OciLayout.create(dir)) {
      old = storeImage(layout, "old");
      References.update(layout, "old", old);
      layout.putBytes("application/octet-stream", "unreferenced".getBytes());
    }
    Side<Descriptor> writer;
    try (OciLayout gc = OciLayout.openExclusive(dir)) {
      // gc holds the layout; a writer that wants to build on "old" and rm it meanwhile must wait.
      writer =
          new Side<>(
              () -> {
                try (OciLayout layout = OciLayout.open(dir, LONG)) {
                  Descriptor made = storeImage(layout, "new");
                  References.update(layout, "new", made);
                  References.delete(layout, "old");
                  return made;
                }
              });
      writer.start();
      writer.awaitBlockedOnLock();
      assertEquals(1, GarbageCollector.collect(gc).removedBlobs().size());
    }
    writer.join();
    assertNull(writer.failure.get());
    LayoutChecks.assertTag(dir, "new", writer.result.get().digest());
    try (OciLayout gc = OciLayout.openExclusive(dir)) {
      // "old" was removed after the first collection: its three blobs go now.
      assertEquals(3, GarbageCollector.collect(gc).removedBlobs().size());
    }
    LayoutChecks.assertTag(dir, "new", writer.result.get().digest());
  }

  @Test
  void aWaitingGcIsNotStarvedByNewUsersButTheHoldersOwnThreadPasses() throws Exception {
    Path dir = tmp.resolve("img");
    OciLayout.create(dir).close();
    Side<GarbageCollector.Result> gc;
    try (OciLayout holder = OciLayout.open(dir)) {
      gc =
          new Side<>(
              () -> {
                try (OciLayout layout = OciLayout.open(dir, LONG, OciLayout.Access.EXCLUSIVE)) {
                  return GarbageCollector.collect(layout);
                }
              });
      gc.start();
      gc.awaitBlockedOnLock();
      // A new user queues behind the waiting gc (here: with a short wait, so it gives up) ...
      Side<Void> newcomer =
          new Side<>(
              () -> {
                OciLayout.open(dir, Duration.ofMillis(100)).close();
                return null;
              });
      newcomer.start();
      newcomer.join();
      assertTrue(newcomer.failure.get() instanceof LayoutLockedException, "newcomer waited");
      // ... but the thread that holds the layout may open it again, or it would wait for a gc
      // that waits for it.
      OciLayout.open(dir, Duration.ofMillis(100)).close();
    }
    gc.join();
    assertNull(gc.failure.get());
  }

  @Test
  void waitsAreBoundedAndSayWhoHoldsTheLayout() throws Exception {
    Path dir = tmp.resolve("img");
    OciLayout.create(dir).close();
    Duration brief = Duration.ofMillis(100);
    try (OciLayout user = OciLayout.open(dir)) {
      Side<Void> gc =
          new Side<>(
              () -> {
                OciLayout.open(dir, brief, OciLayout.Access.EXCLUSIVE).close();
                return null;
              });
      gc.start();
      gc.join();
      assertTrue(gc.failure.get() instanceof LayoutLockedException, "gc waited");
      assertEquals(
          dir
              + ": layout is in use by another umoci process (waited 100ms); gc needs it to"
              + " itself: try again when the others are done",
          gc.failure.get().getMessage());
      // Other users share it freely.
      OciLayout.open(dir, brief).close();
    }
    try (OciLayout gc = OciLayout.openExclusive(dir)) {
      var e = assertThrows(LayoutLockedException.class, () -> OciLayout.open(dir, brief));
      assertEquals(
          dir
              + ": layout is being garbage-collected by another process (waited 100ms); try again"
              + " when it is done",
          e.getMessage());
    }
    // gc in a thread that has the layout open would wait for itself: it fails at once instead.
    try (OciLayout user = OciLayout.open(dir)) {
      var e = assertThrows(LayoutLockedException.class, () -> OciLayout.openExclusive(dir));
      assertEquals(
          dir + ": cannot collect garbage while this thread has the layout open", e.getMessage());
    }
    // Closing released both: each kind opens again at once.
    OciLayout.open(dir, brief, OciLayout.Access.EXCLUSIVE).close();
    assertTrue(LayoutChecks.snapshot(dir).containsKey("index.json"));
  }
}
