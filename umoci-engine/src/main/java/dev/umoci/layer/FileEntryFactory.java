package dev.umoci.layer;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.errors.UmociException;
import dev.umoci.fs.FileStat;
import dev.umoci.fs.PosixFs;
import dev.umoci.sys.PathBytes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one file on disk into the tar entry umoci's tar generator would write for it (its {@code
 * AddFile} minus hard-link tracking): lstat without following, the 12 mode bits, the owner mapped
 * host to container (or, rootless, taken from {@code user.rootlesscontainers}, which is then
 * stripped), the modification time clamped (or fixed, {@link GenerateOptions#fixedMtime}) and
 * truncated to whole seconds, no user or group names, symlink targets byte for byte, device
 * numbers, and xattrs as binary values except the ones umoci never puts into layers and empty ones.
 */
public final class FileEntryFactory {
  private static final Logger LOG = LoggerFactory.getLogger(FileEntryFactory.class);
  private static final long NANOS = 1_000_000_000L;

  private final PosixFs fs;
  private final GenerateOptions options;
  private final long clampNanos;
  private final boolean fixed;

  public FileEntryFactory(PosixFs fs, GenerateOptions options) {
    this.fs = fs;
    this.options = options;
    Instant clamp = options.clampMtime();
    this.clampNanos =
        clamp == null
            ? Long.MAX_VALUE
            : Math.addExact(Math.multiplyExact(clamp.getEpochSecond(), NANOS), clamp.getNano());
    this.fixed = clamp != null && options.fixedMtime();
  }

  /**
   * The entry for {@code file} (already lstat'ed as {@code stat}) under the archive name {@code
   * name} (already normalised). Sockets cannot be stored in a tar archive and are refused.
   */
  public TarEntry entryFor(Path file, byte[] name, FileStat stat) throws IOException {
    TarEntry.Type type = typeOf(file, stat);
    TarEntry.Builder b = TarEntry.builder(type, name).mode(stat.permissions());
    if (type == TarEntry.Type.REGULAR) {
      b.size(stat.size());
    }
    b.mtimeNanos(entryTime(stat.mtimeNanos()));
    if (type == TarEntry.Type.SYMLINK) {
      b.linkName(fs.readlink(file));
    }
    if (type == TarEntry.Type.CHAR_DEVICE || type == TarEntry.Type.BLOCK_DEVICE) {
      b.device(FileStat.major(stat.rdev()), FileStat.minor(stat.rdev()));
    }
    byte[] rootlessXattr = null;
    for (String xattr : fs.listXattrs(file)) {
      if (XattrRules.isForbidden(xattr)) {
        continue;
      }
      byte[] value = fs.getXattr(file, xattr);
      if (value == null) {
        continue;
      }
      if (value.length == 0) {
        LOG.warn(
            "xattr{{}} ignoring empty-valued xattr {}: disallowed by PAX standard",
            PathBytes.escape(name),
            xattr);
        continue;
      }
      if (xattr.equals(RootlessContainersXattr.NAME)) {
        rootlessXattr = value;
      }
      b.xattr(xattr, value);
    }
    setOwner(b, name, stat, rootlessXattr);
    return b.build();
  }

  /**
   * The mtime as written: the clamp time when fixed, else clamped to it when newer; then truncated
   * to seconds.
   */
  long entryTime(long mtimeNanos) {
    long t = fixed ? clampNanos : Math.min(mtimeNanos, clampNanos);
    return Math.floorDiv(t, NANOS) * NANOS;
  }

  /** The time of entries that have no file behind them (explicit directories). */
  long syntheticTime() {
    return clampNanos == Long.MAX_VALUE ? 0 : entryTime(clampNanos);
  }

  /** The owner of entries that have no file behind them: the forced owner or root. */
  long syntheticUid() {
    return options.forceUid() == null ? 0 : Integer.toUnsignedLong(options.forceUid());
  }

  long syntheticGid() {
    return options.forceGid() == null ? 0 : Integer.toUnsignedLong(options.forceGid());
  }

  private void setOwner(TarEntry.Builder b, byte[] name, FileStat stat, byte[] rootlessXattr)
      throws UmociException {
    long uid = 0;
    long gid = 0;
    if (!options.rootless()) {
      uid =
          Integer.toUnsignedLong(
              options.mapping().uidToContainer(Integer.toUnsignedLong(stat.uid())));
      gid =
          Integer.toUnsignedLong(
              options.mapping().gidToContainer(Integer.toUnsignedLong(stat.gid())));
      if (rootlessXattr != null) {
        LOG.warn(
            "suspicious filesystem: saw special rootless xattr {} in non-rootless invocation ({})",
            RootlessContainersXattr.NAME,
            PathBytes.escape(name));
      }
    } else if (rootlessXattr != null) {
      RootlessContainersXattr.Owner owner;
      try {
        owner = RootlessContainersXattr.decode(rootlessXattr);
      } catch (InvalidImageException e) {
        throw new UmociException(
            "malformed " + RootlessContainersXattr.NAME + " xattr on " + PathBytes.escape(name), e);
      }
      if (owner.uid() != RootlessContainersXattr.NOOP_ID) {
        uid = owner.uid();
      }
      if (owner.gid() != RootlessContainersXattr.NOOP_ID) {
        gid = owner.gid();
      }
      b.removeXattr(RootlessContainersXattr.NAME);
    }
    if (options.forceUid() != null) {
      uid = Integer.toUnsignedLong(options.forceUid());
    }
    if (options.forceGid() != null) {
      gid = Integer.toUnsignedLong(options.forceGid());
    }
    b.owner(uid, gid);
  }

  private static TarEntry.Type typeOf(Path file, FileStat stat) throws UmociException {
    return switch (stat.type()) {
      case FileStat.S_IFREG -> TarEntry.Type.REGULAR;
      case FileStat.S_IFDIR -> TarEntry.Type.DIRECTORY;
      case FileStat.S_IFLNK -> TarEntry.Type.SYMLINK;
      case FileStat.S_IFCHR -> TarEntry.Type.CHAR_DEVICE;
      case FileStat.S_IFBLK -> TarEntry.Type.BLOCK_DEVICE;
      case FileStat.S_IFIFO -> TarEntry.Type.FIFO;
      case FileStat.S_IFSOCK ->
          throw new UmociException("cannot add socket to a layer (tar has no sockets): " + file);
      default ->
          throw new UmociException(
              "cannot add file of unknown type "
                  + Integer.toOctalString(stat.type())
                  + ": "
                  + file);
    };
  }
}
