package dev.umoci.mtree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.umoci.errors.MtreeFormatException;
import dev.umoci.fs.PosixFs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MtreeCompareTest {
  @TempDir Path root;
  private final PosixFs fs = PosixFs.host();

  private MtreeSpec walk() throws Exception {
    return MtreeWalker.builder().header(null).build().walk(root);
  }

  private static Map<String, InodeDelta> byPath(List<InodeDelta> deltas) {
    Map<String, InodeDelta> m = new TreeMap<>();
    deltas.forEach(d -> m.put(d.path().toString(), d));
    return m;
  }

  @Test
  void detectsEachKindOfChangeWithTheRightKeywords() throws Exception {
    Path d = Files.createDirectory(root.resolve("d"));
    Files.writeString(root.resolve("content"), "aaaa");
    Files.writeString(root.resolve("mode"), "m");
    Files.writeString(root.resolve("owner"), "o");
    Files.writeString(root.resolve("mtime"), "t");
    Files.writeString(d.resolve("xadd"), "x");
    Files.writeString(d.resolve("xchange"), "x");
    Files.writeString(d.resolve("xremove"), "x");
    fs.setXattr(d.resolve("xchange"), "user.k", "one".getBytes());
    fs.setXattr(d.resolve("xremove"), "user.k", "gone".getBytes());
    Files.createSymbolicLink(root.resolve("sym"), Path.of("old-target"));
    Files.writeString(root.resolve("retype"), "file");
    Files.writeString(root.resolve("removed"), "r");
    Path gone = Files.createDirectories(root.resolve("gonedir/inner"));
    Files.writeString(gone.resolve("f"), "f");
    FileTime fixed = FileTime.fromMillis(1_600_000_000_000L);
    for (String n : List.of("content", "mode", "owner", "mtime", "sym", "retype", "removed")) {
      fs.setTimes(root.resolve(n), fixed.toMillis() * 1_000_000, fixed.toMillis() * 1_000_000);
    }
    MtreeSpec before = walk();

    Files.writeString(root.resolve("content"), "bbbb"); // same size
    fs.setTimes(
        root.resolve("content"), fixed.toMillis() * 1_000_000, fixed.toMillis() * 1_000_000);
    fs.chmod(root.resolve("mode"), 04700);
    fs.lchown(root.resolve("owner"), 1234, 5678);
    fs.setTimes(root.resolve("mtime"), 0, 1_000_000_000L * 1_000_000_007L);
    fs.setXattr(d.resolve("xadd"), "user.new", new byte[] {0, (byte) 0xff});
    fs.setXattr(d.resolve("xchange"), "user.k", "two".getBytes());
    fs.removeXattr(d.resolve("xremove"), "user.k");
    Files.delete(root.resolve("sym"));
    Files.createSymbolicLink(root.resolve("sym"), Path.of("new-target"));
    fs.setTimes(root.resolve("sym"), fixed.toMillis() * 1_000_000, fixed.toMillis() * 1_000_000);
    Files.delete(root.resolve("retype"));
    Files.createDirectory(root.resolve("retype"));
    Files.delete(root.resolve("removed"));
    Files.delete(gone.resolve("f"));
    Files.delete(gone);
    Files.delete(gone.getParent());
    Files.writeString(root.resolve("added"), "new");

    List<InodeDelta> deltas = MtreeCompare.compare(before, walk(), Keywords.UMOCI);
    List<EntryPath> order = deltas.stream().map(InodeDelta::path).toList();
    assertEquals(order.stream().sorted().toList(), order);
    Map<String, InodeDelta> m = byPath(deltas);

    assertEquals(DeltaType.EXTRA, m.get("added").type());
    assertNull(m.get("added").oldEntry());
    assertEquals(DeltaType.MISSING, m.get("removed").type());
    assertEquals(DeltaType.MISSING, m.get("gonedir/inner/f").type());
    assertEquals(DeltaType.MISSING, m.get("gonedir").type());

    assertEquals(List.of("sha256digest"), keys(m.get("content")));
    assertEquals(List.of("mode"), keys(m.get("mode")));
    assertEquals("04700", m.get("mode").key("mode").newValue());
    assertEquals(List.of("gid", "uid"), keys(m.get("owner")));
    assertEquals(new KeyDelta(DeltaType.MODIFIED, "uid", "0", "1234"), m.get("owner").key("uid"));
    assertEquals(List.of("tar_time"), keys(m.get("mtime")));
    assertEquals("1000000007.000000000", m.get("mtime").key("tar_time").newValue());

    KeyDelta added = m.get("d/xadd").key("xattr.user.new");
    assertEquals(new KeyDelta(DeltaType.EXTRA, "xattr.user.new", null, "AP8="), added);
    assertEquals(
        new KeyDelta(DeltaType.MODIFIED, "xattr.user.k", "b25l", "dHdv"),
        m.get("d/xchange").key("xattr.user.k"));
    assertEquals(DeltaType.MISSING, m.get("d/xremove").key("xattr.user.k").type());

    assertEquals(List.of("link"), keys(m.get("sym")));
    assertEquals("new-target", m.get("sym").key("link").newValue());
    InodeDelta retype = m.get("retype");
    assertEquals("dir", retype.key("type").newValue());
    assertEquals(DeltaType.MISSING, retype.key("sha256digest").type());

    // describe() is go-mtree's InodeDelta.String()
    assertEquals("\"added\": unexpected path", m.get("added").describe());
    assertEquals("\"removed\": missing path", m.get("removed").describe());
    assertEquals("\"mode\": keyword \"mode\": expected 0644; got 04700", m.get("mode").describe());

    // a keyword outside the compared set is ignored
    assertNull(byPath(MtreeCompare.compare(before, walk(), List.of("type", "size"))).get("mode"));
    assertEquals(List.of(), MtreeCompare.check(root, walk(), Keywords.UMOCI));
  }

  @Test
  void timeAndTarTimeCompareAtSecondPrecision() throws Exception {
    MtreeSpec fsSpec = parse("f type=file time=1700000000.123456789\n");
    MtreeSpec tarSpec = parse("f type=file tar_time=1700000000.000000000\n");
    MtreeSpec later = parse("f type=file tar_time=1700000001.000000000\n");
    assertEquals(List.of(), MtreeCompare.compare(fsSpec, tarSpec, List.of("type", "tar_time")));
    assertEquals(List.of(), MtreeCompare.compare(tarSpec, fsSpec, List.of("type", "time")));
    List<InodeDelta> d = MtreeCompare.compare(fsSpec, later, List.of("type", "time"));
    assertEquals(
        new KeyDelta(
            DeltaType.MODIFIED, "tar_time", "1700000000.000000000", "1700000001.000000000"),
        d.get(0).keys().get(0));
    assertThrows(
        MtreeFormatException.class,
        () -> MtreeCompare.compare(parse("f time=soon\n"), tarSpec, null));
  }

  @Test
  void maskAndSimplifyFiltersAsUmoci() throws Exception {
    MtreeSpec old =
        parse(
            ". type=dir\nx type=dir\n    f size=1\nsub type=dir\n    g size=1\n..\n..\nkeep size=1\n");
    MtreeSpec now = parse(". type=dir\nkeep size=2\nnew size=1\n");
    List<InodeDelta> deltas = MtreeCompare.compare(old, now, null);
    List<String> simplified =
        DeltaFilters.apply(deltas, DeltaFilters.simplify(deltas)).stream()
            .map(d -> d.path() + ":" + d.type().goName())
            .toList();
    assertEquals(List.of("keep:modified", "new:extra", "x:missing"), simplified);
    List<String> masked =
        DeltaFilters.apply(deltas, DeltaFilters.mask(List.of("/x/sub", "new", "/"))).stream()
            .map(d -> d.path().toString())
            .toList();
    assertEquals(List.of("keep", "x", "x/f"), masked);
  }

  private static MtreeSpec parse(String s) throws MtreeFormatException {
    return MtreeSpec.parse(s.getBytes(StandardCharsets.UTF_8), "t");
  }

  private static List<String> keys(InodeDelta d) {
    assertEquals(DeltaType.MODIFIED, d.type(), d::describe);
    return d.keys().stream().map(KeyDelta::keyword).toList();
  }
}
