package dev.umoci.registry;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.PlatformSpecifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to take from an image index: the whole index ({@link #whole()}), or the one image for a
 * {@link PlatformSpecifier platform}, matched by its rules. An index with no entry, or with several
 * entries, for the platform is an error.
 *
 * @param platform the platform, or null for the whole index
 */
public record PlatformChoice(PlatformSpecifier platform) {

  /** Keep the whole index. */
  public static PlatformChoice whole() {
    return new PlatformChoice(null);
  }

  /** One platform ({@code variant} may be null or empty). */
  public static PlatformChoice of(String os, String architecture, String variant) {
    return new PlatformChoice(
        new PlatformSpecifier(
            Objects.requireNonNull(os), Objects.requireNonNull(architecture), variant));
  }

  /** Parses {@code os/arch[/variant]} as {@code --platform} takes it. */
  public static PlatformChoice parse(String text) throws InvalidArgumentException {
    return new PlatformChoice(PlatformSpecifier.parse(text, "--platform"));
  }

  /** Whether the whole index is wanted. */
  public boolean all() {
    return platform == null;
  }

  /** The wanted os (null for the whole index). */
  public String os() {
    return platform == null ? null : platform.os();
  }

  /** The wanted architecture (null for the whole index). */
  public String architecture() {
    return platform == null ? null : platform.architecture();
  }

  /** The wanted variant (null when none was given, or for the whole index). */
  public String variant() {
    return platform == null ? null : platform.variant();
  }

  /** Whether the index entry {@code d} is for this platform. */
  public boolean matches(Descriptor d) {
    return platform == null || platform.matches(d.platform());
  }

  /**
   * The one entry of {@code entries} for this platform.
   *
   * @param where the message's prefix (where the index was found)
   * @throws PlatformNotFoundException naming the platforms the index has, when none matches
   * @throws RegistryException when several entries match
   */
  public Descriptor choose(List<Descriptor> entries, String where) throws RegistryException {
    List<Descriptor> matching =
        platform == null ? entries : platform.matching(entries, Descriptor::platform);
    if (matching.size() == 1) {
      return matching.get(0);
    }
    if (matching.isEmpty()) {
      List<String> have = new ArrayList<>();
      for (Descriptor d : entries) {
        have.add(PlatformSpecifier.describe(d.platform()));
      }
      throw new PlatformNotFoundException(
          where
              + "no image for platform "
              + this
              + " (the index has: "
              + String.join(", ", have)
              + ")");
    }
    List<String> digests = new ArrayList<>();
    for (Descriptor d : matching) {
      digests.add(d.digest().toString());
    }
    throw new RegistryException(
        where
            + "ambiguous: the index has "
            + matching.size()
            + " images for platform "
            + this
            + " ("
            + String.join(", ", digests)
            + ")",
        0,
        false,
        null);
  }

  @Override
  public String toString() {
    return platform == null ? "all platforms" : platform.toString();
  }
}
