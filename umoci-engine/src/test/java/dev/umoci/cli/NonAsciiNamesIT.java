package dev.umoci.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.umoci.sys.PathBytes;
import dev.umoci.sys.TreeRemover;
import dev.umoci.testing.Interop;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * File names are bytes in every locale (issue 12 §1b): the packaged jar, run as a process under
 * {@code LC_ALL=C}, {@code C.UTF-8} and a Latin-1 locale, takes a tree of UTF-8 and non-UTF-8 names
 * through insert → unpack → change → repack → unpack, with non-ASCII layout, bundle and target
 * arguments, and every name, link target and content comes back byte for byte. Each locale runs
 * twice: {@code java -jar} (the manifest opens {@code sun.nio.fs}, as the launcher's runs do) and
 * {@code java -cp … Main} without it, as the engine runs inside Maven's JVM.
 */
class NonAsciiNamesIT {
  private static final Path JAR = Path.of(System.getProperty("umoci.jar")).toAbsolutePath();
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  /** Where a generated Latin-1 locale lives (glibc reads LOCPATH). */
  private static Path localeDir;

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @BeforeAll
  static void generateLatin1Locale() throws Exception {
    localeDir = Files.createTempDirectory("umoci-locales");
    Interop.require(
        Files.isDirectory(Path.of("/usr/share/i18n/locales"))
            && Files.isExecutable(Path.of("/usr/bin/localedef")),
        "localedef and locale sources (Debian package locales) are needed for a Latin-1 locale");
    Process p =
        new ProcessBuilder(
                "/usr/bin/localedef",
                "-i",
                "fr_FR",
                "-f",
                "ISO-8859-1",
                localeDir.resolve("fr_FR.ISO-8859-1").toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(2, TimeUnit.MINUTES);
    Interop.require(
        Files.isDirectory(localeDir.resolve("fr_FR.ISO-8859-1")), "localedef failed: " + out);
  }

  @AfterAll
  static void removeLocale() throws IOException {
    TreeRemover.direct().remove(localeDir);
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String locale : List.of("C", "C.UTF-8", "fr_FR.ISO-8859-1")) {
      out.add(Arguments.of(locale, true));
      out.add(Arguments.of(locale, false));
    }
    return out.stream();
  }

  /** A shell word that makes {@code bytes} exactly, whatever the shell's or our charset. */
  private static String word(byte[] bytes) {
    StringBuilder s = new StringBuilder("\"$(printf '");
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\' && c != '%' && c != '-') {
        s.append((char) c);
      } else {
        s.append(String.format("\\%03o", c));
      }
    }
    return s.append("')\"").toString();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** Runs the jar with {@code args} (byte strings) under {@code locale}; asserts success. */
  private static void umoci(String locale, boolean asJar, byte[]... args) throws Exception {
    StringBuilder cmd = new StringBuilder("exec ").append(JAVA);
    cmd.append(asJar ? " -jar " + JAR : " -cp " + JAR + " dev.umoci.cli.Main");
    for (byte[] a : args) {
      cmd.append(' ').append(word(a));
    }
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", cmd.toString());
    pb.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG"));
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    pb.environment().put("LC_ALL", locale);
    pb.environment().put("LOCPATH", localeDir.toString());
    Path log = Files.createTempFile("umoci-locale", ".log");
    try {
      Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + cmd);
      }
      assertEquals(
          0,
          p.exitValue(),
          () -> {
            try {
              return locale + " " + cmd + ": " + Files.readString(log, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
              return e.toString();
            }
          });
    } finally {
      Files.delete(log);
    }
  }

  /** The names under {@code root} as escaped byte strings (links with their target bytes). */
  private static TreeSet<String> names(Path root) throws IOException {
    TreeSet<String> out = new TreeSet<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (p.equals(root)) {
          continue;
        }
        String name = PathBytes.escape(PathBytes.of(root.relativize(p)));
        if (Files.isSymbolicLink(p)) {
          name += " -> " + PathBytes.escape(PathBytes.of(Files.readSymbolicLink(p)));
        }
        out.add(name);
      }
    }
    return out;
  }

  @ParameterizedTest(name = "LC_ALL={0}, -jar={1}")
  @MethodSource("cases")
  void namesSurviveEveryCommand(String locale, boolean asJar, @TempDir Path tmp) throws Exception {
    byte[] unicode = utf8("ünï");
    byte[] lat = latin1("lat\u00fc");
    byte[] dir = latin1("d\u00e9");
    // A source tree for insert, made here with exact bytes.
    Path src = Files.createDirectory(tmp.resolve("src"));
    Files.writeString(src.resolve(PathBytes.fromBytes(unicode)), "u\n");
    Files.writeString(src.resolve(PathBytes.fromBytes(lat)), "l\n");
    Files.createDirectory(src.resolve(PathBytes.fromBytes(dir)));
    Files.writeString(src.resolve(PathBytes.fromBytes(concat(dir, utf8("/\u00e7a")))), "c\n");
    Files.createSymbolicLink(src.resolve("link"), PathBytes.fromBytes(unicode));

    byte[] t = utf8(tmp.toString() + "/");
    byte[] layout = concat(t, latin1("layout-\u00e9"));
    byte[] image = concat(layout, utf8(":a"));
    byte[] imageB = concat(layout, utf8(":b"));
    byte[] bundle = concat(t, utf8("bündle"));
    byte[] bundle2 = concat(t, latin1("b2-\u00ff"));
    byte[] target = concat(utf8("/in/"), latin1("\u00fc"), utf8("é"));

    umoci(locale, asJar, utf8("init"), utf8("--layout"), layout);
    umoci(locale, asJar, utf8("new"), utf8("--image"), image);
    umoci(locale, asJar, utf8("insert"), utf8("--image"), image, utf8(src.toString()), target);
    umoci(locale, asJar, utf8("unpack"), utf8("--image"), image, bundle);

    Path rootfs = PathBytes.fromBytes(bundle).resolve("rootfs");
    Path inserted =
        rootfs.resolve(PathBytes.fromBytes(java.util.Arrays.copyOfRange(target, 1, target.length)));
    Files.writeString(inserted.resolve(PathBytes.fromBytes(unicode)), "changed\n");
    Files.delete(inserted.resolve(PathBytes.fromBytes(lat)));
    Files.writeString(rootfs.resolve(PathBytes.fromBytes(latin1("n\u00e9w"))), "n\n");
    umoci(locale, asJar, utf8("repack"), utf8("--image"), imageB, bundle);
    umoci(locale, asJar, utf8("unpack"), utf8("--image"), imageB, bundle2);

    Path rootfs2 = PathBytes.fromBytes(bundle2).resolve("rootfs");
    String in = "in/\\xfc\\xc3\\xa9";
    assertEquals(
        new TreeSet<>(
            List.of(
                "in",
                in,
                in + "/\\xc3\\xbcn\\xc3\\xaf",
                in + "/d\\xe9",
                in + "/d\\xe9/\\xc3\\xa7a",
                in + "/link -> \\xc3\\xbcn\\xc3\\xaf",
                "n\\xe9w")),
        names(rootfs2));
    Path inserted2 =
        rootfs2.resolve(
            PathBytes.fromBytes(java.util.Arrays.copyOfRange(target, 1, target.length)));
    assertArrayEquals(
        utf8("changed\n"), Files.readAllBytes(inserted2.resolve(PathBytes.fromBytes(unicode))));
    assertArrayEquals(
        utf8("c\n"),
        Files.readAllBytes(inserted2.resolve(PathBytes.fromBytes(concat(dir, utf8("/\u00e7a"))))));
  }
}
