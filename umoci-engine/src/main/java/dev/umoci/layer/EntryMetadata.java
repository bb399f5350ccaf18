package dev.umoci.layer;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.errors.UmociException;
import dev.umoci.fs.FileStat;
import dev.umoci.fs.IdMapping;
import dev.umoci.fs.PosixFs;
import dev.umoci.sys.Errno;
import dev.umoci.sys.ErrnoException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata of an extracted entry, as umoci sets it: owner (through the id mapping; in rootless
 * mode recorded in the rootlesscontainers xattr instead), mode, xattrs (forbidden ones and
 * unsupported filesystems tolerated as umoci does), then times. One per {@link LayerExtractor}; not
 * thread-safe (it remembers whether it has warned about ENOTSUP).
 */
final class EntryMetadata {
  // Logs under the extractor's name, as before this class was split out of it.
  private static final Logger LOG = LoggerFactory.getLogger(LayerExtractor.class);

  private final PosixFs fs;
  private final IdMapping mapping;
  private final boolean rootless;
  private final boolean partialRootless;
  private boolean enotsupWarned;

  /**
   * @param rootless the caller cannot chown: owners go into the rootlesscontainers xattr
   * @param partialRootless permission errors on xattrs are tolerated (rootless, or in a user
   *     namespace)
   */
  EntryMetadata(PosixFs fs, IdMapping mapping, boolean rootless, boolean partialRootless) {
    this.fs = fs;
    this.mapping = mapping;
    this.rootless = rootless;
    this.partialRootless = partialRootless;
  }

  /**
   * umoci's applyMetadata + restoreMetadata: owner, mode, xattrs, then times. Returns the lstat
   * taken before the changes (identity and size are what callers need from it).
   *
   * <p>An owner that is already right is not set again, and then neither is a mode that is already
   * right: the result is the same, as chown(2) is what clears setuid/setgid bits and file
   * capabilities, and a file this layer did not just create is never here (existing non-directories
   * are removed first; directories have no such bits cleared).
   */
  FileStat apply(Path path, TarEntry entry) throws IOException {
    long uid = entry.uid();
    long gid = entry.gid();
    SortedMap<String, byte[]> xattrs = entry.xattrs();
    if (xattrs.containsKey(RootlessContainersXattr.NAME)) {
      if (rootless) {
        LOG.warn(
            "rootless{{}} ignoring special xattr {} stored in layer",
            entry.displayName(),
            RootlessContainersXattr.NAME);
        xattrs.remove(RootlessContainersXattr.NAME);
      } else {
        LOG.warn(
            "suspicious layer: saw special xattr {} in non-rootless invocation on {}",
            RootlessContainersXattr.NAME,
            entry.displayName());
      }
    }
    if (rootless) {
      byte[] payload = RootlessContainersXattr.encodeForOwner(uid, gid);
      if (payload != null) {
        xattrs.put(RootlessContainersXattr.NAME, payload);
      }
      uid = 0;
      gid = 0;
    }
    int hostUid;
    int hostGid;
    try {
      hostUid = mapping.uidToHost(uid);
      hostGid = mapping.gidToHost(gid);
    } catch (UmociException e) {
      throw new InvalidImageException(
          "tar entry " + entry.displayName() + ": " + e.getMessage(), e);
    }

    FileStat st = fs.lstat(path);
    boolean chowned = false;
    if (!rootless && (st.uid() != hostUid || st.gid() != hostGid)) {
      fs.lchown(path, hostUid, hostGid);
      chowned = true;
    }
    if (!st.isSymlink() && (chowned || (st.mode() & 07777) != (entry.mode() & 07777))) {
      fs.chmod(path, entry.mode());
    }
    applyXattrs(path, entry, xattrs);
    long[] times = times(entry);
    fs.setTimes(path, times[0], times[1]);
    return st;
  }

  private void applyXattrs(Path path, TarEntry entry, SortedMap<String, byte[]> xattrs)
      throws IOException {
    try {
      for (String name : fs.listXattrs(path)) {
        if (!XattrRules.isForbidden(name)) {
          fs.removeXattr(path, name);
        }
      }
    } catch (ErrnoException e) {
      if (e.errno() != Errno.ENOTSUP) {
        throw e;
      }
      warnEnotsup(entry.displayName(), "clearxattrs");
    }
    for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
      String name = x.getKey();
      byte[] value = x.getValue();
      if (XattrRules.isForbidden(name)) {
        byte[] old = null;
        try {
          old = fs.getXattr(path, name);
        } catch (IOException e) {
          // treat as absent
        }
        if (old != null && Arrays.equals(old, value)) {
          LOG.debug("xattr{{}} skipping already-set xattr {}", entry.displayName(), name);
        } else {
          LOG.warn("xattr{{}} ignoring forbidden xattr {}", entry.displayName(), name);
        }
        continue;
      }
      try {
        fs.setXattr(path, name, value);
      } catch (ErrnoException e) {
        if (partialRootless && e.isPermissionError()) {
          LOG.warn(
              "rootless{{}} ignoring (usually) harmless EPERM on setxattr {}",
              entry.displayName(),
              name);
          continue;
        }
        if (e.errno() == Errno.ENOTSUP) {
          warnEnotsup(entry.displayName(), "setxattr " + name);
          continue;
        }
        throw e;
      }
    }
  }

  private void warnEnotsup(String what, String call) {
    if (!enotsupWarned) {
      LOG.warn(
          "xattr{{}} ignoring ENOTSUP on {}: the destination filesystem does not support xattrs,"
              + " further warnings will be suppressed",
          what,
          call);
      enotsupWarned = true;
    } else {
      LOG.debug("xattr{{}} ignoring ENOTSUP on {}", what, call);
    }
  }

  /** {atime, mtime}: atime defaults to mtime when the archive has none. */
  static long[] times(TarEntry entry) {
    long mtime = entry.mtimeNanos();
    long atime = entry.atimeNanos() == TarEntry.NO_TIME ? mtime : entry.atimeNanos();
    return new long[] {atime, mtime};
  }
}
