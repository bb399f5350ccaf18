package dev.umoci.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.fs.PosixFs;
import dev.umoci.testing.Interop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our tar output read by GNU tar, and GNU tar's output read by us. */
class GnuTarInteropTest {
  @TempDir Path tmp;

  @BeforeAll
  static void tools() {
    Interop.requireTool("/usr/bin/tar");
  }

  static String run(Path dir, String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + " failed: " + out);
    return out;
  }

  @Test
  void gnuTarListsAndExtractsOurArchiveWithBinaryXattrs() throws Exception {
    String longName = TarCodecTest.longName();
    Path tar =
        new TarBuilder()
            .dir("d/")
            .file(longName, "long")
            .file("d/cap", "c")
            .mode(0755)
            .xattr("security.capability", TarCodecTest.CAP)
            .xattr("user.bin", TarCodecTest.BINARY)
            .symlink("d/link", "../" + "t".repeat(150))
            .hardlink("d/hard", "d/cap")
            .writeTo(tmp.resolve("ours.tar"));
    String listing = run(tmp, "tar", "-tvf", tar.toString());
    assertTrue(listing.contains(longName), listing);
    assertTrue(listing.contains("d/link -> ../" + "t".repeat(150)), listing);
    assertTrue(listing.contains("d/hard link to d/cap"), listing);

    Path out = Files.createDirectory(tmp.resolve("x"));
    run(out, "tar", "--xattrs", "--xattrs-include=*", "-xpf", tar.toString());
    assertEquals("long", Files.readString(out.resolve(longName)));
    PosixFs fs = PosixFs.host();
    assertArrayEquals(TarCodecTest.CAP, fs.getXattr(out.resolve("d/cap"), "security.capability"));
    assertArrayEquals(TarCodecTest.BINARY, fs.getXattr(out.resolve("d/cap"), "user.bin"));
    if (Files.isExecutable(Path.of("/usr/bin/getfattr"))) {
      String hex = run(out, "getfattr", "-h", "-e", "hex", "-n", "security.capability", "d/cap");
      assertTrue(hex.contains("0x" + HexFormat.of().formatHex(TarCodecTest.CAP)), hex);
    }
  }

  @Test
  void weReadGnuTarPosixAndGnuArchives() throws Exception {
    Path src = Files.createDirectory(tmp.resolve("src"));
    String longName = "n".repeat(150);
    Files.writeString(src.resolve(longName), "payload");
    Path cap = Files.writeString(src.resolve("cap"), "c");
    PosixFs.host().setXattr(cap, "security.capability", TarCodecTest.CAP);
    PosixFs.host().setXattr(cap, "user.bin", TarCodecTest.BINARY);
    Files.createSymbolicLink(src.resolve("link"), Path.of("l".repeat(120)));
    for (String format : List.of("posix", "gnu")) {
      Path tar = tmp.resolve(format + ".tar");
      List<String> cmd =
          new ArrayList<>(List.of("tar", "--format=" + format, "-cf", tar.toString()));
      if (format.equals("posix")) {
        cmd.add(1, "--xattrs");
        cmd.add(2, "--xattrs-include=*");
      }
      cmd.add(".");
      run(src, cmd.toArray(String[]::new));
      List<byte[]> contents = new ArrayList<>();
      List<TarEntry> entries = TarCodecTest.readAll(Files.readAllBytes(tar), contents);
      boolean sawLong = false;
      boolean sawLink = false;
      for (int i = 0; i < entries.size(); i++) {
        TarEntry e = entries.get(i);
        String name = new String(e.name(), StandardCharsets.UTF_8);
        if (name.equals("./" + longName)) {
          sawLong = true;
          assertEquals("payload", new String(contents.get(i), StandardCharsets.UTF_8));
        }
        if (name.equals("./link")) {
          sawLink = true;
          assertEquals(TarEntry.Type.SYMLINK, e.type());
          assertArrayEquals("l".repeat(120).getBytes(StandardCharsets.UTF_8), e.linkName());
        }
        if (name.equals("./cap") && format.equals("posix")) {
          assertArrayEquals(TarCodecTest.CAP, e.xattr("security.capability"));
          assertArrayEquals(TarCodecTest.BINARY, e.xattr("user.bin"));
        }
      }
      assertTrue(sawLong && sawLink, format);
    }
  }
}
