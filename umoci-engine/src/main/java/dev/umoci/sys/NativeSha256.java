package dev.umoci.sys;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * SHA-256 computed by the system's OpenSSL {@code libcrypto} (through JNA), which uses the CPU's
 * SHA extensions whatever the JIT has compiled: the JDK's own SHA-256 is fast only once C2 has
 * compiled it, so short-lived command JVMs that run C1 alone hash with this class. Same results as
 * the JDK's {@code MessageDigest.getInstance("SHA-256")}. {@link #available()} is false when no
 * {@code libcrypto} 3 can be loaded; callers then use the JDK's.
 *
 * <p>Not thread-safe, like every {@link MessageDigest}. Each instance owns a native digest context
 * and a staging buffer, released when the instance becomes unreachable.
 */
public final class NativeSha256 extends MessageDigest {
  private static final int STAGING = 1 << 16;
  private static final Cleaner CLEANER = Cleaner.create();
  private static final boolean AVAILABLE = load();

  /** Direct-mapped libcrypto (EVP interface, OpenSSL 3). */
  private static final class Crypto {
    static native Pointer EVP_MD_CTX_new();

    static native void EVP_MD_CTX_free(Pointer ctx);

    static native Pointer EVP_sha256();

    static native int EVP_DigestInit_ex(Pointer ctx, Pointer type, Pointer engine);

    static native int EVP_DigestUpdate(Pointer ctx, Pointer data, long count);

    static native int EVP_DigestFinal_ex(Pointer ctx, Pointer md, Pointer size);
  }

  private static boolean load() {
    for (String name : new String[] {"libcrypto.so.3", "crypto"}) {
      try {
        Native.register(Crypto.class, NativeLibrary.getInstance(name));
        Pointer ctx = Crypto.EVP_MD_CTX_new();
        if (ctx == null) {
          return false;
        }
        Crypto.EVP_MD_CTX_free(ctx);
        return true;
      } catch (UnsatisfiedLinkError | RuntimeException e) {
        // not this name; try the next, else the JDK's implementation is used
      }
    }
    return false;
  }

  /** True when libcrypto could be loaded. */
  public static boolean available() {
    return AVAILABLE;
  }

  /** Frees the native context; shared with the cleaner, so it must not refer to the digest. */
  private record NativeState(Pointer ctx, Memory staging) implements Runnable {
    @Override
    public void run() {
      Crypto.EVP_MD_CTX_free(ctx);
      staging.close();
    }
  }

  private final NativeState state;
  private int staged;

  /** A new digest; only when {@link #available()}. */
  public NativeSha256() {
    super("SHA-256");
    Pointer ctx = Crypto.EVP_MD_CTX_new();
    if (ctx == null) {
      throw new IllegalStateException("EVP_MD_CTX_new failed");
    }
    state = new NativeState(ctx, new Memory(STAGING));
    CLEANER.register(this, state);
    init();
  }

  private void init() {
    staged = 0;
    check(Crypto.EVP_DigestInit_ex(state.ctx(), Crypto.EVP_sha256(), null), "EVP_DigestInit_ex");
  }

  private static void check(int ok, String call) {
    if (ok != 1) {
      throw new IllegalStateException(call + " failed");
    }
  }

  private void flush() {
    if (staged > 0) {
      check(Crypto.EVP_DigestUpdate(state.ctx(), state.staging(), staged), "EVP_DigestUpdate");
      staged = 0;
    }
  }

  @Override
  protected void engineUpdate(byte input) {
    if (staged == STAGING) {
      flush();
    }
    state.staging().setByte(staged++, input);
  }

  @Override
  protected void engineUpdate(byte[] input, int offset, int len) {
    while (len > 0) {
      if (staged == STAGING) {
        flush();
      }
      int n = Math.min(len, STAGING - staged);
      state.staging().write(staged, input, offset, n);
      staged += n;
      offset += n;
      len -= n;
    }
  }

  /**
   * A direct buffer is hashed where it lies (no copy into the staging buffer); others as bytes.
   * Consumes the buffer's remaining bytes, as {@link MessageDigest#update(ByteBuffer)} says.
   */
  @Override
  protected void engineUpdate(ByteBuffer input) {
    if (!input.isDirect()) {
      super.engineUpdate(input);
      return;
    }
    int n = input.remaining();
    if (n == 0) {
      return;
    }
    flush();
    Pointer at = Native.getDirectBufferPointer(input).share(input.position());
    check(Crypto.EVP_DigestUpdate(state.ctx(), at, n), "EVP_DigestUpdate");
    input.position(input.limit());
  }

  @Override
  protected byte[] engineDigest() {
    flush();
    Memory out = new Memory(32);
    check(Crypto.EVP_DigestFinal_ex(state.ctx(), out, null), "EVP_DigestFinal_ex");
    byte[] hash = out.getByteArray(0, 32);
    out.close();
    init();
    return hash;
  }

  @Override
  protected void engineReset() {
    init();
  }

  @Override
  protected int engineGetDigestLength() {
    return 32;
  }
}
