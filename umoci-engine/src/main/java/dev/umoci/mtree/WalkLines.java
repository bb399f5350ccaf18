package dev.umoci.mtree;

import dev.umoci.errors.TaskFailures;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The output of an {@link MtreeWalker} walk, line by line in document order, with the kinds of line
 * typed: final lines, and entries of regular files whose digests are still being computed on the
 * walker's pool. {@link #materialise} waits for the digests in line order.
 */
final class WalkLines {
  private final List<Line> lines = new ArrayList<>();

  void add(SpecLine line) {
    lines.add(new Ready(line));
  }

  void add(Line line) {
    lines.add(line);
  }

  List<SpecLine> materialise() throws IOException {
    List<SpecLine> out = new ArrayList<>(lines.size());
    for (Line line : lines) {
      out.add(line.resolve());
    }
    return out;
  }

  /** One line of the walk's output: final, or an entry whose digests may still be computing. */
  sealed interface Line permits Ready, PendingEntry {
    SpecLine resolve() throws IOException;
  }

  record Ready(SpecLine line) implements Line {
    @Override
    public SpecLine resolve() {
      return line;
    }
  }

  /** An entry whose checksums may still be computing; its keyword values in keyword order. */
  record PendingEntry(byte[] name, List<EntryValue> values) implements Line {
    @Override
    public SpecLine.Entry resolve() throws IOException {
      List<KeyVal> kvs = new ArrayList<>(values.size());
      for (EntryValue value : values) {
        kvs.add(value.keyVal());
      }
      return new SpecLine.Entry(name, false, kvs);
    }
  }

  /** A keyword value of an entry: known from lstat, or a file digest to wait for. */
  sealed interface EntryValue permits KnownValue, DigestSlot {
    KeyVal keyVal() throws IOException;
  }

  record KnownValue(KeyVal kv) implements EntryValue {
    @Override
    public KeyVal keyVal() {
      return kv;
    }
  }

  record DigestSlot(String keyword, DigestKind kind, Future<Map<DigestKind, String>> future)
      implements EntryValue {
    @Override
    public KeyVal keyVal() throws IOException {
      return new KeyVal(keyword, result(kind));
    }

    String result(DigestKind k) throws IOException {
      try {
        return future.get().get(k);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while hashing files");
      } catch (ExecutionException e) {
        throw TaskFailures.cause(e, "hashing failed");
      }
    }
  }
}
