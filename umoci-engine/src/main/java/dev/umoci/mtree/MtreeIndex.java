package dev.umoci.mtree;

import dev.umoci.errors.MtreeFormatException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Where each file of an mtree document is described, by path, without keeping the parsed document:
 * for each path the offset of its entry line and of the {@code /set} line in force. {@link #entry}
 * reads an entry from those two lines when it is asked for. It gives what {@link
 * MtreeSpec#byPath()} of the same text gives (go-mtree's rules, a later entry for a path replacing
 * an earlier one), while what stays in memory is the text and one small record per path instead of
 * every line's and every entry's objects.
 *
 * <p>An entry written over several physical lines (a trailing backslash), or under such a {@code
 * /set} line, cannot be read back from one line: it is kept parsed instead.
 */
public final class MtreeIndex {
  /**
   * Where the entry of one path is: the offset of its line and of the {@code /set} line in force
   * (-1: none); or, for an entry that cannot be read from one line, the entry itself ({@code
   * parsed}, the offsets then -1).
   */
  public record Line(int entryStart, int setStart, MtreeEntry parsed) {}

  private final byte[] text;
  private final Map<String, Line> byKey;
  private final Map<Integer, List<KeyVal>> sets = new ConcurrentHashMap<>();

  private MtreeIndex(byte[] text, Map<String, Line> byKey) {
    this.text = text;
    this.byKey = byKey;
  }

  /**
   * Parses {@code text} once, with the errors of {@link MtreeSpec#parse(byte[], String)} ({@code
   * source} names it in them), handing every line to {@code lines} in document order (for a
   * caller's own checks of the document's shape) and keeping only the index.
   */
  public static MtreeIndex of(byte[] text, String source, Consumer<SpecLine> lines)
      throws MtreeFormatException {
    Builder builder = new Builder(lines);
    MtreeParser.parse(text, source, builder);
    return new MtreeIndex(text, builder.byKey);
  }

  /** Records where each entry is while the parser reads the lines. */
  private static final class Builder implements MtreeParser.Sink {
    private final Consumer<SpecLine> lines;
    private final Map<String, Line> byKey = new HashMap<>();
    private final DirectoryTrail dirs = new DirectoryTrail();
    private int setStart = -1;
    private List<KeyVal> defaults = List.of();
    private boolean setContinued;

    Builder(Consumer<SpecLine> lines) {
      this.lines = lines;
    }

    @Override
    public void line(SpecLine line, int start, boolean continued) {
      lines.accept(line);
      if (line instanceof SpecLine.Special s) {
        if (s.isSet()) {
          setStart = start;
          defaults = s.keyVals();
          setContinued = continued;
        } else if (s.isUnset()) {
          setStart = -1;
          defaults = List.of();
          setContinued = false;
        }
      } else if (line instanceof SpecLine.DotDot) {
        dirs.leave();
      } else if (line instanceof SpecLine.Entry e) {
        EntryPath path = dirs.enter(e);
        byKey.put(
            key(path),
            continued || setContinued
                ? new Line(-1, -1, MtreeSpec.merge(path, defaults, e.keyVals()))
                : new Line(start, setStart, null));
      }
    }
  }

  /** The index of a document already parsed: every entry kept as it is. */
  public static MtreeIndex of(MtreeSpec spec) {
    Map<EntryPath, MtreeEntry> byPath = spec.byPath();
    Map<String, Line> byKey = new HashMap<>(byPath.size() * 2);
    for (Map.Entry<EntryPath, MtreeEntry> e : byPath.entrySet()) {
      byKey.put(key(e.getKey()), new Line(-1, -1, e.getValue()));
    }
    return new MtreeIndex(new byte[0], byKey);
  }

  /** The key of {@code path} in {@link #byKey()}: its bytes as an ISO-8859-1 string. */
  public static String key(EntryPath path) {
    return new String(path.bytes(), StandardCharsets.ISO_8859_1);
  }

  /** Where each path's entry is, by {@link #key}. */
  public Map<String, Line> byKey() {
    return byKey;
  }

  /**
   * The entry of {@code path}, found at {@code line} of this index: what {@link MtreeSpec#get} of
   * the parsed document gives. Thread-safe.
   */
  public MtreeEntry entry(Line line, EntryPath path) throws MtreeFormatException {
    if (line.parsed() != null) {
      return line.parsed();
    }
    List<KeyVal> defaults = sets.get(line.setStart());
    if (defaults == null) {
      defaults = MtreeSpec.setAt(text, line.setStart());
      sets.put(line.setStart(), defaults);
    }
    return MtreeSpec.entryAt(text, line.entryStart(), defaults, path);
  }
}
