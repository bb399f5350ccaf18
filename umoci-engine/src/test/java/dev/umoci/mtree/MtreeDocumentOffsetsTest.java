package dev.umoci.mtree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.umoci.errors.MtreeFormatException;
import dev.umoci.fs.FileStat;
import dev.umoci.fs.PosixFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What repack's fast path relies on: line offsets of a written document, an entry read back from
 * just its two lines, a single entry described as the walk describes it, and the walk's observer.
 */
class MtreeDocumentOffsetsTest {
  @TempDir Path root;
  private final PosixFs fs = PosixFs.host();

  private void tree() throws Exception {
    Files.createDirectories(root.resolve("a/b"));
    Files.writeString(root.resolve("a/file"), "x");
    Files.writeString(root.resolve("a/b/other"), "yy");
    Files.createSymbolicLink(root.resolve("a/link"), Path.of("file"));
    Files.writeString(root.resolve("name with space\\and\nnewline"), "z");
    fs.mkfifo(root.resolve("fifo"), 0600);
    fs.lchown(root.resolve("a/b"), 1000, 1000); // a second /set line
    fs.chmod(root.resolve("a/file"), 04755);
  }

  private MtreeWalker.Builder walker() {
    return MtreeWalker.builder().header(null);
  }

  @Test
  void serializedBytesAreTheDocumentAndOffsetsStartEachLine() throws Exception {
    tree();
    MtreeSpec spec = walker().build().walk(root);
    MtreeSpec.Serialized s = spec.serialize();
    assertArrayEquals(spec.toBytes(), s.bytes());
    assertEquals(spec.lines().size(), s.lineStarts().length);
    assertEquals(0, s.lineStarts()[0]);
    for (int i = 1; i < s.lineStarts().length; i++) {
      assertEquals('\n', s.bytes()[s.lineStarts()[i] - 1], "line " + i);
    }
  }

  @Test
  void entryAtTwoLinesEqualsTheFullParse() throws Exception {
    tree();
    MtreeSpec spec = walker().build().walk(root);
    MtreeSpec.Serialized s = spec.serialize();
    MtreeSpec parsed = MtreeSpec.parse(s.bytes(), "doc");
    int setStart = -1;
    int entries = 0;
    List<EntryPath> paths = parsed.paths();
    for (int i = 0; i < spec.lines().size(); i++) {
      SpecLine line = spec.lines().get(i);
      if (line instanceof SpecLine.Special sp && sp.isSet()) {
        setStart = s.lineStarts()[i];
      } else if (line instanceof SpecLine.Entry) {
        EntryPath path = paths.get(entries++);
        assertEquals(
            parsed.get(path), MtreeSpec.entryAt(s.bytes(), s.lineStarts()[i], setStart, path));
      }
    }
    assertEquals(paths.size(), entries);
    assertThrows(
        MtreeFormatException.class,
        () -> MtreeSpec.entryAt(s.bytes(), s.lineStarts()[0], -1, EntryPath.ROOT),
        "a comment is not an entry");
    assertThrows(
        MtreeFormatException.class,
        () -> MtreeSpec.entryAt(s.bytes(), s.lineStarts()[1] + 1, -1, EntryPath.ROOT),
        "not the start of a line");
  }

  @Test
  void describeGivesTheEntryTheWalkGivesAndTheObserverSeesEveryEntryInOrder() throws Exception {
    tree();
    List<EntryPath> observed = new ArrayList<>();
    MtreeWalker w = walker().observer((path, stat, millis) -> observed.add(path)).build();
    MtreeSpec spec = w.walk(root);
    assertEquals(spec.paths(), observed);
    for (MtreeEntry e : spec.entries()) {
      Path file = e.path().under(root);
      FileStat st = fs.lstat(file);
      assertEquals(e, w.describe(file, e.path(), st), e.path().toString());
    }
  }
}
