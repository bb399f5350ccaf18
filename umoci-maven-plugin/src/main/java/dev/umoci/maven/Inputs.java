package dev.umoci.maven;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.errors.UmociException;
import dev.umoci.fs.IdMap;
import dev.umoci.fs.IdMapping;
import dev.umoci.mutate.CompressionChoice;
import dev.umoci.oci.casext.ReferenceNames;
import dev.umoci.oci.spec.PlatformSpecifier;
import dev.umoci.oci.spec.Rfc3339;
import dev.umoci.ops.ImageRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.maven.plugin.MojoFailureException;

/**
 * Checks POM values before they reach the engine, so that a bad value fails the build with a
 * message naming the element to fix, such as {@code <tag>bad tag!</tag>: invalid tag name}.
 *
 * <p>The engine's exception is not kept as the cause: Maven appends a cause's message to the build
 * failure, which would repeat the value and name the CLI's flag ({@code --compress}).
 */
final class Inputs {
  private Inputs() {}

  /** A tag (reference name) as umoci accepts it. */
  static String tag(String element, String value) throws MojoFailureException {
    if (value == null || value.isEmpty()) {
      throw new MojoFailureException(Xml.element(element, value) + ": tag must not be empty");
    }
    if (!ReferenceNames.isValid(value)) {
      throw new MojoFailureException(
          Xml.element(element, value)
              + ": invalid tag name (components of letters and digits, separated by one of"
              + " . _ - : @ + or --, joined by /)");
    }
    return value;
  }

  /** An optional tag: null stays null. */
  static String optionalTag(String element, String value) throws MojoFailureException {
    return value == null ? null : tag(element, value);
  }

  /** {@code path:tag} of an image in another (or the same) layout. */
  static ImageRef imageRef(String element, String value) throws MojoFailureException {
    try {
      return ImageRef.parse(value);
    } catch (InvalidArgumentException e) {
      throw new MojoFailureException(
          Xml.element(element, value) + ": expected path[:tag] of an OCI layout image");
    }
  }

  /** {@code gzip}, {@code zstd}, {@code none} or {@code auto}. */
  static CompressionChoice compression(String element, String value) throws MojoFailureException {
    try {
      return CompressionChoice.parse(value);
    } catch (InvalidArgumentException e) {
      throw new MojoFailureException(
          Xml.element(element, value) + ": expected one of gzip, zstd, none, auto");
    }
  }

  /** One of {@code allowed}. */
  static String oneOf(String element, String value, List<String> allowed)
      throws MojoFailureException {
    if (value == null || !allowed.contains(value)) {
      throw new MojoFailureException(
          Xml.element(element, value) + ": expected one of " + String.join(", ", allowed));
    }
    return value;
  }

  /** An RFC 3339 time such as {@code 2024-05-01T12:00:00Z}; null stays null. */
  static String rfc3339(String element, String value) throws MojoFailureException {
    if (value == null) {
      return null;
    }
    try {
      Rfc3339.parse(value, element);
      return value;
    } catch (InvalidArgumentException e) {
      throw new MojoFailureException(
          Xml.element(element, value) + ": expected an RFC 3339 time such as 2024-05-01T12:00:00Z");
    }
  }

  /**
   * A map parameter as the engine's {@code name=value} list, sorted by name so the result does not
   * depend on the order Maven fills the map in; null stays null (not given).
   */
  static List<String> keyValues(String element, Map<String, String> values)
      throws MojoFailureException {
    if (values == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
      if (e.getKey().isEmpty() || e.getKey().contains("=")) {
        throw new MojoFailureException(
            Xml.element(element, "<" + e.getKey() + ">")
                + ": names must be non-empty and contain no '='");
      }
      out.add(e.getKey() + "=" + (e.getValue() == null ? "" : e.getValue()));
    }
    return out;
  }

  /**
   * Exposed ports as the image config holds them: {@code 8080}, {@code 8080/tcp} or {@code 53/udp},
   * the port 1 to 65535; null stays null (not given). umoci's CLI takes any string; the POM is
   * checked so that a typo fails the build instead of producing an image no runtime accepts.
   */
  static List<String> exposedPorts(String element, List<String> values)
      throws MojoFailureException {
    if (values == null) {
      return null;
    }
    for (String value : values) {
      if (value == null || !PORT.matcher(value).matches() || !portInRange(value)) {
        throw new MojoFailureException(
            Xml.element(element, value)
                + ": expected a port 1-65535, optionally followed by /tcp or /udp (8080, 8080/tcp,"
                + " 53/udp)");
      }
    }
    return values;
  }

  private static final java.util.regex.Pattern PORT =
      java.util.regex.Pattern.compile("[0-9]{1,5}(/tcp|/udp)?");

  private static boolean portInRange(String value) {
    int slash = value.indexOf('/');
    int port = Integer.parseInt(slash < 0 ? value : value.substring(0, slash));
    return port >= 1 && port <= 65535;
  }

  /** An absolute path inside the image, such as {@code /app}. */
  static String imagePath(String element, String value) throws MojoFailureException {
    if (value == null || !value.startsWith("/")) {
      throw new MojoFailureException(
          Xml.element(element, value) + ": must be an absolute path inside the image");
    }
    return value;
  }

  /** {@code container:host[:size]} uid and gid maps (umoci's defaults for rootless). */
  static IdMapping idMapping(List<String> uidMaps, List<String> gidMaps, boolean rootless)
      throws MojoFailureException {
    List<IdMap> uid = idMaps("uidMap", uidMaps);
    List<IdMap> gid = idMaps("gidMap", gidMaps);
    try {
      return IdMapping.of(uid, gid, rootless);
    } catch (UmociException e) {
      throw new MojoFailureException(Xml.element("rootless", rootless) + ": " + e.getMessage());
    }
  }

  private static List<IdMap> idMaps(String element, List<String> values)
      throws MojoFailureException {
    List<IdMap> out = new ArrayList<>();
    if (values != null) {
      for (String value : values) {
        try {
          out.add(IdMap.parse(value, element));
        } catch (InvalidArgumentException e) {
          throw new MojoFailureException(
              Xml.element(element, value) + ": expected container:host[:size]");
        }
      }
    }
    return out;
  }

  /**
   * {@code os/arch[/variant]} platforms, such as {@code linux/arm64}; null when none are given.
   * Duplicates are refused.
   */
  static List<PlatformSpecifier> platforms(String element, List<String> values)
      throws MojoFailureException {
    if (values == null || values.isEmpty()) {
      return null;
    }
    List<PlatformSpecifier> out = new ArrayList<>();
    for (String value : values) {
      PlatformSpecifier p;
      try {
        p = PlatformSpecifier.parse(value == null ? "" : value.trim(), element);
      } catch (InvalidArgumentException e) {
        throw new MojoFailureException(
            Xml.element(element, value) + ": expected os/arch[/variant], e.g. linux/arm64");
      }
      if (out.contains(p)) {
        throw new MojoFailureException(Xml.element(element, value) + ": given twice");
      }
      out.add(p);
    }
    return out;
  }
}
