package dev.umoci.mtree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.umoci.testing.Interop;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Value and format compatibility with go-mtree as vendored by Debian's umoci 0.4.7: specs umoci
 * writes parse and match our walk exactly; specs we write are accepted by umoci's repack.
 */
class GoMtreeInteropTest {
  @TempDir static Path work;
  static Path bundle;
  static Path umociSpec;

  @BeforeAll
  static void unpackWithGoUmoci() throws Exception {
    Interop.require(Proc.umociInstalled(), "Debian umoci is not installed at /usr/bin/umoci");
    byte[] layer =
        new TestTar()
            .dir("./", 0755, 0, 0, Map.of())
            .file("a b", "hi\n")
            .file("back\\slash", "bs\n")
            .file("new\nline", "x")
            .file("tab\there", "t")
            .file("glob*?[#", "z\n")
            .file("#hash", "h")
            .file(TestTar.utf8("ünï"), "u\n")
            .file(TestTar.raw((byte) 'r', (byte) 0xff, (byte) 0xfe), "raw\n")
            .file("empty", "", 0600, 0, 0, Map.of())
            .symlink("link", "../target with space")
            .symlink("abs", "/etc/pass\\wd")
            .hardlink("hard", "a b")
            .fifo("fifo")
            .charDevice("null", 1, 3)
            .dir("dir", 0750, 0, 0, Map.of("user.bin", "dir value"))
            .file("dir/f", "q\n", 04755, 0, 0, Map.of("user.foo", "bar", "user.two", "2"))
            .file("dir/g", "setgid", 02711, 0, 0, Map.of())
            .dir("dir/sub", 01777, 1000, 1001, Map.of())
            .file("dir/sub/owned", "o", 0640, 1000, 1001, Map.of())
            .dir("dir/sub/back", 0755, 0, 0, Map.of())
            .dir("odd dir")
            .file("odd dir/x", "x\n")
            .dir("z", 0, 0, 0, Map.of())
            .finish();
    Files.write(work.resolve("layer.tar"), layer);
    Proc.run(work, "umoci", "init", "--layout", "l");
    Proc.run(work, "umoci", "new", "--image", "l:t");
    Proc.run(work, "umoci", "raw", "add-layer", "--image", "l:t", "layer.tar");
    Proc.run(work, "umoci", "unpack", "--image", "l:t", "bundle");
    bundle = work.resolve("bundle");
    try (Stream<Path> s = Files.list(bundle)) {
      umociSpec = s.filter(p -> p.toString().endsWith(".mtree")).findFirst().orElseThrow();
    }
  }

  private static MtreeWalker walker() throws Exception {
    return MtreeWalker.builder().header(null).build();
  }

  @Test
  void ourWalkMatchesGoMtreeValueForValue() throws Exception {
    MtreeSpec theirs = MtreeSpec.read(umociSpec);
    MtreeSpec ours = walker().walk(bundle.resolve("rootfs"));
    assertEquals(List.of(), MtreeCompare.compare(theirs, ours, Keywords.UMOCI));
    assertEquals(List.of(), MtreeCompare.compare(theirs, ours, null));
    assertEquals(theirs.paths().size(), ours.paths().size());
    assertTrue(theirs.get(EntryPath.of("dir/f")).keywords().containsKey("xattr.user.foo"));
    assertEquals("04755", theirs.get(EntryPath.of("dir/f")).value("mode"));
    assertEquals(
        "r\\377\\376",
        Vis.encode(
            theirs.paths().stream()
                .filter(p -> p.bytes()[0] == 'r' && p.bytes().length == 3)
                .findFirst()
                .orElseThrow()
                .bytes()));
  }

  @Test
  void ourOutputEqualsGoMtreeByteForByteApartFromSignature() throws Exception {
    List<String> theirs = lines(Files.readAllBytes(umociSpec));
    List<String> ours = lines(walker().walk(bundle.resolve("rootfs")).toBytes());
    // go-mtree's signature: user, machine, tree, date.
    assertTrue(theirs.get(0).startsWith("#          user: "), theirs.get(0));
    assertTrue(theirs.get(3).startsWith("#          date: "), theirs.get(3));
    assertEquals(String.join("\n", theirs.subList(4, theirs.size())), String.join("\n", ours));
  }

