package dev.umoci.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.fs.IdMap;
import dev.umoci.fs.IdMapping;
import dev.umoci.fs.PosixFs;
import dev.umoci.sys.PathBytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeLayerWriterTest {
  static final PosixFs FS = PosixFs.host();
  static final long T = 1_700_000_000L;

  @TempDir Path tmp;
  Path src;

  @BeforeEach
  void tree() throws IOException {
    src = tmp.resolve("src");
    Files.createDirectories(src.resolve("sub/deep"));
    Files.writeString(src.resolve("a"), "hello");
    Files.writeString(src.resolve("sub/deep/z"), "zz");
    Files.createLink(src.resolve("sub/hl"), src.resolve("a"));
    FS.symlink("x//y/".getBytes(StandardCharsets.UTF_8), src.resolve("sym"));
    FS.mkfifo(src.resolve("fifo"), 0640);
    Files.writeString(src.resolve("a-b"), "dash");
    FS.chmod(src.resolve("a"), 04751);
    FS.setXattr(src.resolve("a"), "user.bin", new byte[] {0, (byte) 0xff, 10, 0});
    FS.setXattr(src.resolve("sub"), "user.empty", new byte[0]);
    Files.walk(src)
        .forEach(
            p -> {
              try {
                FS.setTimes(p, T * 1_000_000_000L, T * 1_000_000_000L + 999_999_999L);
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            });
  }

  static Map<String, TarEntry> read(byte[] tar) throws IOException {
    Map<String, TarEntry> out = new LinkedHashMap<>();
    try (TarReader r = new TarReader(new ByteArrayInputStream(tar))) {
      TarEntry e;
      while ((e = r.next()) != null) {
        out.put(new String(e.name(), StandardCharsets.UTF_8), e);
      }
    }
    return out;
  }

  byte[] layer(GenerateOptions options, TreeWork work) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TreeLayerWriter w = new TreeLayerWriter(out, options)) {
      work.run(w);
    }
    return out.toByteArray();
  }

  interface TreeWork {
    void run(TreeLayerWriter w) throws IOException;
  }

  @Test
  void treeIsWalkedInGoOrderWithAllFileKinds() throws IOException {
    byte[] tar = layer(GenerateOptions.defaults(), w -> w.addTree(src, "/app"));
    Map<String, TarEntry> entries = read(tar);
    assertEquals(
        List.of(
            "app/",
            "app/a",
            "app/a-b",
            "app/fifo",
            "app/sub/",
            "app/sub/deep/",
            "app/sub/deep/z",
            "app/sub/hl",
            "app/sym"),
        new ArrayList<>(entries.keySet()));
    TarEntry a = entries.get("app/a");
    assertEquals(TarEntry.Type.REGULAR, a.type());
    assertEquals(04751, a.mode());
    assertEquals(5, a.size());
    assertEquals(T * 1_000_000_000L, a.mtimeNanos(), "mtime truncated to whole seconds");
    assertArrayEquals(new byte[] {0, (byte) 0xff, 10, 0}, a.xattr("user.bin"));
    TarEntry hl = entries.get("app/sub/hl");
    assertEquals(TarEntry.Type.HARDLINK, hl.type());
    assertEquals("app/a", new String(hl.linkName(), StandardCharsets.UTF_8));
    assertEquals(0, hl.size());
    assertEquals(04751, hl.mode());
    assertArrayEquals(new byte[] {0, (byte) 0xff, 10, 0}, hl.xattr("user.bin"));
    assertEquals(TarEntry.Type.SYMLINK, entries.get("app/sym").type());
    assertEquals("x//y/", new String(entries.get("app/sym").linkName(), StandardCharsets.UTF_8));
    assertEquals(TarEntry.Type.FIFO, entries.get("app/fifo").type());
    assertEquals(0640, entries.get("app/fifo").mode());
    assertEquals(TarEntry.Type.DIRECTORY, entries.get("app/sub/").type());
    assertNull(entries.get("app/sub/").xattr("user.empty"), "empty xattrs are not written");
    assertEquals(0, a.uid());
    // Same input, same bytes.
    assertArrayEquals(tar, layer(GenerateOptions.defaults(), w -> w.addTree(src, "/app")));
  }

  @Test
  void contentIsStreamedIntoTheArchive() throws IOException {
    byte[] tar = layer(GenerateOptions.defaults(), w -> w.addTree(src.resolve("a"), "/bin/tool"));
    try (TarReader r = new TarReader(new ByteArrayInputStream(tar))) {
      TarEntry e = r.next();
      assertEquals("bin/tool", new String(e.name(), StandardCharsets.UTF_8));
      assertEquals("hello", new String(r.content().readAllBytes(), StandardCharsets.UTF_8));
      assertNull(r.next());
    }
  }

  @Test
  void clampOnlyLowersNewerTimes() throws IOException {
    Files.writeString(src.resolve("old"), "o");
    FS.setTimes(src.resolve("old"), 0, 1000L * 1_000_000_000L + 5);
    Instant clamp = Instant.ofEpochSecond(5000);
    byte[] tar =
        layer(
            GenerateOptions.of(IdMapping.identity(), clamp),
            w -> {
              w.addTree(src.resolve("a"), "/new");
              w.addTree(src.resolve("old"), "/old");
              w.addDirectory("/parent");
            });
    Map<String, TarEntry> entries = read(tar);
    assertEquals(5000L * 1_000_000_000L, entries.get("new").mtimeNanos());
    assertEquals(1000L * 1_000_000_000L, entries.get("old").mtimeNanos());
    TarEntry parent = entries.get("parent/");
    assertEquals(0755, parent.mode());
    assertEquals(5000L * 1_000_000_000L, parent.mtimeNanos());
  }

  @Test
  void ownersAreMappedOrForced() throws IOException {
    FS.lchown(src.resolve("a"), 100, 200);
    IdMapping map =
        new IdMapping(List.of(new IdMap(1000, 100, 10)), List.of(new IdMap(2000, 200, 10)), false);
    TarEntry mapped =
        read(layer(GenerateOptions.of(map, null), w -> w.addTree(src.resolve("a"), "a"))).get("a");
    assertEquals(1000, mapped.uid());
    assertEquals(2000, mapped.gid());
    TarEntry forced =
        read(layer(
                new GenerateOptions(IdMapping.identity(), null, 7, 8, false),
                w -> w.addTree(src.resolve("a"), "a")))
            .get("a");
    assertEquals(7, forced.uid());
    assertEquals(8, forced.gid());
    // A host id outside the map cannot be represented.
    FS.lchown(src.resolve("a"), 5, 5);
    assertThrows(
        IOException.class,
        () -> layer(GenerateOptions.of(map, null), w -> w.addTree(src.resolve("a"), "a")));
  }

  @Test
  void rootlessOwnerComesFromTheXattrWhichIsStripped() throws IOException {
    FS.lchown(src.resolve("a"), 100, 200);
    FS.setXattr(
        src.resolve("a"),
        RootlessContainersXattr.NAME,
        RootlessContainersXattr.encode(
            new RootlessContainersXattr.Owner(33, RootlessContainersXattr.NOOP_ID)));
    GenerateOptions rootless =
        new GenerateOptions(
            new IdMapping(List.of(new IdMap(0, 100, 1)), List.of(new IdMap(0, 200, 1)), true),
            null,
            null,
            null,
            true);
    Map<String, TarEntry> entries =
        read(
            layer(
                rootless,
                w -> {
                  w.addTree(src.resolve("a"), "a");
                  w.addTree(src.resolve("a-b"), "b");
                }));
    assertEquals(33, entries.get("a").uid());
    assertEquals(0, entries.get("a").gid());
    assertNull(entries.get("a").xattr(RootlessContainersXattr.NAME));
    assertEquals(0, entries.get("b").uid(), "rootless without the xattr means root");
    // Not rootless: the xattr is kept as an ordinary one (umoci warns).
    TarEntry plain =
        read(layer(GenerateOptions.defaults(), w -> w.addTree(src.resolve("a"), "a"))).get("a");
    assertTrue(plain.xattrs().containsKey(RootlessContainersXattr.NAME));
    assertEquals(100, plain.uid());
  }

  @Test
  void whiteoutsAndOpaqueMarkers() throws IOException {
    Map<String, TarEntry> entries =
        read(
            layer(
                GenerateOptions.defaults(),
                w -> {
                  w.addOpaqueWhiteout("/opt/x");
                  w.addWhiteout("/etc/gone");
                  w.addWhiteout("../../top");
                }));
    assertEquals(
        List.of("opt/x/.wh..wh..opq", "etc/.wh.gone", ".wh.top"),
        new ArrayList<>(entries.keySet()));
    TarEntry wh = entries.get("etc/.wh.gone");
    assertEquals(TarEntry.Type.REGULAR, wh.type());
    assertEquals(0, wh.mode());
    assertEquals(0, wh.mtimeNanos());
  }

  @Test
  void whiteoutPrefixedNamesAreRefused() throws IOException {
    Files.writeString(src.resolve("sub/.wh.bad"), "x");
    InvalidArgumentException e =
        assertThrows(
            InvalidArgumentException.class,
            () -> layer(GenerateOptions.defaults(), w -> w.addTree(src, "/app")));
    assertTrue(
        e.getMessage().contains("invalid path has whiteout prefix \".wh.\": app/sub/.wh.bad"),
        e.getMessage());
    assertThrows(
        InvalidArgumentException.class,
        () -> layer(GenerateOptions.defaults(), w -> w.addWhiteout("/etc/.wh.x")));
    assertThrows(
        InvalidArgumentException.class,
        () -> layer(GenerateOptions.defaults(), w -> w.addTree(src.resolve("a"), "/.wh.a")));
  }

  @Test
  void namesAreConfinedToTheArchiveRoot() throws IOException {
    Map<String, TarEntry> entries =
        read(layer(GenerateOptions.defaults(), w -> w.addTree(src.resolve("a"), "../../etc/x")));
    assertEquals(List.of("etc/x"), new ArrayList<>(entries.keySet()));
  }

  @Test
  void rawNonUtf8NamesSurvive() throws IOException {
    byte[] raw = {'n', (byte) 0xff, 'x'};
    Files.writeString(PathBytes.resolve(src.resolve("sub"), raw), "r");
    Map<String, TarEntry> entries =
        read(layer(GenerateOptions.defaults(), w -> w.addTree(src.resolve("sub"), "/s")));
    assertTrue(
        entries.values().stream()
            .anyMatch(
                e ->
                    java.util.Arrays.equals(
                        e.name(), new byte[] {'s', '/', 'n', (byte) 0xff, 'x'})));
  }
}
