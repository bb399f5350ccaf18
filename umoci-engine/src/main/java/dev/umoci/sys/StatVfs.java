package dev.umoci.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Path;

/** statvfs(3) mount flags (ST_RDONLY, ST_NOSUID, …) of the filesystem holding a path. */
public final class StatVfs {
  private StatVfs() {}

  /** struct statvfs on 64-bit Linux: 11 longs then spare ints; f_flag is the tenth long. */
  private static final int STATVFS_LONGS = 16;

  private static final int F_FLAG_INDEX = 9;

  private static final class LibC {
    static {
      Native.register(Platform.C_LIBRARY_NAME);
    }

    static native int statvfs(byte[] path, long[] buf) throws LastErrorException;
  }

  /** The {@code f_flag} word for {@code path} (symlinks followed, as statvfs does). */
  public static long flags(Path path) throws IOException {
    if (!Platform.isLinux() || !Platform.is64Bit()) {
      throw new IOException("cannot inspect mount flags of " + path + ": needs 64-bit Linux");
    }
    long[] buf = new long[STATVFS_LONGS];
    try {
      LibC.statvfs(PathBytes.cString(PathBytes.of(path)), buf);
    } catch (LastErrorException e) {
      throw new ErrnoException(
          "statvfs", path.toString(), e.getErrorCode(), "errno " + e.getErrorCode());
    }
    return buf[F_FLAG_INDEX];
  }
}
