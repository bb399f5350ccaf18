package dev.umoci.sys;

import com.sun.jna.Function;
import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.ptr.LongByReference;

/**
 * mknod(2), bound on first use. glibc before 2.33 exports no {@code mknod} symbol: its header
 * inlines a call to {@code __xmknod(_MKNOD_VER, path, mode, &dev)}. Binding {@code mknod} eagerly
 * with the rest of {@link LibC} would make every native call fail on such systems (Debian 11, RHEL
 * 8), so it is looked up here, alone, and {@code __xmknod} is used when it is missing. {@code
 * _MKNOD_VER} is 0 on x86_64 and on the generic ABI (aarch64, riscv64); other architectures with
 * only {@code __xmknod} get a clear error instead of a guessed version.
 */
final class Mknod {
  private Mknod() {}

  /** One way of calling mknod; returns as the C function does, failures as LastErrorException. */
  interface Call {
    int mknod(byte[] cPath, int mode, long dev) throws LastErrorException;
  }

  /** The binding for this C library, resolved once when first needed. */
  private static final class Host {
    static final Call CALL = resolve("mknod", "__xmknod", Platform.ARCH);
  }

  static Call host() {
    return Host.CALL;
  }

  /**
   * The call for the symbols this C library exports: {@code plain} (the mknod signature) if
   * present, else {@code legacy} (the __xmknod signature). Parameters exist so that a test can name
   * a missing symbol to force the fallback.
   */
  static Call resolve(String plain, String legacy, String arch) {
    NativeLibrary libc = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
    Function direct = lookup(libc, plain);
    if (direct != null) {
      return (path, mode, dev) -> direct.invokeInt(new Object[] {path, mode, dev});
    }
    Function versioned = lookup(libc, legacy);
    if (versioned == null) {
      return unavailable("the C library exports neither " + plain + " nor " + legacy);
    }
    Integer version = mknodVersion(arch);
    if (version == null) {
      return unavailable(
          "the C library has only " + legacy + ", whose _MKNOD_VER is not known on " + arch);
    }
    return (path, mode, dev) ->
        versioned.invokeInt(new Object[] {version, path, mode, new LongByReference(dev)});
  }

  /** glibc's {@code _MKNOD_VER} for the 64-bit architectures we know; null for others. */
  static Integer mknodVersion(String arch) {
    return switch (arch) {
      case "x86-64", "aarch64", "riscv64", "loongarch64" -> 0;
      default -> null;
    };
  }

  private static Function lookup(NativeLibrary libc, String symbol) {
    try {
      return libc.getFunction(symbol, Function.THROW_LAST_ERROR);
    } catch (UnsatisfiedLinkError e) {
      return null;
    }
  }

  private static Call unavailable(String why) {
    return (path, mode, dev) -> {
      throw new UnsupportedOperationException("cannot create device nodes: " + why);
    };
  }
}
