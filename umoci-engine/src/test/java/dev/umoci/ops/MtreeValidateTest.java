package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.errors.MtreeFormatException;
import dev.umoci.fs.PosixFs;
import dev.umoci.mtree.Keywords;
import dev.umoci.mtree.MtreeWalker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MtreeValidateTest {
  @TempDir Path tmp;
  Path root;
  Path manifest;

  @BeforeEach
  void writeManifest() throws Exception {
    root = Files.createDirectory(tmp.resolve("rootfs"));
    Files.writeString(root.resolve("a"), "aaa");
    Files.createDirectory(root.resolve("d"));
    Files.writeString(root.resolve("d/b"), "bbb");
    manifest = tmp.resolve("spec.mtree");
    Files.write(
        manifest,
        MtreeWalker.builder()
            .keywords(List.of("size", "type", "mode", "tar_time", "sha256digest"))
            .build()
            .walk(root)
            .toBytes());
  }

  @Test
  void anUnchangedTreeValidates() throws Exception {
    MtreeValidate.Result r = MtreeValidate.run(MtreeValidateOptions.of(manifest, root));
    assertTrue(r.success());
    assertEquals("", r.formatReport());
    assertNull(r.failureMessage());
    // go-mtree's first /set always carries uid and gid, so the spec "uses" them
    assertEquals(
        List.of("type", "mode", "uid", "gid", "size", "tar_time", "sha256digest"), r.keywords());
  }

  @Test
  void changesAreReportedOneLineEach() throws Exception {
    PosixFs.host().chmod(root.resolve("a"), 0600);
    Files.delete(root.resolve("d/b"));
    Files.writeString(root.resolve("new"), "n");
    MtreeValidate.Result r = MtreeValidate.run(MtreeValidateOptions.of(manifest, root));
    assertFalse(r.success());
    String report = r.formatReport();
    assertTrue(report.contains("\"a\": keyword \"mode\": expected 0644; got 0600\n"), report);
    assertTrue(report.contains("\"d/b\": missing path\n"), report);
    assertTrue(report.contains("\"new\": unexpected path\n"), report);
    assertTrue(r.failureMessage().startsWith("validation failed: "), r.failureMessage());
  }

  @Test
  void keywordOptionsFollowUmoci() throws Exception {
    PosixFs.host().chmod(root.resolve("a"), 0600);
    MtreeValidate.Result onlySize =
        MtreeValidate.run(MtreeValidateOptions.of(manifest, root).withUseKeywords(List.of("size")));
    assertEquals(List.of("type", "size"), onlySize.keywords());
    assertTrue(onlySize.success(), onlySize.formatReport());

    MtreeValidate.Result umoci =
        MtreeValidate.run(
            MtreeValidateOptions.of(manifest, root)
                .withAddKeywords(List.of("sha256"))
                .withUmociKeywords(true));
    assertEquals(Keywords.UMOCI, umoci.keywords());
    // nlink is absent from the manifest, so files show it as an extra key
    assertFalse(umoci.success());

    MtreeValidate.Result added =
        MtreeValidate.run(
            MtreeValidateOptions.of(manifest, root)
                .withAddKeywords(List.of("nlink"))
                .withUseKeywords(List.of("size")));
    assertEquals(List.of("type", "size", "nlink"), added.keywords());
    assertTrue(
        added.formatReport().contains("\"a\": keyword \"nlink\": expected ; got 1"),
        added.formatReport());
  }

  @Test
  void badInputsAreOneLineErrors() throws Exception {
    assertThrows(
        InvalidArgumentException.class,
        () -> MtreeValidate.run(MtreeValidateOptions.of(null, root)));
    Files.writeString(manifest, "ok size=1\nbad\\q size=2\n");
    MtreeFormatException e =
        assertThrows(
            MtreeFormatException.class,
            () -> MtreeValidate.run(MtreeValidateOptions.of(manifest, root)));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    Files.writeString(manifest, "ok size=1\n");
    assertThrows(
        InvalidArgumentException.class,
        () ->
            MtreeValidate.run(
                MtreeValidateOptions.of(manifest, root).withAddKeywords(List.of("bogus"))));
  }
}
