package dev.umoci.layer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The OCI layer whiteout naming convention. */
public final class Whiteouts {
  /** Prefix of a whiteout file name: {@code .wh.NAME} deletes {@code NAME} from lower layers. */
  public static final String PREFIX = ".wh.";

  /** Name of the opaque-directory marker: lower-layer children of its directory are deleted. */
  public static final String OPAQUE = ".wh..wh..opq";

  private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OPAQUE_BYTES = OPAQUE.getBytes(StandardCharsets.US_ASCII);

  private Whiteouts() {}

  /** True when the file name (one component) starts with {@code .wh.}. */
  public static boolean isWhiteout(byte[] fileName) {
    return fileName.length >= PREFIX_BYTES.length
        && Arrays.equals(fileName, 0, PREFIX_BYTES.length, PREFIX_BYTES, 0, PREFIX_BYTES.length);
  }

  /** True for the opaque marker {@code .wh..wh..opq}. */
  public static boolean isOpaque(byte[] fileName) {
    return Arrays.equals(fileName, OPAQUE_BYTES);
  }

  /** The name a whiteout file deletes ({@code .wh.NAME} gives {@code NAME}). */
  public static byte[] target(byte[] fileName) {
    return Arrays.copyOfRange(fileName, PREFIX_BYTES.length, fileName.length);
  }
}
