package dev.umoci.layer;

import dev.umoci.errors.InvalidImageException;
import java.io.ByteArrayOutputStream;

/**
 * The {@code user.rootlesscontainers} xattr (github.com/rootless-containers/proto): a protobuf
 * message {@code Resource { uint32 uid = 1; uint32 gid = 2; }} where 4294967295 means "no change".
 * Rootless extraction records non-root owners in it because it cannot chown; rootless layer
 * generation reads it back as the entry's owner and strips it.
 */
public final class RootlessContainersXattr {
  /** The xattr name. */
  public static final String NAME = "user.rootlesscontainers";

  /** The id meaning "keep the file's own owner". */
  public static final long NOOP_ID = 0xffffffffL;

  private RootlessContainersXattr() {}

  /** Owner recorded in the xattr; either field may be {@link #NOOP_ID}. */
  public record Owner(long uid, long gid) {
    public boolean isNoop() {
      return uid == NOOP_ID && gid == NOOP_ID;
    }
  }

  /** The xattr value for a container owner, or null when both ids are 0 (nothing to record). */
  public static byte[] encodeForOwner(long uid, long gid) {
    Owner o = new Owner(uid == 0 ? NOOP_ID : uid, gid == 0 ? NOOP_ID : gid);
    return o.isNoop() ? null : encode(o);
  }

  /** proto3 encoding: zero fields omitted, varints for the rest. */
  public static byte[] encode(Owner owner) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (owner.uid() != 0) {
      out.write(0x08);
      varint(out, owner.uid());
    }
    if (owner.gid() != 0) {
      out.write(0x10);
      varint(out, owner.gid());
    }
    return out.toByteArray();
  }

  /** Parses the protobuf value; unknown fields are skipped as protobuf requires. */
  public static Owner decode(byte[] value) throws InvalidImageException {
    long uid = 0;
    long gid = 0;
    int[] pos = {0};
    while (pos[0] < value.length) {
      long key = readVarint(value, pos);
      int field = (int) (key >>> 3);
      int wire = (int) (key & 7);
      switch (wire) {
        case 0 -> {
          long v = readVarint(value, pos) & 0xffffffffL;
          if (field == 1) {
            uid = v;
          } else if (field == 2) {
            gid = v;
          }
        }
        case 1 -> pos[0] += 8;
        case 2 -> pos[0] += (int) readVarint(value, pos);
        case 5 -> pos[0] += 4;
        default -> throw bad();
      }
      if (pos[0] > value.length) {
        throw bad();
      }
    }
    return new Owner(uid, gid);
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7fL) != 0) {
      out.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static long readVarint(byte[] b, int[] pos) throws InvalidImageException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos[0] >= b.length) {
        throw bad();
      }
      int x = b[pos[0]++] & 0xff;
      v |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        return v;
      }
    }
    throw bad();
  }

  private static InvalidImageException bad() {
    return new InvalidImageException("malformed " + NAME + " xattr value");
  }
}
