package dev.umoci.layer;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.sys.PathBytes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The fields of one 512-byte ustar/GNU header block as {@link TarReader} reads them: offsets,
 * format magic, numeric fields with a message naming the field and the entry, and the header
 * checksum (POSIX's unsigned sum, or the signed one some old writers used). Stateless; every method
 * reads the block it is given.
 */
final class TarHeaderBlock {
  static final int BLOCK = 512;

  static final int NAME = 0;
  static final int MODE = 100;
  static final int UID = 108;
  static final int GID = 116;
  static final int SIZE = 124;
  static final int MTIME = 136;
  static final int CHKSUM = 148;
  static final int TYPEFLAG = 156;
  static final int LINKNAME = 157;
  static final int MAGIC = 257;
  static final int DEVMAJOR = 329;
  static final int DEVMINOR = 337;
  static final int PREFIX = 345;
  static final int GNU_ATIME = 345;
  static final int GNU_CTIME = 357;

  private static final byte[] USTAR_MAGIC = {'u', 's', 't', 'a', 'r', 0};
  private static final byte[] GNU_MAGIC = {'u', 's', 't', 'a', 'r', ' '};

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private TarHeaderBlock() {}

  /** POSIX ustar magic ({@code "ustar\0"}): the name has a prefix field, devices are set. */
  static boolean isUstar(byte[] block) {
    return magicIs(block, USTAR_MAGIC);
  }

  /** GNU magic ({@code "ustar "}): atime and ctime fields, devices are set. */
  static boolean isGnu(byte[] block) {
    return magicIs(block, GNU_MAGIC);
  }

  private static boolean magicIs(byte[] block, byte[] magic) {
    for (int i = 0; i < magic.length; i++) {
      if (block[MAGIC + i] != magic[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The entry type of a typeflag ({@code name} tells an old-style directory, typeflag NUL with a
   * trailing {@code '/'}); null for a type this reader does not know (skipped). Extended-header
   * flags ({@code x g L K}) and sparse files ({@code S}) are the caller's.
   */
  static TarEntry.Type type(byte typeflag, byte[] name) {
    return switch (typeflag) {
      case 0, '0', '7' ->
          typeflag == 0 && name.length > 0 && name[name.length - 1] == '/'
              ? TarEntry.Type.DIRECTORY
              : TarEntry.Type.REGULAR;
      case '1' -> TarEntry.Type.HARDLINK;
      case '2' -> TarEntry.Type.SYMLINK;
      case '3' -> TarEntry.Type.CHAR_DEVICE;
      case '4' -> TarEntry.Type.BLOCK_DEVICE;
      case '5' -> TarEntry.Type.DIRECTORY;
      case '6' -> TarEntry.Type.FIFO;
      default -> null;
    };
  }

  /** True for an all-zero block (half of the end-of-archive marker). */
  static boolean isZero(byte[] block) {
    for (byte x : block) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * A numeric field (octal or base-256).
   *
   * @throws InvalidImageException naming {@code field}, the header's offset and the entry when
   *     malformed
   */
  static long number(byte[] block, int off, int len, String field, long headerOffset)
      throws InvalidImageException {
    Long v = TarNumbers.parse(block, off, len);
    if (v == null) {
      throw new InvalidImageException(
          "invalid tar header field "
              + field
              + " at offset "
              + headerOffset
              + " (entry "
              + PathBytes.escape(TarNumbers.string(block, NAME, 100))
              + ")");
    }
    return v;
  }

  /**
   * Refuses a block whose checksum field matches neither the unsigned nor the signed sum.
   *
   * @throws InvalidImageException naming the header's offset and the entry
   */
  static void verifyChecksum(byte[] block, long headerOffset) throws InvalidImageException {
    Long stored = TarNumbers.parse(block, CHKSUM, 8);
    if (stored == null || (stored != unsignedChecksum(block) && stored != signedChecksum(block))) {
      throw new InvalidImageException(
          "invalid tar header checksum at offset "
              + headerOffset
              + " (entry "
              + PathBytes.escape(TarNumbers.string(block, NAME, 100))
              + ")");
    }
  }

  /**
   * The POSIX header checksum: the sum of the 512 header bytes as unsigned values, with the 8 bytes
   * of the checksum field counted as spaces. Bytes are summed eight at a time, in four 16-bit lanes
   * of a long (64 words add at most 64 * 2 * 255 to a lane, which cannot overflow it).
   */
  static long unsignedChecksum(byte[] header) {
    long lanes = 0;
    for (int i = 0; i < BLOCK; i += 8) {
      long word = (long) LONGS.get(header, i);
      lanes += (word & 0x00FF00FF00FF00FFL) + ((word >>> 8) & 0x00FF00FF00FF00FFL);
    }
    long sum =
        (lanes & 0xFFFF) + ((lanes >>> 16) & 0xFFFF) + ((lanes >>> 32) & 0xFFFF) + (lanes >>> 48);
    for (int i = CHKSUM; i < CHKSUM + 8; i++) {
      sum += ' ' - (header[i] & 0xff);
    }
    return sum;
  }

  /** The checksum some old tar implementations wrote: header bytes summed as signed values. */
  static long signedChecksum(byte[] header) {
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= CHKSUM && i < CHKSUM + 8) ? ' ' : header[i];
    }
    return sum;
  }
}
