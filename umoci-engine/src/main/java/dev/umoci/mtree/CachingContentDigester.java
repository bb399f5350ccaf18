package dev.umoci.mtree;

import dev.umoci.fs.FileStat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** {@link ContentDigester#caching}: results kept per (dev, ino, size, mtime, ctime). */
final class CachingContentDigester implements ContentDigester {
  private record Key(long dev, long ino, long size, long mtime, long ctime) {}

  private final ContentDigester delegate;
  private final Map<Key, Map<DigestKind, String>> cache = new ConcurrentHashMap<>();

  CachingContentDigester(ContentDigester delegate) {
    this.delegate = delegate;
  }

  @Override
  public Map<DigestKind, String> known(Path file, FileStat stat, Set<DigestKind> kinds) {
    Map<DigestKind, String> known = cache.get(key(stat));
    if (known != null && known.keySet().containsAll(kinds)) {
      Map<DigestKind, String> out = new EnumMap<>(DigestKind.class);
      kinds.forEach(k -> out.put(k, known.get(k)));
      return out;
    }
    return delegate.known(file, stat, kinds);
  }

  private static Key key(FileStat stat) {
    return new Key(stat.dev(), stat.ino(), stat.size(), stat.mtimeNanos(), stat.ctimeNanos());
  }

  @Override
  public Map<DigestKind, String> digest(Path file, FileStat stat, Set<DigestKind> kinds)
      throws IOException {
    Map<DigestKind, String> hit = known(file, stat, kinds);
    if (hit != null) {
      return hit;
    }
    Key key = key(stat);
    Map<DigestKind, String> fresh = delegate.digest(file, stat, kinds);
    cache.merge(
        key,
        new EnumMap<>(fresh),
        (a, b) -> {
          Map<DigestKind, String> m = new EnumMap<>(a);
          m.putAll(b);
          return m;
        });
    return fresh;
  }
}
