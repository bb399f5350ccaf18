package dev.umoci.layer;

import dev.umoci.sys.PathBytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One tar archive member as the layer code sees it: names are raw bytes (tar names are not
 * necessarily UTF-8), xattr values are raw bytes, times are nanoseconds since the epoch.
 *
 * <p>{@code mode} holds only the 12 permission bits (setuid, setgid, sticky included); the file
 * type is {@link #type()}. {@code atimeNanos} and {@code ctimeNanos} are {@link #NO_TIME} when the
 * archive does not record them. {@code size} is the content length and is non-zero only for regular
 * files. Instances are immutable; byte arrays are copied in and out.
 */
public final class TarEntry {
  /** Marker for an absent access or change time. */
  public static final long NO_TIME = Long.MIN_VALUE;

  /** The member kinds a layer may contain. */
  public enum Type {
    REGULAR,
    HARDLINK,
    SYMLINK,
    CHAR_DEVICE,
    BLOCK_DEVICE,
    DIRECTORY,
    FIFO;

    /** The ustar typeflag written for this kind. */
    public byte typeflag() {
      return switch (this) {
        case REGULAR -> '0';
        case HARDLINK -> '1';
        case SYMLINK -> '2';
        case CHAR_DEVICE -> '3';
        case BLOCK_DEVICE -> '4';
        case DIRECTORY -> '5';
        case FIFO -> '6';
      };
    }
  }

  private final Type type;
  private final byte[] name;
  private final byte[] linkName;
  private final int mode;
  private final long uid;
  private final long gid;
  private final long size;
  private final long mtimeNanos;
  private final long atimeNanos;
  private final long ctimeNanos;
  private final long devMajor;
  private final long devMinor;
  private final SortedMap<String, byte[]> xattrs;

  private TarEntry(Builder b) {
    this.type = Objects.requireNonNull(b.type, "type");
    this.name = b.name.clone();
    this.linkName = b.linkName.clone();
    this.mode = b.mode & 07777;
    this.uid = b.uid;
    this.gid = b.gid;
    this.size = type == Type.REGULAR ? b.size : 0;
    this.mtimeNanos = b.mtimeNanos;
    this.atimeNanos = b.atimeNanos;
    this.ctimeNanos = b.ctimeNanos;
    this.devMajor = b.devMajor;
    this.devMinor = b.devMinor;
    TreeMap<String, byte[]> x = new TreeMap<>();
    b.xattrs.forEach((k, v) -> x.put(k, v.clone()));
    this.xattrs = Collections.unmodifiableSortedMap(x);
    if (size < 0) {
      throw new IllegalArgumentException("negative size for tar entry " + displayName());
    }
  }

  /** A builder for an entry of {@code type} named by the UTF-8 bytes of {@code name}. */
  public static Builder builder(Type type, String name) {
    return new Builder(type, name.getBytes(StandardCharsets.UTF_8));
  }

  /** A builder for an entry of {@code type} with a raw byte name. */
  public static Builder builder(Type type, byte[] name) {
    return new Builder(type, name);
  }

  /** A builder pre-filled with this entry's fields. */
  public Builder toBuilder() {
    Builder b = new Builder(type, name);
    b.linkName = linkName.clone();
    b.mode = mode;
    b.uid = uid;
    b.gid = gid;
    b.size = size;
    b.mtimeNanos = mtimeNanos;
    b.atimeNanos = atimeNanos;
    b.ctimeNanos = ctimeNanos;
    b.devMajor = devMajor;
    b.devMinor = devMinor;
    b.xattrs.putAll(xattrs);
    return b;
  }

  public Type type() {
    return type;
  }

  /** The raw name bytes as stored in the archive (not cleaned). */
  public byte[] name() {
    return name.clone();
  }

  /** The raw link target bytes (symlink target or hard-link source); empty for other types. */
  public byte[] linkName() {
    return linkName.clone();
  }

  /** The name for log and error messages: printable ASCII, other bytes as \xNN. */
  public String displayName() {
    return PathBytes.escape(name);
  }

  public int mode() {
    return mode;
  }

  public long uid() {
    return uid;
  }

  public long gid() {
    return gid;
  }

  public long size() {
    return size;
  }

  public long mtimeNanos() {
    return mtimeNanos;
  }

  public long atimeNanos() {
    return atimeNanos;
  }

  public long ctimeNanos() {
    return ctimeNanos;
  }

  public long devMajor() {
    return devMajor;
  }

  public long devMinor() {
    return devMinor;
  }

  /** Extended attributes sorted by name; values are copies of the raw bytes. */
  public SortedMap<String, byte[]> xattrs() {
    TreeMap<String, byte[]> copy = new TreeMap<>();
    xattrs.forEach((k, v) -> copy.put(k, v.clone()));
    return copy;
  }

  /** The value of one xattr (a copy), or null. */
  public byte[] xattr(String name) {
    byte[] v = xattrs.get(name);
    return v == null ? null : v.clone();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TarEntry e)) {
      return false;
    }
    if (type != e.type
        || !Arrays.equals(name, e.name)
        || !Arrays.equals(linkName, e.linkName)
        || mode != e.mode
        || uid != e.uid
        || gid != e.gid
        || size != e.size
        || mtimeNanos != e.mtimeNanos
        || atimeNanos != e.atimeNanos
        || ctimeNanos != e.ctimeNanos
        || devMajor != e.devMajor
        || devMinor != e.devMinor
        || !xattrs.keySet().equals(e.xattrs.keySet())) {
      return false;
    }
    for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
      if (!Arrays.equals(x.getValue(), e.xattrs.get(x.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, Arrays.hashCode(name), mode, uid, gid, size, mtimeNanos);
  }

  @Override
  public String toString() {
    StringBuilder s =
        new StringBuilder()
            .append(type)
            .append(' ')
            .append(displayName())
            .append(String.format(" mode=%04o uid=%d gid=%d size=%d", mode, uid, gid, size))
            .append(" mtime=")
            .append(mtimeNanos);
    if (linkName.length > 0) {
      s.append(" link=").append(PathBytes.escape(linkName));
    }
    if (type == Type.CHAR_DEVICE || type == Type.BLOCK_DEVICE) {
      s.append(" dev=").append(devMajor).append(':').append(devMinor);
    }
    if (!xattrs.isEmpty()) {
      s.append(" xattrs=").append(xattrs.keySet());
    }
    return s.toString();
  }

  /** Mutable builder; defaults: mode 0, owner 0:0, mtime 0, no atime/ctime, no xattrs. */
  public static final class Builder {
    private final Type type;
    private byte[] name;
    private byte[] linkName = new byte[0];
    private int mode;
    private long uid;
    private long gid;
    private long size;
    private long mtimeNanos;
    private long atimeNanos = NO_TIME;
    private long ctimeNanos = NO_TIME;
    private long devMajor;
    private long devMinor;
    private final TreeMap<String, byte[]> xattrs = new TreeMap<>();

    private Builder(Type type, byte[] name) {
      this.type = type;
      this.name = name.clone();
    }

    public Builder name(byte[] name) {
      this.name = name.clone();
      return this;
    }

    public Builder linkName(byte[] target) {
      this.linkName = target.clone();
      return this;
    }

    public Builder linkName(String target) {
      return linkName(target.getBytes(StandardCharsets.UTF_8));
    }

    public Builder mode(int mode) {
      this.mode = mode;
      return this;
    }

    public Builder owner(long uid, long gid) {
      this.uid = uid;
      this.gid = gid;
      return this;
    }

    public Builder size(long size) {
      this.size = size;
      return this;
    }

    public Builder mtimeNanos(long nanos) {
      this.mtimeNanos = nanos;
      return this;
    }

    /** Sets the modification time in whole seconds. */
    public Builder mtimeSeconds(long seconds) {
      return mtimeNanos(seconds * 1_000_000_000L);
    }

    public Builder atimeNanos(long nanos) {
      this.atimeNanos = nanos;
      return this;
    }

    public Builder ctimeNanos(long nanos) {
      this.ctimeNanos = nanos;
      return this;
    }

    public Builder device(long major, long minor) {
      this.devMajor = major;
      this.devMinor = minor;
      return this;
    }

    public Builder xattr(String name, byte[] value) {
      xattrs.put(name, value.clone());
      return this;
    }

    public Builder clearXattrs() {
      xattrs.clear();
      return this;
    }

    public Builder removeXattr(String name) {
      xattrs.remove(name);
      return this;
    }

    public TarEntry build() {
      return new TarEntry(this);
    }
  }
}
