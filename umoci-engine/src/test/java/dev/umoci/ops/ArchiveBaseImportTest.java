package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.fs.IdMapping;
import dev.umoci.layer.GenerateOptions;
import dev.umoci.mutate.CompressionChoice;
import dev.umoci.oci.casext.DescriptorWalk;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ArchiveBaseImport}: the blobs an archive's import stores in the base-image cache get
 * verification records, so a build links them without reading them again ({@link BaseBlobs}).
 */
class ArchiveBaseImportTest {
  private static final Instant WHEN = Instant.parse("2024-01-01T00:00:00Z");

  @TempDir Path tmp;

  @Test
  void theBlobsAnImportStoresAreRecordedAsVerified() throws Exception {
    Path lib = Files.writeString(tmp.resolve("lib.jar"), "a library of the archived base");
    Path src = tmp.resolve("src");
    BuildImage.run(
        BuildImage.Options.builder(new ImageRef(src, "base"), Timestamps.fixed(WHEN))
            .platform(new HostPlatform("linux", "amd64", null))
            .layers(
                List.of(
                    new BuildImage.Layer(
                        "lib", List.of(new BuildImage.Entry(lib, "/lib/lib.jar")))))
            .compression(CompressionChoice.AUTO)
            .generate(new GenerateOptions(IdMapping.identity(), WHEN, 0, 0, false))
            .build());
    Path archive = tmp.resolve("base.tar");
    Copy.run(Copy.Options.builder("oci:" + src + ":base", "docker-archive:" + archive).build());

    Path cacheRoot = tmp.resolve("cache/bases");
    BaseImageCache.Entry entry =
        new BaseImageCache(cacheRoot)
            .resolveArchive(new CopyLocation.DockerArchiveFile(archive, null), Map.of());

    VerifiedBlobRecords records = VerifiedBlobRecords.existing(cacheRoot);
    assertNotNull(records, "the import made the cache's records");
    List<Descriptor> blobs = new ArrayList<>();
    try (OciLayout cache = OciLayout.open(cacheRoot)) {
      DescriptorWalk.walk(cache, List.of(entry.descriptor()), blobs::add);
      for (Descriptor d : blobs) {
        assertTrue(records.verified(cache.blobPath(d.digest()), d), d.toString());
      }
    }
    assertEquals(3, blobs.size(), "manifest, config and the layer");
  }
}
