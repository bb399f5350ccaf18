package dev.umoci.mtree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.fs.FileStat;
import dev.umoci.fs.PosixFs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MtreeWalkerTest {
  @TempDir Path root;
  private final PosixFs fs = PosixFs.host();

  private MtreeWalker.Builder walker() {
    return MtreeWalker.builder().header(null);
  }

  @Test
  void computesValuesForEveryKeyword() throws Exception {
    Path f = root.resolve("f");
    Files.writeString(f, "The quick brown fox jumps over the lazy dog");
    fs.setTimes(f, 0, 1_700_000_000_123_456_789L);
    Files.createSymbolicLink(root.resolve("l"), Path.of("a b"));
    fs.mkfifo(root.resolve("p"), 0600);
    List<String> all =
        List.of(
            "size",
            "type",
            "uid",
            "gid",
            "uname",
            "gname",
            "mode",
            "link",
            "nlink",
            "time",
            "tar_time",
            "cksum",
            "md5",
            "sha1digest",
            "sha256",
            "sha384",
            "sha512",
            "sha512256",
            "flags",
            "xattr");
    MtreeSpec spec = walker().keywords(all).build().walk(root);
    MtreeEntry e = spec.get(EntryPath.of("f"));
    assertEquals("1700000000.123456789", e.value("time"));
    assertEquals("1700000000.000000000", e.value("tar_time"));
    assertEquals("9e107d9d372bb6826bd81d3542a419d6", e.value("md5digest"));
    assertEquals("2fd4e1c67a2d28fced849ee1bb76e7391b93eb12", e.value("sha1digest"));
    assertEquals(
        "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592",
        e.value("sha256digest"));
    assertEquals(128, e.value("sha512digest").length());
    assertEquals(96, e.value("sha384digest").length());
    assertEquals(64, e.value("sha512256digest").length());
    String cksum = Proc.run(root, "cksum", "f").split(" ")[0];
    assertEquals(cksum, e.value("cksum"));
    assertEquals("root", e.value("uname"));
    assertEquals("none", e.value("flags")); // only ever from the /set defaults, as go-mtree
    MtreeEntry l = spec.get(EntryPath.of("l"));
    assertEquals("link", l.type());
    assertEquals("a\\040b", l.value("link"));
    assertEquals("3", l.value("size"));
    assertEquals("0777", l.value("mode"));
    assertNull(l.value("sha256digest"));
    assertEquals("fifo", spec.get(EntryPath.of("p")).type());
    assertEquals("0600", spec.get(EntryPath.of("p")).value("mode"));
    assertEquals("dir", spec.get(EntryPath.ROOT).type());
  }

  @Test
  void parallelHashingGivesTheSameSpecAsSequential() throws Exception {
    for (int d = 0; d < 5; d++) {
      Path dir = Files.createDirectories(root.resolve("d" + d));
      for (int i = 0; i < 40; i++) {
        Files.writeString(dir.resolve("f" + i), "content " + d + " " + i);
      }
    }
    byte[] one = walker().threads(1).build().walk(root).toBytes();
    byte[] four = walker().threads(4).build().walk(root).toBytes();
    assertArrayEquals(one, four);
    assertEquals(5 * 41 + 1, MtreeSpec.parse(four, "x").entries().size());
  }

  @Test
  void cachingDigesterReadsAHardLinkedFileOnce() throws Exception {
    Files.writeString(root.resolve("a"), "shared");
    Files.createLink(root.resolve("b"), root.resolve("a"));
    AtomicInteger reads = new AtomicInteger();
    ContentDigester counting =
        (file, stat, kinds) -> {
          reads.incrementAndGet();
          return ContentDigester.streaming().digest(file, stat, kinds);
        };
    MtreeSpec spec =
        walker().threads(1).digester(ContentDigester.caching(counting)).build().walk(root);
    assertEquals(1, reads.get());
    assertEquals(
        spec.get(EntryPath.of("a")).value("sha256digest"),
        spec.get(EntryPath.of("b")).value("sha256digest"));
  }

  @Test
  void excludesSkipWholeSubtreesAndStatMapperOverridesOwners() throws Exception {
    Files.createDirectories(root.resolve("skip/inner"));
    Files.writeString(root.resolve("skip/inner/f"), "x");
    Files.writeString(root.resolve("kept"), "k");
    MtreeSpec spec =
        walker()
            .exclude((p, st) -> p.equals(EntryPath.of("skip")))
            .statMapper(
                (p, file, st) ->
                    new FileStat(
                        st.mode(),
                        1000,
                        1000,
                        st.size(),
                        st.ino(),
                        st.dev(),
                        st.rdev(),
                        st.nlink(),
                        st.atimeNanos(),
                        st.mtimeNanos(),
                        st.ctimeNanos()))
            .build()
            .walk(root);
    assertEquals(List.of(".", "kept"), spec.paths().stream().map(EntryPath::toString).toList());
    assertEquals("1000", spec.get(EntryPath.of("kept")).value("uid"));
    assertTrue(
        new String(spec.toBytes())
            .contains("/set type=file nlink=1 mode=0664 uid=1000 gid=1000\n"));
  }

  @Test
  void writesGoMtreeShapeAndNewSetWhenOwnerChanges() throws Exception {
    Files.writeString(root.resolve("b"), "1");
    Path sub = Files.createDirectory(root.resolve("a dir"));
    Files.writeString(sub.resolve("x"), "22");
    Path owned = Files.createDirectory(root.resolve("c"));
    fs.lchown(owned, 5, 6);
    for (Path p : List.of(root, root.resolve("b"), sub, sub.resolve("x"), owned)) {
      fs.setTimes(p, 0, 1_000_000_000L * 1_600_000_000L);
    }
    fs.chmod(root, 0755);
    fs.chmod(sub, 0755);
    fs.chmod(owned, 0700);
    String text =
        new String(
            walker()
                .keywords(List.of("type", "uid", "gid", "mode", "tar_time"))
                .build()
                .walk(root)
                .toBytes(),
            StandardCharsets.UTF_8);
    assertEquals(
        """
        #      keywords: type,uid,gid,mode,tar_time

        # .
        /set type=file mode=0664 uid=0 gid=0
        . type=dir mode=0755 tar_time=1600000000.000000000
            b mode=0644 tar_time=1600000000.000000000

        # a dir
        a\\040dir type=dir mode=0755 tar_time=1600000000.000000000
            x mode=0644 tar_time=1600000000.000000000
        ..

        # c
        /set type=file mode=0664 uid=5 gid=6
        c type=dir mode=0700 tar_time=1600000000.000000000
        ..
        ..
        """,
        text);
  }

  @Test
  void directoryNamesWithNewlinesKeepTheSpecParseable() throws Exception {
    Path odd = Files.createDirectory(root.resolve("two\nlines"));
    Files.writeString(odd.resolve("f"), "x");
    MtreeSpec spec = walker().build().walk(root);
    MtreeSpec again = MtreeSpec.parse(spec.toBytes(), "x");
    assertEquals(spec.byPath(), again.byPath());
    assertEquals(List.of(), MtreeCompare.check(root, again, Keywords.UMOCI));
  }

  @Test
  void rootlessModeRestoresModesItHadToOpen() throws Exception {
    Path locked = Files.createDirectory(root.resolve("locked"));
    Files.writeString(locked.resolve("f"), "x");
    fs.chmod(locked.resolve("f"), 0);
    fs.chmod(locked, 0);
    MtreeSpec spec = walker().rootless(true).build().walk(root);
    assertEquals("0", spec.get(EntryPath.of("locked")).value("mode"));
    assertEquals("0", spec.get(EntryPath.of("locked/f")).value("mode"));
    assertEquals(0, fs.lstat(locked).permissions());
    assertEquals(0, fs.lstat(locked.resolve("f")).permissions());
    fs.chmod(locked, 0700);
  }

  @Test
  void refusesUnknownKeywordsAndNonDirectories() throws Exception {
    assertThrows(InvalidArgumentException.class, () -> walker().keywords(List.of("bogus")).build());
    assertThrows(
        InvalidArgumentException.class, () -> walker().keywords(List.of("rmd160")).build());
    Files.writeString(root.resolve("file"), "x");
    assertThrows(NotDirectoryException.class, () -> walker().build().walk(root.resolve("file")));
  }

  @Test
  void hostHeaderLooksLikeGoMtrees() throws Exception {
    byte[] text = MtreeWalker.umoci().walk(root).toBytes();
    String[] lines = new String(text, StandardCharsets.UTF_8).split("\n");
    assertTrue(lines[0].startsWith("#          user: "), lines[0]);
    assertTrue(lines[1].startsWith("#       machine: "), lines[1]);
    assertEquals("#          tree: " + root, lines[2]);
    assertTrue(
        lines[3].matches("#          date: \\w{3} \\w{3} \\d{1,2} \\d\\d:\\d\\d:\\d\\d \\d{4}"),
        lines[3]);
    assertEquals(
        "#      keywords: size,type,uid,gid,mode,link,nlink,tar_time,sha256digest,xattr", lines[4]);
    assertFalse(new String(text, StandardCharsets.UTF_8).contains("flags"));
  }
}
