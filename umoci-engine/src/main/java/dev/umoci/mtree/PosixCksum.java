package dev.umoci.mtree;

/** The POSIX cksum(1) CRC (polynomial 0x04C11DB7, length appended, complemented). */
final class PosixCksum {
  private static final int[] TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int c = i << 24;
      for (int j = 0; j < 8; j++) {
        c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04C11DB7 : c << 1;
      }
      TABLE[i] = c;
    }
  }

  private int crc;
  private long length;

  void update(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ b[i]) & 0xff];
    }
    length += len;
  }

  long value() {
    int c = crc;
    for (long m = length; m != 0; m >>>= 8) {
      c = (c << 8) ^ TABLE[((c >>> 24) ^ (int) m) & 0xff];
    }
    return ~c & 0xffffffffL;
  }
}
