package dev.umoci.oci.spec;

import dev.umoci.errors.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A platform as a user names it, {@code os/arch[/variant]}, and the one rule by which it matches
 * the {@code platform} of an image index entry. This is the engine's only parser of platform
 * strings: {@code --platform} of the CLI, {@code registry.PlatformChoice} and the plugin go through
 * it.
 *
 * <p>The rules are those of containerd's platform package as umoci 0.6 uses it (its {@code
 * OnlyStrict} matcher over normalised platforms):
 *
 * <ul>
 *   <li>Names are compared in lower case; the architecture aliases {@code x86_64}/{@code x86-64}
 *       ({@code amd64}), {@code aarch64} ({@code arm64}), {@code i386} ({@code 386}), {@code armhf}
 *       ({@code arm/v7}) and {@code armel} ({@code arm/v6}) and {@code macos} ({@code darwin}) are
 *       the same platform; a bare number as an ARM variant means {@code v}<i>number</i>.
 *   <li>A missing variant is the architecture's default: {@code v8} for {@code arm64}, {@code v7}
 *       for {@code arm}, {@code v1} for {@code amd64}, none otherwise. So {@code linux/arm64}
 *       matches an entry {@code linux/arm64/v8} and {@code linux/arm64/v8} an entry without
 *       variant, while {@code linux/arm} does not match {@code linux/arm/v6}.
 *   <li>Otherwise os, architecture and variant must be equal; an entry without {@code platform}
 *       matches nothing.
 * </ul>
 *
 * <p>How many matches a caller accepts is {@link #matching}'s contract: callers treat none as "no
 * image for this platform" and several as ambiguous.
 *
 * <p>The record holds the normalised names (so {@code linux/aarch64} is {@code linux/arm64}); the
 * variant is null when none was given.
 */
public record PlatformSpecifier(String os, String architecture, String variant) {
  private static final Pattern COMPONENT = Pattern.compile("[A-Za-z0-9_-]+");

  /** Normalises the names; {@code os} and {@code architecture} must not be empty. */
  public PlatformSpecifier {
    if (os == null || os.isEmpty() || architecture == null || architecture.isEmpty()) {
      throw new IllegalArgumentException("platform needs an os and an architecture");
    }
    os = normalOs(os);
    variant = variant == null || variant.isEmpty() ? null : variant.toLowerCase(Locale.ROOT);
    String arch = architecture.toLowerCase(Locale.ROOT);
    switch (arch) {
      case "x86_64", "x86-64" -> arch = "amd64";
      case "aarch64" -> arch = "arm64";
      case "i386" -> {
        arch = "386";
        variant = null;
      }
      case "armhf" -> {
        arch = "arm";
        variant = "v7";
      }
      case "armel" -> {
        arch = "arm";
        variant = "v6";
      }
      default -> {}
    }
    architecture = arch;
    if (variant != null && (arch.equals("arm") || arch.equals("arm64")) && isDigits(variant)) {
      variant = "v" + variant;
    }
  }

  /** The platform of an index entry or image config, normalised the same way. */
  public static PlatformSpecifier of(Platform platform) {
    return new PlatformSpecifier(platform.os(), platform.architecture(), platform.variant());
  }

  /**
   * Parses {@code os/arch[/variant]}: two or three components of letters, digits, {@code _} and
   * {@code -}.
   *
   * @param what the option or parameter the value came from, for the message
   * @throws InvalidArgumentException naming {@code what} and the value for anything else
   */
  public static PlatformSpecifier parse(String value, String what) throws InvalidArgumentException {
    String[] parts = value.split("/", -1);
    if (parts.length < 2 || parts.length > 3) {
      throw invalid(value, what);
    }
    for (String part : parts) {
      if (!COMPONENT.matcher(part).matches()) {
        throw invalid(value, what);
      }
    }
    return new PlatformSpecifier(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
  }

  private static InvalidArgumentException invalid(String value, String what) {
    return new InvalidArgumentException(
        "invalid " + what + " \"" + value + "\": expected os/arch[/variant], e.g. linux/arm64/v8");
  }

  /** Whether an entry with {@code platform} (null: none recorded) is for this platform. */
  public boolean matches(Platform platform) {
    if (platform == null
        || platform.os() == null
        || platform.os().isEmpty()
        || platform.architecture() == null
        || platform.architecture().isEmpty()) {
      return false;
    }
    PlatformSpecifier other = of(platform);
    return os.equals(other.os)
        && architecture.equals(other.architecture)
        && effectiveVariant().equals(other.effectiveVariant());
  }

  /**
   * The elements of {@code entries} whose platform ({@code platformOf}, may give null) {@link
   * #matches matches}, in their order. The caller requires exactly one: none means the index has no
   * image for this platform, several that the choice is ambiguous.
   */
  public <T> List<T> matching(List<T> entries, Function<T, Platform> platformOf) {
    List<T> out = new ArrayList<>();
    for (T entry : entries) {
      if (matches(platformOf.apply(entry))) {
        out.add(entry);
      }
    }
    return out;
  }

  /** The variant with the architecture's default filled in ({@code ""}: none). */
  private String effectiveVariant() {
    if (variant != null) {
      return variant;
    }
    return switch (architecture) {
      case "arm64" -> "v8";
      case "arm" -> "v7";
      case "amd64" -> "v1";
      default -> "";
    };
  }

  /** As an image config or index entry records it (no os version or features). */
  public Platform toPlatform() {
    return new Platform(architecture, os, null, null, variant, null);
  }

  /** {@code os/arch[/variant]}. */
  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }

  /**
   * {@code os/arch[/variant]} of an entry's platform as recorded (not normalised), or {@code (no
   * platform)}.
   */
  public static String describe(Platform platform) {
    if (platform == null) {
      return "(no platform)";
    }
    String v = platform.variant();
    return platform.os()
        + "/"
        + platform.architecture()
        + (v == null || v.isEmpty() ? "" : "/" + v);
  }

  private static String normalOs(String os) {
    String lower = os.toLowerCase(Locale.ROOT);
    return lower.equals("macos") ? "darwin" : lower;
  }

  private static boolean isDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return !s.isEmpty();
  }
}
