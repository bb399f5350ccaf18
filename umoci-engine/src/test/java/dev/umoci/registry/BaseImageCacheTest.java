package dev.umoci.registry;

import static dev.umoci.testing.TestRegistry.insecure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.ReferenceNotFoundException;
import dev.umoci.oci.spec.Digest;
import dev.umoci.ops.BaseImageCache;
import dev.umoci.ops.Copy;
import dev.umoci.testing.LayoutChecks;
import dev.umoci.testing.RegistryExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The per-user base-image cache against a real registry. */
class BaseImageCacheTest {
  @RegisterExtension static final RegistryExtension registry = RegistryExtension.plain();

  @TempDir Path tmp;

  static RegistryOptions options() {
    return insecure().build();
  }

  /**
   * Pushes a test image ({@link TestImages#image}, its large file {@code bigBytes} long, made from
   * {@code seed}) to the registry as {@code repoTag}; returns its manifest's digest.
   */
  private Digest pushImage(String seed, String repoTag, int bigBytes) throws Exception {
    Path src = tmp.resolve("src");
    Digest manifest = TestImages.image(src, "v1", "amd64", seed, bigBytes);
    Copy.run(
        Copy.Options.builder("oci:" + src + ":v1", "docker://" + registry.host() + "/" + repoTag)
            .registry(options())
            .build());
    return manifest;
  }

  @Test
  void pullsOnceThenServesDigestsOfflineAndTagsFromTheCache() throws Exception {
    Digest manifest = pushImage("cache", "base/java:21", 2048);
    BaseImageCache cache =
        BaseImageCache.forUser(Map.of("XDG_CACHE_HOME", tmp.resolve("xdg").toString()));
    assertEquals(tmp.resolve("xdg/umoci-java/bases"), cache.layout());
    PlatformChoice amd64 = PlatformChoice.of("linux", "amd64", null);
    Reference byTag = Reference.parse(registry.host() + "/base/java:21");

    ReferenceNotFoundException missing =
        assertThrows(
            ReferenceNotFoundException.class,
            () -> cache.resolve(byTag, amd64, true, options(), null));
    assertTrue(missing.getMessage().contains("is not in the cache"), missing.getMessage());

    BaseImageCache.Entry first = cache.resolve(byTag, amd64, false, options(), null);
    assertTrue(first.pulled());
    assertEquals(manifest, first.descriptor().digest());
    assertEquals(registry.host() + "/base/java:21+linux-amd64", first.image().tag());
    LayoutChecks.assertTag(cache.layout(), first.image().tag(), manifest);

    BaseImageCache.Entry again = cache.resolve(byTag, amd64, false, options(), null);
    assertFalse(again.pulled(), "online, a tag is resolved again but nothing is fetched");

    // Offline and by digest, the registry is not needed at all.
    RegistryOptions nowhere = options().toBuilder().attempts(1).build();
    registry.stop();
    try {
      assertEquals(
          manifest, cache.resolve(byTag, amd64, true, nowhere, null).descriptor().digest());
      // Online with the registry down, a cached tag is not used silently, but the error says so.
      RegistryUnreachableException down =
          assertThrows(
              RegistryUnreachableException.class,
              () -> cache.resolve(byTag, amd64, false, nowhere, null));
      assertTrue(
          down.getMessage()
              .endsWith(
                  "(the cache has "
                      + byTag
                      + " as "
                      + manifest
                      + ": an offline build, mvn -o, uses it)"),
          down.getMessage());
      Reference byDigest = Reference.parse(registry.host() + "/base/java@" + manifest);
      assertThrows(
          RegistryUnreachableException.class,
          () -> cache.resolve(byDigest, amd64, false, nowhere, null),
          "not cached under its digest yet");
    } finally {
      registry.start();
    }
  }

  @Test
  void aPullRemovesWhatInterruptedPullsLeftInTheCache() throws Exception {
    Digest manifest = pushImage("cache-leftovers", "base/left:1", 4096);
    BaseImageCache cache = new BaseImageCache(tmp.resolve("cache"));
    Reference ref = Reference.parse(registry.host() + "/base/left:1");
    PlatformChoice amd64 = PlatformChoice.of("linux", "amd64", null);
    cache.resolve(ref, amd64, false, options(), null);
    // What a pull killed with SIGKILL leaves: its temporary directory with a partial blob.
    Path leftover = Files.createDirectory(cache.layout().resolve(".umoci-1234"));
    Files.write(leftover.resolve("blob-5678"), new byte[100_000]);
    Files.setLastModifiedTime(
        leftover, FileTime.from(Instant.now().minus(BaseImageCache.LEFTOVER_AGE.multipliedBy(2))));
    // One another build has just made and not locked yet looks the same, but is new.
    Path starting = Files.createDirectory(cache.layout().resolve(".umoci-9999"));

    BaseImageCache.Entry again = cache.resolve(ref, amd64, false, options(), null);

    assertEquals(manifest, again.descriptor().digest());
    assertFalse(Files.exists(leftover), "the leftover is removed by the next pull");
    assertTrue(Files.isDirectory(starting), "a directory changed moments ago is spared");
    LayoutChecks.assertTag(cache.layout(), again.image().tag(), manifest);
  }

  @Test
  void concurrentPullsIntoTheCacheBothSucceed() throws Exception {
    Digest manifest = pushImage("cache-concurrent", "base/conc:1", 300_000);
    BaseImageCache cache = new BaseImageCache(tmp.resolve("cache"));
    Reference ref = Reference.parse(registry.host() + "/base/conc:1");
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<BaseImageCache.Entry>> results = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        results.add(
            pool.submit(
                () ->
                    cache.resolve(
                        ref, PlatformChoice.of("linux", "amd64", null), false, options(), null)));
      }
      for (Future<BaseImageCache.Entry> f : results) {
        assertEquals(manifest, f.get().descriptor().digest());
      }
    } finally {
      pool.shutdownNow();
    }
    LayoutChecks.assertTag(cache.layout(), registry.host() + "/base/conc:1+linux-amd64", manifest);
    LayoutChecks.assertNoTempDirs(cache.layout());
  }
}