  @Test
  void parsingAndWritingAGoMtreeSpecGivesTheSameBytes() throws Exception {
    byte[] theirs = Files.readAllBytes(umociSpec);
    assertEquals(
        new String(theirs, StandardCharsets.ISO_8859_1),
        new String(MtreeSpec.read(umociSpec).toBytes(), StandardCharsets.ISO_8859_1));
  }

  @Test
  void goUmociRepacksAgainstOurSpecWithoutSpuriousChangesThenSeesOneChange(@TempDir Path tmp)
      throws Exception {
    Proc.run(work, "cp", "-a", "l", tmp.resolve("l").toString());
    Proc.run(work, "cp", "-a", "bundle", tmp.resolve("b").toString());
    Path b = tmp.resolve("b");
    Path spec = b.resolve(umociSpec.getFileName());
    MtreeSpec ours = MtreeWalker.umoci().walk(b.resolve("rootfs"));
    Files.write(spec, ours.toBytes());

    Proc.run(tmp, "umoci", "repack", "--image", "l:t2", "b");
    Path layout = tmp.resolve("l");
    // 0.4.7: an empty diff adds no layer, only a history entry.
    assertEquals(layers(layout, "t"), layers(layout, "t2"));

    Path f = b.resolve("rootfs/dir/f");
    byte[] old = Files.readAllBytes(f);
    Files.write(f, "Q\n".getBytes(StandardCharsets.UTF_8)); // same size, same dir
    assertEquals(old.length, Files.size(f));
    Proc.run(tmp, "umoci", "repack", "--image", "l:t3", "b");
    List<String> t3 = layers(layout, "t3");
    assertEquals(layers(layout, "t").size() + 1, t3.size());
    assertEquals(List.of("dir/f"), tarNames(layout, t3.get(t3.size() - 1)));
  }

  @Test
  void ourSpecsRoundTripThroughGoUmociRefreshBundle(@TempDir Path tmp) throws Exception {
    // umoci (Go) rewrites the mtree with --refresh-bundle; we read it back and see no change.
    Proc.run(work, "cp", "-a", "l", tmp.resolve("l").toString());
    Proc.run(work, "cp", "-a", "bundle", tmp.resolve("b").toString());
    Path b = tmp.resolve("b");
    Files.writeString(b.resolve("rootfs/added"), "new file");
    Proc.run(tmp, "umoci", "repack", "--refresh-bundle", "--image", "l:t4", "b");
    Path refreshed;
    try (Stream<Path> s = Files.list(b)) {
      refreshed = s.filter(p -> p.toString().endsWith(".mtree")).findFirst().orElseThrow();
    }
    assertEquals(
        List.of(),
        MtreeCompare.check(b.resolve("rootfs"), MtreeSpec.read(refreshed), Keywords.UMOCI));
  }

  static List<String> lines(byte[] text) {
    String s = new String(text, StandardCharsets.ISO_8859_1);
    return new ArrayList<>(Arrays.asList(s.split("\n", -1)));
  }

  static List<String> layers(Path layout, String tag) throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode index = json.readTree(layout.resolve("index.json").toFile());
    for (JsonNode m : index.get("manifests")) {
      if (tag.equals(m.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
        JsonNode manifest = json.readTree(blob(layout, m.get("digest").asText()).toFile());
        List<String> out = new ArrayList<>();
        manifest.get("layers").forEach(l -> out.add(l.get("digest").asText()));
        return out;
      }
    }
    throw new AssertionError("no tag " + tag);
  }

  static Path blob(Path layout, String digest) {
    String[] parts = digest.split(":");
    return layout.resolve("blobs").resolve(parts[0]).resolve(parts[1]);
  }

  static List<String> tarNames(Path layout, String digest) throws IOException {
    List<String> names = new ArrayList<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(blob(layout, digest)));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        names.add(e.getName());
      }
    }
    return names;
  }
}
