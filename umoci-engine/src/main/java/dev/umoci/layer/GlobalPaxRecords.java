package dev.umoci.layer;

import dev.umoci.errors.LimitExceededException;
import dev.umoci.oci.spec.InputLimits;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The PAX {@code g} records in force in one archive: each {@code g} header sets its records (an
 * empty value removes one) until changed, as POSIX says, and an entry's own {@code x} records win
 * over them. Their total size (keys and values) is bounded by {@link
 * InputLimits#maxGlobalPaxBytes()}.
 */
final class GlobalPaxRecords {
  private final Map<String, byte[]> records = new LinkedHashMap<>();
  private final long maxBytes;
  private long bytes;

  GlobalPaxRecords(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * Applies the records of a {@code g} header.
   *
   * @throws LimitExceededException when the records in force then exceed the limit
   */
  void merge(Map<String, byte[]> update, long headerOffset) throws LimitExceededException {
    for (Map.Entry<String, byte[]> r : update.entrySet()) {
      byte[] old =
          r.getValue().length == 0
              ? records.remove(r.getKey())
              : records.put(r.getKey(), r.getValue());
      long keyBytes = r.getKey().getBytes(StandardCharsets.UTF_8).length;
      if (old != null) {
        bytes -= keyBytes + old.length;
      }
      if (r.getValue().length != 0) {
        bytes += keyBytes + r.getValue().length;
      }
    }
    if (bytes > maxBytes) {
      throw InputLimits.exceeded(
          "global PAX header at offset "
              + headerOffset
              + " brings the global records in force to "
              + bytes
              + " bytes",
          maxBytes,
          InputLimits.GLOBAL_PAX);
    }
  }

  /**
   * The records for an entry whose own {@code x} records are {@code local} (null: none). Without
   * both kinds the map in force is returned as it is (do not change it).
   */
  Map<String, byte[]> forEntry(Map<String, byte[]> local) {
    if (local == null) {
      return records;
    }
    if (records.isEmpty()) {
      return local;
    }
    Map<String, byte[]> merged = new LinkedHashMap<>(records);
    merged.putAll(local);
    return merged;
  }
}
