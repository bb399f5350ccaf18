package dev.umoci.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The one direct-mapped binding of the C library. {@link Native#register} resolves every method
 * below when this class loads and fails for all of them if one symbol is missing, so only symbols
 * that every glibc since 2.17 exports belong here. Symbols that older C libraries lack ({@code
 * mknod} before glibc 2.33) are looked up on first use by {@link Mknod}. Paths and names are
 * NUL-terminated byte arrays ({@link PathBytes#cString}).
 */
final class LibC {
  private LibC() {}

  // The class is named: Native.register(String) finds its caller through SecurityManager's class
  // context, whose class initialiser (every module's non-exported packages) was 8 ms of CPU at
  // each start, in the warm-up that competes with a pull's connection (docs/performance.md).
  static {
    Native.register(LibC.class, Platform.C_LIBRARY_NAME);
  }

  static native int lchown(byte[] path, int uid, int gid) throws LastErrorException;

  static native int unlink(byte[] path) throws LastErrorException;

  static native int rmdir(byte[] path) throws LastErrorException;

  static native int chmod(byte[] path, int mode) throws LastErrorException;

  static native int mkfifo(byte[] path, int mode) throws LastErrorException;

  static native int lsetxattr(byte[] path, byte[] name, byte[] value, long size, int flags)
      throws LastErrorException;

  static native long lgetxattr(byte[] path, byte[] name, byte[] value, long size)
      throws LastErrorException;

  static native long llistxattr(byte[] path, byte[] list, long size) throws LastErrorException;

  static native int lremovexattr(byte[] path, byte[] name) throws LastErrorException;

  static native int symlink(byte[] target, byte[] linkpath) throws LastErrorException;

  static native long readlink(byte[] path, byte[] buf, long size) throws LastErrorException;

  static native int utimensat(int dirfd, byte[] path, long[] times, int flags)
      throws LastErrorException;

  static native int statvfs(byte[] path, long[] buf) throws LastErrorException;

  static native int open(byte[] path, int flags) throws LastErrorException;

  static native int flock(int fd, int operation) throws LastErrorException;

  static native int close(int fd) throws LastErrorException;

  static native int sync_file_range(int fd, long offset, long nbytes, int flags)
      throws LastErrorException;

  static native int fdatasync(int fd) throws LastErrorException;

  static native int getpagesize();

  /** {@code addr} is an address, which a {@code long} holds on the 64-bit Linux we run on. */
  static native int madvise(long addr, long length, int advice) throws LastErrorException;
}
