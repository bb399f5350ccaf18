package dev.umoci.oci.spec;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.errors.LimitExceededException;
import java.util.Locale;

/**
 * Bounds on untrusted input read from images, so that a hostile image fails with one clear error
 * instead of exhausting memory or disk. Each limit has a default, a system property that changes it
 * (for the CLI through {@code UMOCI_JAVA_OPTS="-D<property>=<value>"}, for Maven through {@code
 * -D<property>=<value>} or {@code MAVEN_OPTS}), and the layer limits also a CLI flag of {@code
 * unpack} and {@code raw unpack}. Sizes accept a binary suffix ({@code 64k}, {@code 4M}, {@code
 * 32G}, {@code 1T}).
 *
 * @param maxJsonBytes {@value #JSON}: index, manifest and config blobs and {@code index.json};
 *     checked against the descriptor (or file) size before anything is read. Default 4 MiB, the
 *     bound containerd puts on manifests.
 * @param maxPaxHeaderBytes {@value #PAX}: one PAX ({@code x}, {@code g}) or GNU long-name ({@code
 *     L}, {@code K}) header. Default 1 MiB, Go's archive/tar bound.
 * @param maxGlobalPaxBytes {@value #GLOBAL_PAX}: the PAX global ({@code g}) records in force at
 *     once (keys plus values). Default 16 KiB (git archive writes one 52-byte record).
 * @param maxNameBytes {@value #NAME}: an entry's name after PAX/GNU overrides. Default 4096,
 *     Linux's PATH_MAX.
 * @param maxLinkBytes {@value #LINK}: a symlink or hard link target. Default 4096.
 * @param maxLayerBytes {@value #LAYER_SIZE} (CLI {@code --max-layer-size}): the bytes of one
 *     layer's uncompressed tar stream. Default 32 GiB, far above real layers, low enough to stop a
 *     gzip bomb before it fills a disk.
 * @param maxLayerEntries {@value #LAYER_ENTRIES} (CLI {@code --max-layer-entries}): entries in one
 *     layer. Default 4,000,000 (a full Debian or Fedora image has well under 200,000 files).
 */
public record InputLimits(
    long maxJsonBytes,
    long maxPaxHeaderBytes,
    long maxGlobalPaxBytes,
    long maxNameBytes,
    long maxLinkBytes,
    long maxLayerBytes,
    long maxLayerEntries) {
  public static final String JSON = "umoci.maxJsonSize";
  public static final String PAX = "umoci.maxPaxHeaderSize";
  public static final String GLOBAL_PAX = "umoci.maxGlobalPaxSize";
  public static final String NAME = "umoci.maxNameLength";
  public static final String LINK = "umoci.maxLinkLength";
  public static final String LAYER_SIZE = "umoci.maxLayerSize";
  public static final String LAYER_ENTRIES = "umoci.maxLayerEntries";

  private static final InputLimits DEFAULTS =
      new InputLimits(4L << 20, 1L << 20, 16L << 10, 4096, 4096, 32L << 30, 4_000_000L);

  public InputLimits {
    positive(maxJsonBytes, JSON);
    positive(maxPaxHeaderBytes, PAX);
    positive(maxGlobalPaxBytes, GLOBAL_PAX);
    positive(maxNameBytes, NAME);
    positive(maxLinkBytes, LINK);
    positive(maxLayerBytes, LAYER_SIZE);
    positive(maxLayerEntries, LAYER_ENTRIES);
    if (maxPaxHeaderBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(PAX + " must be below 2 GiB");
    }
  }

  /** The built-in defaults, ignoring system properties. */
  public static InputLimits defaults() {
    return DEFAULTS;
  }

  /**
   * The defaults, each overridden by its system property when set.
   *
   * @throws InvalidArgumentException naming the property whose value is not a positive size
   */
  public static InputLimits fromSystemProperties() throws InvalidArgumentException {
    InputLimits d = DEFAULTS;
    return new InputLimits(
        property(JSON, d.maxJsonBytes),
        Math.min(property(PAX, d.maxPaxHeaderBytes), Integer.MAX_VALUE - 8),
        property(GLOBAL_PAX, d.maxGlobalPaxBytes),
        property(NAME, d.maxNameBytes),
        property(LINK, d.maxLinkBytes),
        property(LAYER_SIZE, d.maxLayerBytes),
        property(LAYER_ENTRIES, d.maxLayerEntries));
  }

  public InputLimits withMaxLayerBytes(long bytes) {
    return new InputLimits(
        maxJsonBytes,
        maxPaxHeaderBytes,
        maxGlobalPaxBytes,
        maxNameBytes,
        maxLinkBytes,
        bytes,
        maxLayerEntries);
  }

  public InputLimits withMaxLayerEntries(long entries) {
    return new InputLimits(
        maxJsonBytes,
        maxPaxHeaderBytes,
        maxGlobalPaxBytes,
        maxNameBytes,
        maxLinkBytes,
        maxLayerBytes,
        entries);
  }

  public InputLimits withMaxJsonBytes(long bytes) {
    return new InputLimits(
        bytes,
        maxPaxHeaderBytes,
        maxGlobalPaxBytes,
        maxNameBytes,
        maxLinkBytes,
        maxLayerBytes,
        maxLayerEntries);
  }

  /**
   * Refuses a JSON document of {@code size} bytes before it is read.
   *
   * @param what names the blob or file, for the message
   */
  public void checkJsonSize(long size, String what) throws LimitExceededException {
    if (size > maxJsonBytes) {
      throw exceeded(
          what + " is " + size + " bytes, larger than the JSON size limit", maxJsonBytes, JSON);
    }
  }

  /**
   * The error for input over a limit: {@code "<what> (<limit>; raise it with -D<property>=...)"}.
   */
  public static LimitExceededException exceeded(String what, long limit, String property) {
    String flag =
        switch (property) {
          case LAYER_SIZE -> " or --max-layer-size";
          case LAYER_ENTRIES -> " or --max-layer-entries";
          default -> "";
        };
    return new LimitExceededException(
        what + " (limit " + limit + "; raise it with -D" + property + "=..." + flag + ")");
  }

  /**
   * Parses a positive size: decimal digits with an optional binary suffix k, M, G or T (case and a
   * trailing "iB"/"B" ignored).
   *
   * @param what names the option or property, for the message
   */
  public static long parseSize(String text, String what) throws InvalidArgumentException {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.endsWith("ib")) {
      s = s.substring(0, s.length() - 2);
    } else if (s.endsWith("b")) {
      s = s.substring(0, s.length() - 1);
    }
    int shift = 0;
    if (!s.isEmpty()) {
      switch (s.charAt(s.length() - 1)) {
        case 'k' -> shift = 10;
        case 'm' -> shift = 20;
        case 'g' -> shift = 30;
        case 't' -> shift = 40;
        default -> shift = 0;
      }
      if (shift != 0) {
        s = s.substring(0, s.length() - 1);
      }
    }
    long value;
    try {
      value = Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException(what + ": invalid size \"" + text + "\"");
    }
    if (value <= 0 || value > (Long.MAX_VALUE >> shift)) {
      throw new InvalidArgumentException(what + ": size out of range \"" + text + "\"");
    }
    return value << shift;
  }

  private static long property(String name, long fallback) throws InvalidArgumentException {
    String value = System.getProperty(name);
    return value == null ? fallback : parseSize(value, "system property " + name);
  }

  private static void positive(long value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, not " + value);
    }
  }
}
