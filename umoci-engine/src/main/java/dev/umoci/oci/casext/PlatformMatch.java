package dev.umoci.oci.casext;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.spec.Platform;
import java.util.Objects;

/**
 * A wanted platform ({@code os/architecture[/variant]}) and how it matches the {@code platform} of
 * an image index entry: os and architecture equal; the variant equal after the defaults that
 * containerd's platform matcher also applies ({@code arm64} without a variant is {@code v8}, {@code
 * arm} is {@code v7}, {@code amd64} is {@code v1}); a wanted platform without a variant matches any
 * variant.
 */
public record PlatformMatch(String os, String architecture, String variant) {
  public PlatformMatch {
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(architecture, "architecture");
    variant = variant == null || variant.isEmpty() ? null : variant;
  }

  /**
   * Parses {@code os/arch[/variant]}, as {@code --platform} takes it.
   *
   * @throws InvalidArgumentException naming {@code what} for anything else
   */
  public static PlatformMatch parse(String value, String what) throws InvalidArgumentException {
    String[] parts = value.split("/", -1);
    if (parts.length < 2 || parts.length > 3) {
      throw invalid(value, what);
    }
    for (String part : parts) {
      if (part.isEmpty()) {
        throw invalid(value, what);
      }
    }
    return new PlatformMatch(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
  }

  private static InvalidArgumentException invalid(String value, String what) {
    return new InvalidArgumentException(
        "invalid " + what + " \"" + value + "\": expected os/arch[/variant], e.g. linux/arm64/v8");
  }

  /** Whether an index entry with {@code platform} (null: none recorded) is for this platform. */
  public boolean matches(Platform platform) {
    if (platform == null
        || !os.equals(platform.os())
        || !architecture.equals(platform.architecture())) {
      return false;
    }
    return variant == null
        || normalVariant(architecture, variant)
            .equals(normalVariant(architecture, platform.variant()));
  }

  private static String normalVariant(String architecture, String variant) {
    if (variant != null && !variant.isEmpty()) {
      return variant;
    }
    return switch (architecture) {
      case "arm64" -> "v8";
      case "arm" -> "v7";
      case "amd64" -> "v1";
      default -> "";
    };
  }

  /** {@code os/arch[/variant]}. */
  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }

  /** {@code os/arch[/variant]} of an index entry's platform, or {@code (no platform)}. */
  public static String describe(Platform platform) {
    if (platform == null) {
      return "(no platform)";
    }
    String variant = platform.variant();
    return platform.os()
        + "/"
        + platform.architecture()
        + (variant == null || variant.isEmpty() ? "" : "/" + variant);
  }
}
