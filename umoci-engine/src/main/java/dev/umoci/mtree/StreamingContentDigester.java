package dev.umoci.mtree;

import dev.umoci.fs.FileStat;
import dev.umoci.oci.spec.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * {@link ContentDigester#streaming()}: one pass over the file with a 1 MiB buffer per thread.
 * SHA-256 alone (what a bundle's mtree asks for) is read into a direct buffer and hashed where it
 * lies: the native SHA-256 takes its address, where a heap array costs two more copies per byte
 * (the JDK's read goes through a direct buffer of its own, and the native digest stages heap bytes
 * again).
 */
final class StreamingContentDigester implements ContentDigester {
  static final StreamingContentDigester INSTANCE = new StreamingContentDigester();

  private static final int BUFFER_SIZE = 1 << 20;

  private static final ThreadLocal<byte[]> BUFFER =
      ThreadLocal.withInitial(() -> new byte[BUFFER_SIZE]);

  private static final ThreadLocal<ByteBuffer> DIRECT_BUFFER =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BUFFER_SIZE));

  /**
   * One SHA-256 per thread, reused file after file ({@code digest()} resets it): the native one
   * holds a context and a staging buffer outside the heap until the collector frees it, so one per
   * file (tens of thousands in a walk) kept hundreds of MB of native memory alive between
   * collections.
   */
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(Digest::newSha256);

  private StreamingContentDigester() {}

  /** {@code md} reset: a read that failed half-way may have left input in it. */
  private static MessageDigest reset(MessageDigest md) {
    md.reset();
    return md;
  }

  @Override
  public Map<DigestKind, String> digest(Path file, FileStat stat, Set<DigestKind> kinds)
      throws IOException {
    if (kinds.size() == 1 && kinds.contains(DigestKind.SHA256)) {
      return sha256Only(file);
    }
    Map<DigestKind, MessageDigest> digests = new EnumMap<>(DigestKind.class);
    PosixCksum cksum = kinds.contains(DigestKind.CKSUM) ? new PosixCksum() : null;
    for (DigestKind kind : kinds) {
      if (kind.jcaName() != null) {
        try {
          digests.put(
              kind,
              kind == DigestKind.SHA256
                  ? reset(SHA256.get())
                  : MessageDigest.getInstance(kind.jcaName()));
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException(kind.jcaName() + " is not available", e);
        }
      }
    }
    byte[] buffer = BUFFER.get();
    try (InputStream in =
        Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        for (MessageDigest md : digests.values()) {
          md.update(buffer, 0, n);
        }
        if (cksum != null) {
          cksum.update(buffer, 0, n);
        }
      }
    }
    Map<DigestKind, String> out = new EnumMap<>(DigestKind.class);
    HexFormat hex = HexFormat.of();
    digests.forEach((kind, md) -> out.put(kind, hex.formatHex(md.digest())));
    if (cksum != null) {
      out.put(DigestKind.CKSUM, Long.toString(cksum.value()));
    }
    return out;
  }

  /** The SHA-256 of {@code file} alone, read into this thread's direct buffer. */
  private static Map<DigestKind, String> sha256Only(Path file) throws IOException {
    MessageDigest sha = reset(SHA256.get());
    ByteBuffer buffer = DIRECT_BUFFER.get();
    try (FileChannel in =
        FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      while (true) {
        buffer.clear();
        if (in.read(buffer) < 0) {
          break;
        }
        buffer.flip();
        sha.update(buffer);
      }
    }
    Map<DigestKind, String> out = new EnumMap<>(DigestKind.class);
    out.put(DigestKind.SHA256, HexFormat.of().formatHex(sha.digest()));
    return out;
  }
}
