package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.oci.spec.PlatformSpecifier;
import dev.umoci.registry.Reference;
import dev.umoci.registry.RegistryOptions;
import dev.umoci.testing.ExternalTool;
import dev.umoci.testing.Interop;
import dev.umoci.testing.LayoutChecks;
import dev.umoci.testing.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-platform build pushed to a real registry ({@link TestRegistry}) as its index and
 * manifests, read back by skopeo: {@code inspect --raw} gives our index byte for byte, and {@code
 * copy --all} copies it with the same digests.
 */
class MultiPlatformPushTest {
  static final String SKOPEO = "/usr/bin/skopeo";

  @TempDir Path tmp;

  @Test
  void thePushedIndexIsWhatSkopeoReadsBack() throws Exception {
    Interop.requireTool(SKOPEO);
    Interop.requireTool(TestRegistry.REGISTRY);
    MultiPlatformBuildTest builds = new MultiPlatformBuildTest();
    builds.tmp = tmp;
    builds.setUp();
    Path baseLayout = tmp.resolve("base");
    MultiPlatformBuildTest.platformIndex(
        baseLayout, "multi", List.of("amd64", "arm64"), tmp.resolve("src"));
    Path out = tmp.resolve("out");
    List<MultiPlatformBuild.PlatformImage> images = new ArrayList<>();
    for (PlatformSpecifier p :
        List.of(MultiPlatformBuildTest.AMD64, MultiPlatformBuildTest.ARM64)) {
      images.add(
          new MultiPlatformBuild.PlatformImage(
              p, new ImageRef(baseLayout, "multi").withPlatform(p), null));
    }
    MultiPlatformBuild.Result built =
        MultiPlatformBuild.run(new MultiPlatformBuild.Options(builds.common(out), images));

    try (TestRegistry registry = TestRegistry.plain(tmp.resolve("registry"))) {
      Reference to = Reference.parse(registry.host() + "/team/app:1.0");
      PushImage.Result pushed =
          PushImage.run(
              PushImage.Options.of(new ImageRef(out, "1.0"), to)
                  .withExtraTags(List.of("latest"))
                  .withRegistry(
                      RegistryOptions.builder().tlsVerify(false).environment(Map.of()).build()));
      assertEquals(built.index().digest(), pushed.push().digest());

      String remote = "docker://" + registry.host() + "/team/app:latest";
      ExternalTool.Result raw =
          ExternalTool.run(SKOPEO, "inspect", "--raw", "--tls-verify=false", remote)
              .assertSuccess();
      assertEquals(
          built.index().digest(),
          dev.umoci.oci.spec.Digest.sha256(raw.stdout().getBytes(StandardCharsets.UTF_8)));
      JsonNode index =
          Json.parse(raw.stdout().getBytes(StandardCharsets.UTF_8), JsonNode.class, "index");
      assertEquals(MediaTypes.IMAGE_INDEX, index.get("mediaType").asText());
      assertEquals(2, index.get("manifests").size());
      assertEquals(
          "arm64", index.get("manifests").get(1).get("platform").get("architecture").asText());

      Path copied = tmp.resolve("skopeo");
      ExternalTool.run(
              SKOPEO,
              "--insecure-policy",
              "copy",
              "--all",
              "--src-tls-verify=false",
              remote,
              "oci:" + copied + ":1.0")
          .assertSuccess();
      LayoutChecks.assertValid(copied);
      LayoutChecks.assertTag(copied, "1.0", built.index().digest());
      for (int i = 0; i < 2; i++) {
        assertEquals(
            built.manifests().get(i).digest(),
            MultiPlatformBuildTest.index(copied, built.index()).manifests().get(i).digest());
      }
    }
  }
}
