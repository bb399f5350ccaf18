package dev.umoci.registry;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to take from an image index: the whole index ({@link #all()}), or the one image for a
 * platform. Matching compares os and architecture exactly; a wanted variant must equal the entry's,
 * except that an entry without variant matches {@code arm64/v8} (the implied arm64 variant);
 * without a wanted variant any variant matches. The first matching entry wins.
 */
public record PlatformChoice(String os, String architecture, String variant, boolean all) {

  /** Keep the whole index. */
  public static PlatformChoice whole() {
    return new PlatformChoice(null, null, null, true);
  }

  /** One platform. */
  public static PlatformChoice of(String os, String architecture, String variant) {
    return new PlatformChoice(
        Objects.requireNonNull(os),
        Objects.requireNonNull(architecture),
        emptyToNull(variant),
        false);
  }

  /** Parses {@code os/arch[/variant]} as {@code --platform} takes it. */
  public static PlatformChoice parse(String text) throws InvalidArgumentException {
    String[] parts = text.split("/", -1);
    if (parts.length < 2
        || parts.length > 3
        || parts[0].isEmpty()
        || parts[1].isEmpty()
        || (parts.length == 3 && parts[2].isEmpty())) {
      throw new InvalidArgumentException(
          "invalid --platform \"" + text + "\": expected os/arch[/variant], e.g. linux/arm64");
    }
    return of(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
  }

  /** Whether the index entry {@code d} is for this platform. */
  public boolean matches(Descriptor d) {
    Platform p = d.platform();
    if (all) {
      return true;
    }
    if (p == null || !os.equals(p.os()) || !architecture.equals(p.architecture())) {
      return false;
    }
    String v = emptyToNull(p.variant());
    if (variant == null || variant.equals(v)) {
      return true;
    }
    return v == null && architecture.equals("arm64") && variant.equals("v8");
  }

  /**
   * The entry of {@code entries} for this platform.
   *
   * @throws RegistryException naming the platforms the index has, when none matches
   */
  public Descriptor choose(List<Descriptor> entries, String where) throws RegistryException {
    for (Descriptor d : entries) {
      if (matches(d)) {
        return d;
      }
    }
    List<String> have = new ArrayList<>();
    for (Descriptor d : entries) {
      have.add(d.platform() == null ? "(no platform)" : describe(d.platform()));
    }
    throw new PlatformNotFoundException(
        where
            + "no image for platform "
            + this
            + " (the index has: "
            + String.join(", ", have)
            + ")");
  }

  static String describe(Platform p) {
    return p.os()
        + "/"
        + p.architecture()
        + (emptyToNull(p.variant()) == null ? "" : "/" + p.variant());
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  @Override
  public String toString() {
    return all ? "all platforms" : os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }
}
