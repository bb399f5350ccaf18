package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.DigestMismatchException;
import dev.umoci.fs.IdMapping;
import dev.umoci.layer.GenerateOptions;
import dev.umoci.mutate.CompressionChoice;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.testing.LayoutChecks;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BaseBlobs} and {@link VerifiedBlobRecords}: a base in a layout with verification records
 * (the base-image cache) is linked without being read while a blob's record holds, and read back
 * (and recorded) otherwise; a changed file is never trusted.
 */
class BaseBlobsTest {
  static final Instant WHEN = Instant.parse("2024-01-01T00:00:00Z");

  @TempDir Path tmp;
  Path cache;
  List<Descriptor> baseLayers;

  @BeforeEach
  void makeBase() throws IOException {
    Path lib = Files.writeString(tmp.resolve("lib.jar"), "a library of the base image");
    Path etc = Files.writeString(tmp.resolve("motd"), "welcome");
    cache = tmp.resolve("cache/bases");
    BuildImage.run(
        BuildImage.Options.builder(new ImageRef(cache, "base"), Timestamps.fixed(WHEN))
            .platform(new HostPlatform("linux", "amd64", null))
            .layers(
                List.of(
                    new BuildImage.Layer("lib", List.of(new BuildImage.Entry(lib, "/lib/lib.jar"))),
                    new BuildImage.Layer("etc", List.of(new BuildImage.Entry(etc, "/etc/motd")))))
            .compression(CompressionChoice.AUTO)
            .generate(new GenerateOptions(IdMapping.identity(), WHEN, 0, 0, false))
            .build());
    baseLayers =
        StatImage.run(new StatImage.Options(new ImageRef(cache, "base"))).manifest().layers();
  }

  Descriptor buildOn(Path layout) throws IOException {
    return BuildImage.run(
            BuildImage.Options.builder(new ImageRef(layout, "app"), Timestamps.fixed(WHEN))
                .base(new ImageRef(cache, "base"))
                .layers(List.of())
                .compression(CompressionChoice.AUTO)
                .build())
        .manifest();
  }

  Path blob(Descriptor d) throws IOException {
    try (OciLayout l = OciLayout.open(cache)) {
      return l.blobPath(d.digest());
    }
  }

  /** Overwrites the file's bytes in place (same inode, same size) with other content. */
  static void corruptInPlace(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(f.length() / 2);
      int old = f.read();
      f.seek(f.length() / 2);
      f.write(old ^ 0xff);
    }
  }

  @Test
  void recordsHoldUntilTheFileChanges() throws Exception {
    VerifiedBlobRecords records = VerifiedBlobRecords.of(cache);
    Descriptor layer = baseLayers.get(0);
    Path file = blob(layer);
    assertFalse(records.verified(file, layer), "no record yet");
    records.record(file, layer.digest());
    assertTrue(records.verified(file, layer));

    Thread.sleep(20);
    corruptInPlace(file); // a write: the modification time moves
    assertFalse(records.verified(file, layer));

    records.record(file, layer.digest());
    Path copy = Files.copy(file, tmp.resolve("copy"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.move(copy, file, StandardCopyOption.REPLACE_EXISTING); // another inode
    assertFalse(records.verified(file, layer));
  }

  @Test
  void aBaseOutsideTheCacheIsReadBackAndNotRecorded() throws IOException {
    corruptInPlace(blob(baseLayers.get(1)));
    assertThrows(DigestMismatchException.class, () -> buildOn(tmp.resolve("app")));
    assertFalse(Files.exists(tmp.resolve("cache/bases.verified")));
  }

  @Test
  void linksReadBackAreRecordedAndTheNextBuildTrustsThem() throws IOException {
    Files.createDirectories(tmp.resolve("cache/bases.verified"));
    VerifiedBlobRecords records = VerifiedBlobRecords.existing(cache);
    Descriptor first = buildOn(tmp.resolve("one"));
    for (Descriptor layer : baseLayers) {
      assertTrue(records.verified(blob(layer), layer), "recorded after being read back");
    }
    Descriptor second = buildOn(tmp.resolve("two"));
    assertEquals(first.digest(), second.digest());
    try (OciLayout two = OciLayout.open(tmp.resolve("two"))) {
      for (Descriptor layer : baseLayers) {
        assertTrue(Files.isSameFile(blob(layer), two.blobPath(layer.digest())));
      }
    }
    LayoutChecks.assertValid(tmp.resolve("two"));
  }

  @Test
  void aRecordedBlobIsLinkedWithoutBeingReadAgain() throws IOException {
    // Shows that the fast path does not read the file, through the limit its contract states: a
    // file changed in place with its modification time set back keeps its record.
    Descriptor layer = baseLayers.get(1);
    Path file = blob(layer);
    VerifiedBlobRecords.of(cache).record(file, layer.digest());
    FileTime mtime = Files.getLastModifiedTime(file);
    corruptInPlace(file);
    Files.setLastModifiedTime(file, mtime);
    buildOn(tmp.resolve("app")); // linked unread: no DigestMismatchException

    Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    assertThrows(DigestMismatchException.class, () -> buildOn(tmp.resolve("other")));
  }

  @Test
  void aLinkThatIsNotReadBackStillChecksTheSize() throws IOException {
    try (OciLayout target = OciLayout.create(tmp.resolve("target"))) {
      Descriptor expected =
          target.putBytes(
              "application/octet-stream",
              "right".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      target.deleteBlob(expected.digest());
      Path longer = Files.writeString(tmp.resolve("longer"), "longer than right");
      assertThrows(DigestMismatchException.class, () -> target.linkBlob(longer, expected, false));
      assertFalse(target.hasBlob(expected.digest()));
    }
  }
}
