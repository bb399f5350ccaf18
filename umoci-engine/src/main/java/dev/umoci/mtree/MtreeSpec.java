package dev.umoci.mtree;

import dev.umoci.errors.MtreeFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An mtree(5) specification: the lines of the document ({@link #lines()}) and, derived from them
 * with go-mtree's rules, the files it describes ({@link #entries()}).
 *
 * <p>Rules (go-mtree's, which differ from BSD mtree on {@code /set}): a {@code /set} line
 * <em>replaces</em> the defaults, {@code /unset} clears them all; a relative entry's path is the
 * current directory's path joined with its name; a relative {@code type=dir} entry becomes the
 * current directory until the matching {@code ..}; a full entry's path is its own cleaned name.
 * Paths are cleaned and confined to the root. A later entry for the same path replaces an earlier.
 */
public final class MtreeSpec {
  private final List<SpecLine> lines;
  private volatile Map<EntryPath, MtreeEntry> byPath;

  public MtreeSpec(List<SpecLine> lines) {
    this.lines = List.copyOf(lines);
  }

  /** Parses a spec; see {@link MtreeParser}. */
  public static MtreeSpec parse(InputStream in, String source) throws IOException {
    return MtreeParser.parse(in.readAllBytes(), source);
  }

  /** Parses a spec held in memory; {@code source} names it in error messages. */
  public static MtreeSpec parse(byte[] text, String source) throws MtreeFormatException {
    return MtreeParser.parse(text, source);
  }

  /** Reads and parses the spec file {@code file}. */
  public static MtreeSpec read(Path file) throws IOException {
    return MtreeParser.parse(Files.readAllBytes(file), file.toString());
  }

  /** The document, line by line. */
  public List<SpecLine> lines() {
    return lines;
  }

  /** Writes the document as go-mtree's {@code WriteTo} does; see {@link MtreeWriter}. */
  public void writeTo(OutputStream out) throws IOException {
    MtreeWriter.write(this, out);
  }

  /** The document as bytes. */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The files described, one per path, in the order their last entry appears. */
  public List<MtreeEntry> entries() {
    return List.copyOf(index().values());
  }

  /** The files described, by path. */
  public Map<EntryPath, MtreeEntry> byPath() {
    return index();
  }

  /** The entry for {@code path}, or null. */
  public MtreeEntry get(EntryPath path) {
    return index().get(path);
  }

  /**
   * go-mtree's {@code UsedKeywords}: the canonical names of the keyword prefixes used by entries
   * and {@code /set} lines, in order of first use. Bare words (no {@code =}) are left out.
   */
  public List<String> usedKeywords() {
    Set<String> used = new LinkedHashSet<>();
    for (SpecLine line : lines) {
      List<KeyVal> kvs;
      if (line instanceof SpecLine.Entry e) {
        kvs = e.keyVals();
      } else if (line instanceof SpecLine.Special s && s.isSet()) {
        kvs = s.keyVals();
      } else {
        continue;
      }
      for (KeyVal kv : kvs) {
        if (kv.hasValue()) {
          used.add(Keywords.synonym(kv.prefix()));
        }
      }
    }
    return List.copyOf(used);
  }

  private Map<EntryPath, MtreeEntry> index() {
    Map<EntryPath, MtreeEntry> result = byPath;
    if (result == null) {
      result = Collections.unmodifiableMap(resolve());
      byPath = result;
    }
    return result;
  }

  private Map<EntryPath, MtreeEntry> resolve() {
    Map<EntryPath, MtreeEntry> out = new LinkedHashMap<>();
    List<KeyVal> defaults = List.of();
    DirectoryTrail dirs = new DirectoryTrail();
    for (SpecLine line : lines) {
      if (line instanceof SpecLine.Special s) {
        if (s.isSet()) {
          defaults = s.keyVals();
        } else if (s.isUnset()) {
          defaults = List.of();
        }
      } else if (line instanceof SpecLine.DotDot) {
        dirs.leave();
      } else if (line instanceof SpecLine.Entry e) {
        EntryPath path = dirs.enter(e);
        out.remove(path);
        out.put(path, merge(path, defaults, e.keyVals()));
      }
    }
    return out;
  }

  /** An entry's keywords: the {@code /set} defaults in force, then its own fields over them. */
  static MtreeEntry merge(EntryPath path, List<KeyVal> defaults, List<KeyVal> fields) {
    Map<String, String> keywords = new LinkedHashMap<>();
    for (List<KeyVal> kvs : List.of(defaults, fields)) {
      for (KeyVal kv : kvs) {
        if (kv.hasValue()) {
          keywords.put(kv.keyword(), kv.value());
        }
      }
    }
    return new MtreeEntry(path, keywords);
  }

  /** The document as bytes, with the offset at which each of {@link #lines()} begins. */
  public record Serialized(byte[] bytes, int[] lineStarts) {}

  /** {@link #toBytes()} with the offset of every line. */
  public Serialized serialize() {
    int[] starts = new int[lines.size()];
    return new Serialized(MtreeWriter.write(this, starts), starts);
  }

  /**
   * The entry for {@code path} read from just two lines of a document this class wrote: the entry
   * line at {@code entryStart} and the {@code /set} line in force at {@code setStart} (-1: none).
   * Equal to {@code parse(text).get(path)} when the offsets are right, without parsing the rest.
   *
   * @throws MtreeFormatException when the offsets do not point at such lines
   */
  public static MtreeEntry entryAt(byte[] text, int entryStart, int setStart, EntryPath path)
      throws MtreeFormatException {
    return entryAt(text, entryStart, setAt(text, setStart), path);
  }

  /**
   * The defaults of the {@code /set} line at {@code setStart} (-1: none, empty), for {@link
   * #entryAt(byte[], int, List, EntryPath)}: many entries share one {@code /set} line, which a
   * caller reading many entries parses once.
   *
   * @throws MtreeFormatException when no {@code /set} line starts there
   */
  public static List<KeyVal> setAt(byte[] text, int setStart) throws MtreeFormatException {
    if (setStart < 0) {
      return List.of();
    }
    List<SpecLine> set = lineAt(text, setStart).lines;
    if (set.size() != 1 || !(set.get(0) instanceof SpecLine.Special s && s.isSet())) {
      throw new MtreeFormatException("no mtree /set line at offset " + setStart);
    }
    return s.keyVals();
  }

  /**
   * {@link #entryAt(byte[], int, int, EntryPath)} with the {@code /set} defaults already read by
   * {@link #setAt}.
   */
  public static MtreeEntry entryAt(
      byte[] text, int entryStart, List<KeyVal> defaults, EntryPath path)
      throws MtreeFormatException {
    Map<String, String> plain = PlainEntryLine.keywords(text, entryStart, defaults);
    if (plain != null) {
      return new MtreeEntry(path, plain);
    }
    return parsedEntryAt(text, entryStart, defaults, path);
  }

  /** {@link #entryAt(byte[], int, List, EntryPath)} through the parser, whatever the line. */
  static MtreeEntry parsedEntryAt(
      byte[] text, int entryStart, List<KeyVal> defaults, EntryPath path)
      throws MtreeFormatException {
    List<SpecLine> entry = lineAt(text, entryStart).lines;
    if (entry.size() != 1 || !(entry.get(0) instanceof SpecLine.Entry e)) {
      throw new MtreeFormatException(
          "no mtree entry for " + path.quoted() + " at offset " + entryStart);
    }
    return merge(path, defaults, e.keyVals());
  }

  private static MtreeSpec lineAt(byte[] text, int start) throws MtreeFormatException {
    if (start < 0 || start >= text.length || (start > 0 && text[start - 1] != '\n')) {
      throw new MtreeFormatException("no mtree line starts at offset " + start);
    }
    int end = start;
    while (end < text.length && text[end] != '\n') {
      end++;
    }
    if (end > start && text[end - 1] == '\\') {
      throw new MtreeFormatException("mtree line at offset " + start + " continues");
    }
    return MtreeParser.parse(java.util.Arrays.copyOfRange(text, start, end), null);
  }

  /** The files described, as a list of paths in document order (handy in tests and logs). */
  public List<EntryPath> paths() {
    return new ArrayList<>(index().keySet());
  }
}
