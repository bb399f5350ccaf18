package dev.umoci.mtree;

import dev.umoci.fs.FileStat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A digester that answers {@code sha256digest} from SHA-256 sums recorded while the files were
 * written (for example by layer extraction), keyed by (device, inode), so a walk right after
 * extraction does not read the files again. A file that was not recorded, whose size differs from
 * the recorded size, or a request for other checksums is hashed by the fallback digester. The
 * result is the same as hashing, provided nothing changed a recorded file's content after it was
 * recorded without replacing the inode or changing its size.
 *
 * <p>Recording a new file on an inode number that was used before replaces the old entry. Hard
 * links share one entry. Thread-safe.
 */
public final class RecordedContentDigester implements ContentDigester {
  private record Key(long dev, long ino) {}

  private record Known(long size, String sha256) {}

  private static final HexFormat HEX = HexFormat.of();

  private final ContentDigester fallback;
  private final Map<Key, Known> known = new ConcurrentHashMap<>();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  /**
   * @param fallback hashes what was not recorded (usually {@link ContentDigester#streaming()})
   */
  public RecordedContentDigester(ContentDigester fallback) {
    this.fallback = fallback;
  }

  /** Records the SHA-256 of the content of the file {@code stat} describes (its size included). */
  public void record(FileStat stat, byte[] sha256) {
    if (sha256.length != 32) {
      throw new IllegalArgumentException("a SHA-256 sum has 32 bytes, not " + sha256.length);
    }
    known.put(new Key(stat.dev(), stat.ino()), new Known(stat.size(), HEX.formatHex(sha256)));
  }

  /** How many files are recorded. */
  public int recorded() {
    return known.size();
  }

  /** How many digests were answered from the records. */
  public long hits() {
    return hits.get();
  }

  /** How many digests were computed by the fallback. */
  public long misses() {
    return misses.get();
  }

  @Override
  public Map<DigestKind, String> known(Path file, FileStat stat, Set<DigestKind> kinds) {
    if (kinds.size() == 1 && kinds.contains(DigestKind.SHA256)) {
      Known k = known.get(new Key(stat.dev(), stat.ino()));
      if (k != null && k.size() == stat.size()) {
        hits.incrementAndGet();
        Map<DigestKind, String> out = new EnumMap<>(DigestKind.class);
        out.put(DigestKind.SHA256, k.sha256());
        return out;
      }
    }
    return fallback.known(file, stat, kinds);
  }

  @Override
  public Map<DigestKind, String> digest(Path file, FileStat stat, Set<DigestKind> kinds)
      throws IOException {
    Map<DigestKind, String> hit = known(file, stat, kinds);
    if (hit != null) {
      return hit;
    }
    misses.incrementAndGet();
    return fallback.digest(file, stat, kinds);
  }
}
