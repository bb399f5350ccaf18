package dev.umoci.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.umoci.errors.PlatformNotFoundException;
import dev.umoci.ops.HostPlatform;
import dev.umoci.ops.ImageRef;
import dev.umoci.ops.InitLayout;
import dev.umoci.ops.NewImage;
import dev.umoci.ops.Timestamps;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.maven.settings.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A platform the pom names must be the base's: a single-image base for another one is refused, as
 * in a multi-platform build, instead of being relabelled (its layers hold the other platform's
 * binaries). Without one, a single-image base is taken whatever its platform.
 */
class BaseImagePlatformTest {
  @TempDir Path tmp;

  @Test
  void aNamedPlatformMustBeTheSingleImageBasesOwn() throws Exception {
    Path layout = tmp.resolve("base");
    InitLayout.run(new InitLayout.Options(layout));
    HostPlatform amd64 = new HostPlatform("linux", "amd64", null);
    NewImage.run(
        new NewImage.Options(new ImageRef(layout, "1"), Timestamps.fixed(Instant.EPOCH), amd64));
    BaseImageSource base =
        BaseImageSource.of("base:1", tmp, false, false, false, null, new Settings(), null, null);

    HostPlatform arm64 = new HostPlatform("linux", "arm64", null);
    PlatformNotFoundException e =
        assertThrows(PlatformNotFoundException.class, () -> base.resolve(arm64, true));
    assertEquals(
        "base image base:1 has no image for platform linux/arm64 (it has one image, for"
            + " linux/amd64)",
        e.getMessage());
    assertEquals(layout, base.resolve(amd64, true).image().layout());
    assertEquals(layout, base.resolve(arm64, false).image().layout(), "the host's: not named");
  }
}
