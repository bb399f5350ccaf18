package dev.umoci.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.testing.Interop;
import dev.umoci.testing.TestRegistry;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/umoci against the packaged jar (runs in {@code verify}, after {@code package}): the
 * class-data-sharing archive the build made is valid and used, and a missing, stale, foreign or
 * corrupt archive changes nothing the user sees.
 */
class LauncherIT {
  private static final Path LAUNCHER = Path.of(System.getProperty("umoci.launcher"));
  private static final Path JAR = Path.of(System.getProperty("umoci.jar"));
  private static final Path ARCHIVE = Path.of(System.getProperty("umoci.jsa"));
  private static final Path SMALL_ARCHIVE = Path.of(System.getProperty("umoci.jsa.small"));
  private static final Path COPY_ARCHIVE = Path.of(System.getProperty("umoci.jsa.copy"));
  private static final List<String> ARCHIVE_NAMES =
      List.of("umoci.jsa", "umoci-small.jsa", "umoci-copy.jsa");
  private static final Path AOT_CACHE = Path.of(System.getProperty("umoci.aot"));
  private static final Path SMALL_AOT_CACHE = Path.of(System.getProperty("umoci.aot.small"));
  private static final Path COPY_AOT_CACHE = Path.of(System.getProperty("umoci.aot.copy"));

  /** The Java 25 JDK these machines have (the build makes the AOT cache with it). */
  private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

  @TempDir Path tmp;

  record Run(int exit, String stdout, String stderr) {}

  private static Run run(Path launcher, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(launcher.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("UMOCI_JAVA_OPTS");
    pb.environment().putAll(env);
    Path out = Files.createTempFile("launcher", ".out");
    Path err = Files.createTempFile("launcher", ".err");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      int exit = p.waitFor();
      return new Run(exit, Files.readString(out), Files.readString(err));
    } finally {
      Files.delete(out);
      Files.delete(err);
    }
  }

  /** init, new, ls and a copy through {@code launcher}: must succeed with nothing on stderr. */
  private void worksQuietly(Path launcher, Map<String, String> env) throws Exception {
    String layout = Files.createTempDirectory(tmp, "layout").resolve("l").toString();
    for (String[] args :
        new String[][] {{"init", "--layout", layout}, {"new", "--image", layout + ":a"}}) {
      Run r = run(launcher, env, args);
      assertEquals(new Run(0, "", ""), r, String.join(" ", args));
    }
    assertEquals(new Run(0, "a\n", ""), run(launcher, env, "ls", "--layout", layout));
    Run copy = run(launcher, env, "copy", "oci:" + layout + ":a", "oci:" + layout + ":b");
    assertEquals(0, copy.exit(), copy.stderr());
    assertEquals("", copy.stderr());
  }

  /**
   * A copy of the launcher with the jar beside it, and {@code archive} (if any) written after as
   * umoci.jsa, umoci-small.jsa and umoci-copy.jsa.
   */
  private Path install(String name, byte[] archive) throws IOException {
    Path dir = Files.createDirectory(tmp.resolve(name));
    Path launcher = Files.copy(LAUNCHER, dir.resolve("umoci"), StandardCopyOption.COPY_ATTRIBUTES);
    Path jar = Files.copy(JAR, dir.resolve("umoci.jar"));
    if (archive != null) {
      for (String file : ARCHIVE_NAMES) {
        Path jsa = Files.write(dir.resolve(file), archive);
        Files.setLastModifiedTime(
            jsa, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5000));
      }
    }
    return launcher;
  }

  @Test
  void theBuiltArchiveIsValidForTheLauncher() throws Exception {
    // -Xshare:on makes the JVM fail unless it maps the archive.
    worksQuietly(LAUNCHER, Map.of("UMOCI_JAVA_OPTS", "-Xshare:on"));
    worksQuietly(LAUNCHER, Map.of());
  }

  @Test
  void longCommandsWorkAndGcChoiceCanBeOverridden() throws Exception {
    Path tar = Files.write(tmp.resolve("empty.tar"), new byte[1024]);
    String layout = tmp.resolve("l").toString();
    Map<String, String> g1 = Map.of("UMOCI_JAVA_OPTS", "-XX:+UseG1GC");
    assertEquals(0, run(LAUNCHER, g1, "init", "--layout", layout).exit());
    assertEquals(0, run(LAUNCHER, g1, "new", "--image", layout + ":a").exit());
    Run r =
        run(
            LAUNCHER,
            Map.of(),
            "--log",
            "error",
            "raw",
            "add-layer",
            "--image",
            layout + ":a",
            tar.toString());
    assertEquals(new Run(0, "", ""), r);
  }

  @Test
  void noArchiveIsFine() throws Exception {
    worksQuietly(install("none", null), Map.of());
  }

  @Test
  void anArchiveForAnotherJarIsIgnoredSilently() throws Exception {
    worksQuietly(install("foreign", Files.readAllBytes(ARCHIVE)), Map.of());
  }

  @Test
  void aCorruptArchiveIsIgnoredSilently() throws Exception {
    worksQuietly(
        install("corrupt", "not a CDS archive".getBytes(StandardCharsets.US_ASCII)), Map.of());
  }

  @Test
  void anArchiveOlderThanTheJarIsNotUsed() throws Exception {
    Path launcher = install("stale", Files.readAllBytes(ARCHIVE));
    for (String file : ARCHIVE_NAMES) {
      Files.setLastModifiedTime(launcher.resolveSibling(file), FileTime.fromMillis(0));
    }
    // It would not even be tried: -Xshare:on with no archive named still maps the JDK's own.
    worksQuietly(launcher, Map.of("UMOCI_JAVA_OPTS", "-Xshare:on"));
  }

  /** Requires Temurin 25 (skips, or fails in CI) and the AOT cache the build made with it. */
  private static void requireJdk25() {
    Interop.require(
        Files.isExecutable(JDK25.resolve("bin/java")), JDK25 + "/bin/java is not installed");
    for (Path cache : List.of(AOT_CACHE, SMALL_AOT_CACHE, COPY_AOT_CACHE)) {
      assertTrue(
          Files.isRegularFile(cache),
          "the build found " + JDK25 + " but made no AOT cache " + cache);
    }
  }

  /** A JDK older than 24 to run the launcher on: the one running this test, else Debian's 17. */
  private static Path oldJdk() {
    return Runtime.version().feature() < 24
        ? Path.of(System.getProperty("java.home"))
        : Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
  }

  /**
   * The environment of a launcher run on {@link #oldJdk} with {@code extraOpts} (JVM flags, may be
   * empty) that logs the classes it loads to {@code classes}.
   */
  private static Map<String, String> onOldJdkLoggingClasses(Path classes, String extraOpts) {
    return Map.of(
        "JAVA_HOME",
        oldJdk().toString(),
        "UMOCI_JAVA_OPTS",
        (extraOpts + " -Xlog:class+load=info:file=" + classes).strip());
  }

  /** ls through the launcher on {@code javaHome}, logging class loading (and AOT, if asked). */
  private String lsLoggingClasses(Path launcher, Path javaHome, String extraOpts) throws Exception {
    String layout = Files.createTempDirectory(tmp, "layout").resolve("l").toString();
    Map<String, String> env = Map.of("JAVA_HOME", javaHome.toString());
    assertEquals(new Run(0, "", ""), run(launcher, env, "init", "--layout", layout));
    assertEquals(new Run(0, "", ""), run(launcher, env, "new", "--image", layout + ":a"));
    Path classes = Files.createTempFile(tmp, "classes", ".log");
    Map<String, String> logging =
        Map.of(
            "JAVA_HOME",
            javaHome.toString(),
            "UMOCI_JAVA_OPTS",
            "-Xlog:class+load=info:file=" + classes + " " + extraOpts);
    assertEquals(new Run(0, "a\n", ""), run(launcher, logging, "ls", "--layout", layout));
    return Files.readString(classes);
  }

  /**
   * The CLI's picocli model is built in code ({@link CommandModel}), so no picocli annotation is
   * read at start: on Java 24+ each annotation read generated a proxy class that the AOT cache
   * cannot keep (5 annotation types and 6 proxies in an ls before). Java 25 and 17 alike.
   */
  @Test
  void noPicocliAnnotationIsReadAtStart() throws Exception {
    requireJdk25();
    for (Path jdk : List.of(JDK25, oldJdk())) {
      String classes = lsLoggingClasses(LAUNCHER, jdk, "");
      for (String annotation : List.of("Command", "Option", "Parameters", "Mixin", "Spec")) {
        assertFalse(
            classes.contains(" picocli.CommandLine$" + annotation + " "),
            jdk + ": picocli's @" + annotation + " was loaded");
      }
    }
  }

  @Test
  void onJava25TheLauncherUsesTheAotCache() throws Exception {
    requireJdk25();
    Path aotLog = tmp.resolve("aot.log");
    String classes = lsLoggingClasses(LAUNCHER, JDK25, "-Xlog:aot=info:file=" + aotLog);
    String aot = Files.readString(aotLog);
    assertTrue(
        aot.contains("Opened AOT cache ") && aot.contains("umoci-small.aot."),
        "the JVM did not open umoci-small.aot:\n" + aot);
    assertTrue(
        classes.contains("dev.umoci.cli.Main source: shared objects file"),
        "the CLI's classes did not come from the AOT cache");
  }

  /**
   * The small commands build no {@code ObjectMapper} (the spec records and trees have streaming
   * codecs, {@code oci.spec.StreamingJson}) and set up no {@code SecureRandom} (temporary names
   * come from {@code oci.layout.TempNames}), and on Java 25 and 17 alike the codec classes they use
   * come from the build's AOT cache or CDS archive, so the training run covers them.
   */
  @Test
  void smallCommandsBuildNoObjectMapperAndTheirCodecsComeFromTheArchive() throws Exception {
    requireJdk25();
    String common = "dev.umoci.oci.spec.StreamingJson dev.umoci.oci.spec.Tokens";
    String layoutCodecs =
        common + " dev.umoci.oci.spec.ImageLayoutCodec dev.umoci.oci.spec.IndexCodec";
    String imageCodecs =
        layoutCodecs
            + " dev.umoci.oci.spec.DescriptorCodec dev.umoci.oci.spec.ManifestCodec"
            + " dev.umoci.oci.spec.ImageCodec dev.umoci.oci.spec.ImageConfigCodec";
    for (Path jdk : List.of(JDK25, oldJdk())) {
      String layout = Files.createTempDirectory(tmp, "layout").resolve("l").toString();
      Map<String, String> env = Map.of("JAVA_HOME", jdk.toString());
      assertEquals(0, run(LAUNCHER, env, "init", "--layout", layout).exit());
      assertEquals(0, run(LAUNCHER, env, "new", "--image", layout + ":a").exit());
      Map<String[], String> commands = new java.util.LinkedHashMap<>();
      commands.put(new String[] {"ls", "--layout", layout}, layoutCodecs);
      commands.put(new String[] {"tag", "--image", layout + ":a", "b"}, layoutCodecs);
      commands.put(
          new String[] {"config", "--image", layout + ":a", "--config.env", "A=1"}, imageCodecs);
      commands.put(new String[] {"stat", "--image", layout + ":a"}, imageCodecs);
      commands.put(
          new String[] {"stat", "--json", "--image", layout + ":a"},
          imageCodecs + " dev.umoci.oci.spec.JsonTrees");
      commands.put(new String[] {"rm", "--image", layout + ":b"}, layoutCodecs);
      for (Map.Entry<String[], String> command : commands.entrySet()) {
        String what = jdk + ": " + String.join(" ", command.getKey());
        Path loads = Files.createTempFile(tmp, "load", ".log");
        Path inits = Files.createTempFile(tmp, "init", ".log");
        Map<String, String> logging =
            Map.of(
                "JAVA_HOME",
                jdk.toString(),
                "UMOCI_JAVA_OPTS",
                "-Xlog:class+load=info:file=" + loads + " -Xlog:class+init=info:file=" + inits);
        Run r = run(LAUNCHER, logging, command.getKey());
        assertEquals(0, r.exit(), what + ": " + r.stderr());
        String initialised = Files.readString(inits);
        assertTrue(initialised.contains("Initializing 'dev/umoci/cli/Main'"), what + ": no log");
        for (String never :
            List.of("com/fasterxml/jackson/databind/ObjectMapper", "java/security/SecureRandom")) {
          assertTrue(
              !initialised.contains("Initializing '" + never + "'"),
              what + " initialised " + never);
        }
        String loaded = Files.readString(loads);
        for (String codec : command.getValue().split(" ")) {
          assertTrue(
              loaded.contains(codec + " source: shared objects file"),
              what + ": " + codec + " did not come from the archive");
        }
      }
    }
  }

  @Test
  void onJava17TheAotCacheIsIgnoredAndTheCdsArchiveUsed() throws Exception {
    requireJdk25();
    // An AOT cache flag on Java 17 would stop the JVM ("Unrecognized VM option"); -Xshare:on
    // fails unless umoci.jsa is mapped.
    String classes = lsLoggingClasses(LAUNCHER, oldJdk(), "-Xshare:on");
    assertTrue(
        classes.contains("dev.umoci.cli.Main source: shared objects file"),
        "the CLI's classes did not come from umoci.jsa");
  }

  /**
   * On Java 17 the small commands start from umoci-small.jsa, copy from umoci-copy.jsa, the others
   * from umoci.jsa; with the small archive missing a small command runs without one and says
   * nothing.
   */
  @Test
  void onJava17EachCommandUsesTheArchiveOfItsSet() throws Exception {
    for (Path archive : List.of(SMALL_ARCHIVE, COPY_ARCHIVE)) {
      assertTrue(Files.isRegularFile(archive), "the build made no " + archive);
    }
    String layout = Files.createTempDirectory(tmp, "layout").resolve("l").toString();
    Path three = Files.writeString(tmp.resolve("three"), "ab\n");
    Map<String, String> env =
        Map.of(
            "JAVA_HOME",
            oldJdk().toString(),
            "UMOCI_JAVA_OPTS",
            "-Xshare:on -XX:+PrintCommandLineFlags");
    String[][] commands = {
      {"init", "--layout", layout},
      {"new", "--image", layout + ":a"},
      {"ls", "--layout", layout},
      {"gc", "--layout", layout},
      {"insert", "--image", layout + ":a", three.toString(), "/t"},
      {"copy", "oci:" + layout + ":a", "oci:" + layout + ":b"},
    };
    Map<String, String> archives = Map.of("insert", "/umoci.jsa ", "copy", "/umoci-copy.jsa ");
    for (String[] args : commands) {
      Run r = run(LAUNCHER, env, args);
      assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.stderr());
      // the launcher names it through its own directory (bin/../umoci-engine/target/...)
      String expected = archives.getOrDefault(args[0], "/umoci-small.jsa ");
      assertTrue(
          r.stdout()
              .matches(
                  "(?s).*-XX:SharedArchiveFile=\\S*"
                      + java.util.regex.Pattern.quote(expected)
                      + ".*"),
          String.join(" ", args) + ": not " + expected + ":\n" + r.stdout());
    }
    Path launcher = install("no-small-jsa", Files.readAllBytes(ARCHIVE));
    Files.delete(launcher.resolveSibling("umoci-small.jsa"));
    Map<String, String> java17 = Map.of("JAVA_HOME", oldJdk().toString());
    worksQuietly(launcher, java17);
    Run r =
        run(
            launcher,
            Map.of(
                "JAVA_HOME", oldJdk().toString(), "UMOCI_JAVA_OPTS", "-XX:+PrintCommandLineFlags"),
            "ls",
            "--layout",
            layout);
    assertEquals(0, r.exit(), r.stderr());
    assertTrue(!r.stdout().contains("SharedArchiveFile"), r.stdout());
  }

  /**
   * The warm-up builds the HTTP client's string concatenations for a copy that names a registry
   * (here one that refuses the connection) and not for a copy between two layouts.
   */
  @Test
  void onlyACopyThatNamesARegistryWarmsTheHttpClientUp() throws Exception {
    String layout = Files.createTempDirectory(tmp, "layout").resolve("l").toString();
    Map<String, String> env = Map.of("JAVA_HOME", oldJdk().toString());
    assertEquals(0, run(LAUNCHER, env, "init", "--layout", layout).exit());
    assertEquals(0, run(LAUNCHER, env, "new", "--image", layout + ":a").exit());
    String[][] copies = {
      {"copy", "oci:" + layout + ":a", "oci:" + layout + ":b"},
      {"copy", "--src-tls-verify=false", "docker://127.0.0.1:1/app:1", "oci:" + layout + ":c"}
    };
    for (String[] args : copies) {
      Path classes = Files.createTempFile(tmp, "classes", ".log");
      Run r = run(LAUNCHER, onOldJdkLoggingClasses(classes, ""), args);
      boolean registry = args[args.length - 2].startsWith("docker://");
      assertEquals(registry ? 1 : 0, r.exit(), String.join(" ", args) + ": " + r.stderr());
      assertEquals(
          registry,
          Files.readString(classes).contains(" dev.umoci.registry.HttpClientWarmUp "),
          String.join(" ", args));
    }
  }

  /**
   * On Java 17 a pull whose layer comes in parallel range requests ({@code BlobFetch}'s parts)
   * loads none of umoci's classes from the jar: the CDS training pulls in parts too, so the classes
   * and lambdas of that path are in umoci-copy.jsa (before, 48 classes of it were loaded, verified
   * or spun at the start of the transfer). Nor does the push before it, lambdas aside (see the
   * registry package: a push still links a few on several threads at once): the copy archive's
   * training pulls its source image instead of building it, and pushes that.
   */
  @Test
  void aPullInRangePartsTakesUmocisClassesFromTheArchive() throws Exception {
    Interop.requireTool(TestRegistry.REGISTRY);
    try (TestRegistry registry = TestRegistry.plain(tmp.resolve("registry"))) {
      Path layout = Files.createTempDirectory(tmp, "layout").resolve("l");
      Path content = Files.createDirectories(tmp.resolve("content"));
      byte[] random = new byte[256 << 10];
      new Random(17).nextBytes(random);
      Files.write(content.resolve("random.bin"), random);
      Map<String, String> env = Map.of("JAVA_HOME", oldJdk().toString());
      String image = layout + ":a";
      String remote = "docker://" + registry.host() + "/parts/app:1";
      for (String[] args :
          new String[][] {
            {"init", "--layout", layout.toString()},
            {"new", "--image", image},
            {"insert", "--image", image, content.toString(), "/data"},
          }) {
        Run r = run(LAUNCHER, env, args);
        assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.stderr());
      }
      Path pushed = Files.createTempFile(tmp, "pushed", ".log");
      Run push =
          run(
              LAUNCHER,
              onOldJdkLoggingClasses(pushed, ""),
              "copy",
              "--dest-tls-verify=false",
              "oci:" + image,
              remote);
      assertEquals(0, push.exit(), push.stderr());
      assertEquals(
          List.of(),
          Files.readAllLines(pushed).stream()
              .filter(l -> l.contains("] dev.umoci.") && !l.contains("source: shared objects file"))
              .filter(l -> !l.contains("$$Lambda"))
              .toList());
      Path classes = Files.createTempFile(tmp, "classes", ".log");
      Map<String, String> logging =
          onOldJdkLoggingClasses(
              classes, "-Dumoci.registry.rangePart=32768 -Dumoci.layout.writeOutWindow=16384");
      Run pull =
          run(LAUNCHER, logging, "copy", "--src-tls-verify=false", remote, "oci:" + tmp + "/p:a");
      assertEquals(0, pull.exit(), pull.stderr());
      List<String> loaded = Files.readAllLines(classes);
      assertTrue(
          loaded.stream()
              .anyMatch(l -> l.contains(" dev.umoci.registry.PartProgress source: shared objects")),
          "the layer was not fetched in parts, or PartProgress not from the archive");
      assertTrue(
          loaded.stream()
              .anyMatch(
                  l -> l.contains(" dev.umoci.oci.layout.EarlyWriteOut$DataSync source: shared")),
          "the layer was not synced in the background, or DataSync not from the archive");
      List<String> fromTheJar =
          loaded.stream()
              .filter(l -> l.contains("] dev.umoci.") && !l.contains("source: shared objects file"))
              .toList();
      assertEquals(List.of(), fromTheJar);
    }
  }

  /**
   * picocli registers no converter of a java.sql, java.time or java.nio.file type: Main excludes
   * them (no option has such a type; paths have our own converter), so their classes stay unloaded.
   */
  @Test
  void picocliLoadsNoConverterClassesOfTypesNoOptionHas() throws Exception {
    String classes = lsLoggingClasses(LAUNCHER, oldJdk(), "");
    for (String type : List.of("java.time.MonthDay", "java.time.Period", "java.sql.Timestamp")) {
      assertFalse(classes.contains(" " + type + " "), type + " was loaded");
    }
  }

  /**
   * Without JAVA_HOME the launcher finds java on PATH by itself and reads the Java version from the
   * JDK its symbolic links lead to (as Debian's /usr/bin/java does through /etc/alternatives); a
   * launcher reached through a symbolic link finds the jar beside its target. Both still start from
   * the archive or cache the version asks for.
   */
  @Test
  void throughSymbolicLinksAndPathTheLauncherStillFindsItsJarAndTheJdksVersion() throws Exception {
    Path bin = Files.createDirectory(tmp.resolve("bin"));
    Path linked = Files.createSymbolicLink(bin.resolve("umoci"), LAUNCHER);
    Path javaDir = Files.createDirectory(tmp.resolve("java-bin"));
    Map<Path, String> expected = new java.util.LinkedHashMap<>();
    expected.put(oldJdk(), "-XX:SharedArchiveFile=");
    if (Files.isExecutable(JDK25.resolve("bin/java"))) {
      expected.put(JDK25, "-XX:AOTCache=");
    }
    for (Map.Entry<Path, String> e : expected.entrySet()) {
      Path java = javaDir.resolve("java");
      Files.deleteIfExists(java);
      Path alternative =
          Files.createSymbolicLink(
              tmp.resolve("alt-" + e.getKey().getFileName()), e.getKey().resolve("bin/java"));
      Files.createSymbolicLink(java, alternative);
      Map<String, String> env =
          Map.of(
              "JAVA_HOME",
              "",
              "PATH",
              javaDir + ":/usr/bin:/bin",
              "UMOCI_JAVA_OPTS",
              "-XX:+PrintCommandLineFlags");
      Run r = run(linked, env, "ls", "--help");
      assertEquals(0, r.exit(), e.getKey() + ": " + r.stderr());
      assertTrue(
          r.stdout().contains(e.getValue()), e.getKey() + ": no " + e.getValue() + r.stdout());
    }
  }

  @Test
  void onJava25PicocliComesFromTheAotCache() throws Exception {
    requireJdk25();
    // picocli's own jar has class-file version 49: Java 24+ leaves such classes out of the cache
    // once the training run has linked them, and then loads them from the jar on every start.
    String classes = lsLoggingClasses(LAUNCHER, JDK25, "");
    assertTrue(
        classes.contains("picocli.CommandLine source: shared objects file"),
        "picocli.CommandLine did not come from the AOT cache");
    List<String> fromJar =
        classes
            .lines()
            .filter(l -> l.contains("] picocli.") && !l.contains("source: shared objects file"))
            .toList();
    assertEquals(List.of(), fromJar, "picocli classes loaded from the jar, not the AOT cache");
  }

  /** The class-file major version of each {@code picocli/*.class} entry of {@code jar}. */
  private static Map<String, Integer> picocliClassVersions(Path jar) throws IOException {
    Map<String, Integer> versions = new TreeMap<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry e : Collections.list(zip.entries())) {
        if (e.getName().startsWith("picocli/") && e.getName().endsWith(".class")) {
          try (DataInputStream in = new DataInputStream(zip.getInputStream(e))) {
            in.readInt(); // magic
            in.readUnsignedShort(); // minor
            versions.put(e.getName(), in.readUnsignedShort());
          }
        }
      }
    }
    return versions;
  }

  @Test
  void theJarHoldsEveryPicocliClassRecompiledToAVersionTheAotCacheKeeps() throws Exception {
    Path picocliJar =
        Path.of(
            picocli.CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Map<String, Integer> original = picocliClassVersions(picocliJar);
    Map<String, Integer> packaged = picocliClassVersions(JAR);
    assertEquals(original.keySet(), packaged.keySet(), "picocli classes of " + picocliJar);
    // 50 is the first version verified with stack maps, and so when the cache is made
    List<String> old =
        packaged.entrySet().stream().filter(e -> e.getValue() < 50).map(e -> e.getKey()).toList();
    assertEquals(List.of(), old, "picocli classes with a class-file version below 50");
  }

  @Test
  void jnaLoadsItsNativeLibraryFromBesideTheJarWhenItIsFresh() throws Exception {
    Path lib = JAR.resolveSibling("umoci-native").resolve("libjnidispatch.so");
    assertTrue(Files.isRegularFile(lib), "the build made no " + lib);
    String layout = Files.createTempDirectory(tmp, "layout").resolve("l").toString();
    assertEquals(0, run(LAUNCHER, Map.of(), "init", "--layout", layout).exit());
    Map<String, String> debug =
        Map.of("UMOCI_JAVA_OPTS", "-Djna.debug_load=true -Djna.debug_load.jna=true");
    Run r = run(LAUNCHER, debug, "ls", "--layout", layout);
    assertEquals(0, r.exit());
    String found = "Found jnidispatch at ";
    List<Path> loaded =
        r.stderr()
            .lines()
            .filter(l -> l.contains(found))
            .map(l -> Path.of(l.substring(l.indexOf(found) + found.length()).strip()))
            .toList();
    assertEquals(1, loaded.size(), r.stderr());
    assertTrue(Files.isSameFile(lib, loaded.get(0)), "JNA loaded " + loaded + ", not " + lib);
    assertTrue(!r.stderr().contains("Extracting library"), r.stderr());

    // A copy older than the jar is not used: JNA extracts its own, and the command still works.
    Path launcher = install("stale-jna", null);
    Path stale = Files.createDirectory(launcher.resolveSibling("umoci-native"));
    Files.copy(lib, stale.resolve("libjnidispatch.so"));
    Files.setLastModifiedTime(stale.resolve("libjnidispatch.so"), FileTime.fromMillis(0));
    Run fallback = run(launcher, debug, "ls", "--layout", layout);
    assertEquals(0, fallback.exit(), fallback.stderr());
    assertTrue(fallback.stderr().contains("Extracting library"), fallback.stderr());
  }

  @Test
  void reflectionUsesNativeAccessorsOnJava25AndJava17IsUnchanged() throws Exception {
    requireJdk25();
    String layout = Files.createTempDirectory(tmp, "layout").resolve("l").toString();
    assertEquals(0, run(LAUNCHER, Map.of(), "init", "--layout", layout).exit());
    String property = "jdk.reflect.useNativeAccessorOnly = true";
    for (Path jdk : List.of(JDK25, oldJdk())) {
      Run r =
          run(
              LAUNCHER,
              Map.of("JAVA_HOME", jdk.toString(), "UMOCI_JAVA_OPTS", "-XshowSettings:properties"),
              "ls",
              "--layout",
              layout);
      assertEquals(0, r.exit(), r.stderr());
      assertEquals(jdk.equals(JDK25), r.stderr().contains(property), jdk + ":\n" + r.stderr());
    }
  }

  /**
   * On Java 24+, the small commands run with C1's thresholds raised ten times (the compiler thread
   * spent as much CPU as the command); the long commands and Java 17 keep their flags.
   */
  @Test
  void onlySmallCommandsOnJava25RaiseTheCompileThresholds() throws Exception {
    requireJdk25();
    String layout = Files.createTempDirectory(tmp, "layout").resolve("l").toString();
    assertEquals(0, run(LAUNCHER, Map.of(), "init", "--layout", layout).exit());
    String flag = "-XX:CompileThresholdScaling=10";
    for (Path jdk : List.of(JDK25, oldJdk())) {
      Map<String, String> env =
          Map.of("JAVA_HOME", jdk.toString(), "UMOCI_JAVA_OPTS", "-XX:+PrintCommandLineFlags");
      for (String[] args :
          new String[][] {
            {"ls", "--layout", layout},
            {"stat", "--image", layout + ":none"},
            {"gc", "--layout", layout},
            // fails (no such image), after the JVM has printed its flags
            {"unpack", "--image", layout + ":none", tmp.resolve("bundle").toString()}
          }) {
        Run r = run(LAUNCHER, env, args);
        boolean small = !args[0].equals("unpack");
        assertEquals(
            jdk.equals(JDK25) && small,
            r.stdout().contains(flag),
            jdk + " " + String.join(" ", args) + ":\n" + r.stdout());
      }
    }
  }

  /**
   * copy runs with C1's thresholds raised three times, on Java 17 and (when installed) 25; another
   * long command (unpack) keeps the defaults, and a small one on Java 17 too.
   */
  @Test
  void copyRaisesTheCompileThresholdsThreefold() throws Exception {
    String layout = Files.createTempDirectory(tmp, "layout").resolve("l").toString();
    assertEquals(0, run(LAUNCHER, Map.of(), "init", "--layout", layout).exit());
    List<Path> jdks = new java.util.ArrayList<>(List.of(oldJdk()));
    if (Files.isExecutable(JDK25.resolve("bin/java"))) {
      jdks.add(JDK25);
    }
    for (Path jdk : jdks) {
      Map<String, String> env =
          Map.of("JAVA_HOME", jdk.toString(), "UMOCI_JAVA_OPTS", "-XX:+PrintCommandLineFlags");
      // each fails (no such image), after the JVM has printed its flags
      Run copy = run(LAUNCHER, env, "copy", "oci:" + layout + ":none", "oci:" + layout + ":other");
      assertTrue(
          copy.stdout().contains("-XX:CompileThresholdScaling=3"),
          jdk + " copy:\n" + copy.stdout());
      Run unpack =
          run(
              LAUNCHER,
              env,
              "unpack",
              "--image",
              layout + ":none",
              tmp.resolve("bundle").toString());
      assertFalse(
          unpack.stdout().contains("-XX:CompileThresholdScaling="),
          jdk + " unpack:\n" + unpack.stdout());
      if (!jdk.equals(JDK25)) {
        Run ls = run(LAUNCHER, env, "ls", "--layout", layout);
        assertFalse(
            ls.stdout().contains("-XX:CompileThresholdScaling="), jdk + " ls:\n" + ls.stdout());
      }
    }
  }

  /** The JDKs to run the launcher on: one older than 24, and Java 25 when it is installed. */
  private static List<Path> jdks() {
    List<Path> jdks = new ArrayList<>(List.of(oldJdk()));
    if (Files.isExecutable(JDK25.resolve("bin/java"))) {
      jdks.add(JDK25);
    }
    return jdks;
  }

  /**
   * Java 17-23 start the CLI by its class name with the jar manifest's Add-Opens given as an option
   * (so the launcher reads no manifest before main), Java 24+ with -jar (an option that opens a
   * package keeps the AOT cache out); on both, the manifest's packages are open to the CLI and its
   * class is the manifest's Main-Class.
   */
  @Test
  void theCliStartsByClassNameBefore24AndFromTheJarAfterWithTheManifestsOpens() throws Exception {
    String mainClass;
    String opens;
    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(JAR.toFile())) {
      java.util.jar.Attributes attributes = jar.getManifest().getMainAttributes();
      mainClass = attributes.getValue("Main-Class");
      opens = attributes.getValue("Add-Opens");
    }
    assertEquals(Main.class.getName(), mainClass);
    assertTrue(opens != null && !opens.isBlank(), "the manifest opens no package");
    String layout = Files.createTempDirectory(tmp, "layout").resolve("l").toString();
    assertEquals(0, run(LAUNCHER, Map.of(), "init", "--layout", layout).exit());
    for (Path jdk : jdks()) {
      Map<String, String> env =
          Map.of(
              "JAVA_HOME",
              jdk.toString(),
              "UMOCI_JAVA_OPTS",
              "-XshowSettings:properties -Xlog:module=debug");
      Run r = run(LAUNCHER, env, "ls", "--layout", layout);
      assertEquals(0, r.exit(), jdk + ": " + r.stderr());
      boolean byName = r.stderr().contains("sun.java.command = " + mainClass + " ls --layout ");
      boolean fromJar = r.stderr().contains("umoci.jar ls --layout ");
      boolean old = jdk.equals(oldJdk());
      assertEquals(old, byName, jdk + ":\n" + r.stderr());
      assertEquals(!old, fromJar, jdk + ":\n" + r.stderr());
      for (String opened : opens.trim().split("\\s+")) {
        String module = opened.substring(0, opened.indexOf('/'));
        String pkg = opened.substring(opened.indexOf('/') + 1).replace('.', '/');
        assertTrue(
            r.stdout()
                .contains(
                    "package "
                        + pkg
                        + " in module "
                        + module
                        + " is exported to all unnamed modules"),
            jdk + ": " + opened + " is not open:\n" + r.stdout());
      }
    }
  }

  /**
   * copy and insert ask for transparent huge pages for the Java heap exactly when the kernel gives
   * them on request (mode madvise; in other modes the JVM would warn or gain nothing); other
   * commands never do.
   */
  @Test
  void copyAndInsertUseTransparentHugePagesWhenTheKernelGivesThemOnRequest() throws Exception {
    Path mode = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
    boolean madvise = Files.isReadable(mode) && Files.readString(mode).contains("[madvise]");
    String layout = Files.createTempDirectory(tmp, "layout").resolve("l").toString();
    assertEquals(0, run(LAUNCHER, Map.of(), "init", "--layout", layout).exit());
    String flag = "-XX:+UseTransparentHugePages";
    for (Path jdk : jdks()) {
      Map<String, String> env =
          Map.of("JAVA_HOME", jdk.toString(), "UMOCI_JAVA_OPTS", "-XX:+PrintCommandLineFlags");
      // each fails (no such image), after the JVM has printed its flags
      for (String[] args :
          new String[][] {
            {"copy", "oci:" + layout + ":none", "oci:" + layout + ":other"},
            {"insert", "--image", layout + ":none", layout, "/x"},
            {"unpack", "--image", layout + ":none", tmp.resolve("bundle").toString()},
            {"ls", "--layout", layout}
          }) {
        Run r = run(LAUNCHER, env, args);
        boolean wanted = madvise && (args[0].equals("copy") || args[0].equals("insert"));
        assertEquals(wanted, r.stdout().contains(flag), jdk + " " + args[0] + ":\n" + r.stdout());
        assertFalse(r.stderr().contains("warning"), jdk + " " + args[0] + ":\n" + r.stderr());
      }
    }
  }

  /**
   * The AOT cache {@code launcher} opens on Java 25 for {@code args} (its file name), or null when
   * it opens none; the command must succeed.
   */
  private String aotCacheOpened(Path launcher, String... args) throws Exception {
    Path aotLog = Files.createTempFile(tmp, "aot", ".log");
    Map<String, String> env =
        Map.of("JAVA_HOME", JDK25.toString(), "UMOCI_JAVA_OPTS", "-Xlog:aot=info:file=" + aotLog);
    Run r = run(launcher, env, args);
    assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.stderr());
    String what = "Opened AOT cache ";
    return Files.readString(aotLog)
        .lines()
        .filter(l -> l.contains(what))
        .map(l -> Path.of(l.substring(l.indexOf(what) + what.length()).replaceAll("\\.$", "")))
        .map(p -> p.getFileName().toString())
        .findFirst()
        .orElse(null);
  }

  /**
   * On Java 25 the small commands (the ones that also get the raised compile thresholds) start from
   * umoci-small.aot, trained by those commands only; copy from umoci-copy.aot; every other command
   * from umoci.aot.
   */
  @Test
  void onJava25EachCommandUsesTheAotCacheOfItsSet() throws Exception {
    requireJdk25();
    String layout = Files.createTempDirectory(tmp, "layout").resolve("l").toString();
    Path tar = Files.write(tmp.resolve("empty.tar"), new byte[1024]);
    String[][] small = {
      {"init", "--layout", layout},
      {"new", "--image", layout + ":a"},
      {"config", "--image", layout + ":a", "--config.env", "A=1"},
      {"tag", "--image", layout + ":a", "b"},
      {"tag", "--image", layout + ":a", "c"},
      {"ls", "--layout", layout},
      {"list", "--layout", layout},
      {"stat", "--image", layout + ":a"},
      {"--log", "error", "stat", "--json", "--image", layout + ":a"},
      {"rm", "--image", layout + ":b"},
      {"remove", "--image", layout + ":c"},
      {"gc", "--layout", layout},
      {"help", "stat"},
      {"--help"},
      {"--version"},
    };
    for (String[] args : small) {
      assertEquals("umoci-small.aot", aotCacheOpened(LAUNCHER, args), String.join(" ", args));
    }
    String[][] large = {
      {"raw", "add-layer", "--image", layout + ":a", tar.toString()},
      {"insert", "--image", layout + ":a", tar.toString(), "/empty.tar"},
    };
    for (String[] args : large) {
      assertEquals("umoci.aot", aotCacheOpened(LAUNCHER, args), String.join(" ", args));
    }
    assertEquals(
        "umoci-copy.aot",
        aotCacheOpened(LAUNCHER, "copy", "oci:" + layout + ":a", "oci:" + layout + ":d"));
  }

  /**
   * A small command with umoci-small.aot missing, stale or corrupt runs without a cache (not from
   * umoci.aot) and says nothing; the other commands still use umoci.aot.
   */
  @Test
  void onJava25AMissingOrStaleSmallAotCacheMeansNoCacheAndNoError() throws Exception {
    requireJdk25();
    Map<String, String> env = Map.of("JAVA_HOME", JDK25.toString());
    Path launcher = install("small-aot", null);
    Path jar = launcher.resolveSibling("umoci.jar");
    FileTime fresh = FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5000);
    Path full = Files.copy(AOT_CACHE, launcher.resolveSibling("umoci.aot"));
    Files.setLastModifiedTime(full, fresh);
    String layout = Files.createTempDirectory(tmp, "layout").resolve("l").toString();
    assertEquals(0, run(launcher, env, "init", "--layout", layout).exit());
    assertEquals(0, run(launcher, env, "new", "--image", layout + ":a").exit());

    // missing
    worksQuietly(launcher, env);
    assertEquals(null, aotCacheOpened(launcher, "ls", "--layout", layout));
    Path three = Files.writeString(tmp.resolve("three"), "ab\n");
    assertEquals(
        "umoci.aot",
        aotCacheOpened(launcher, "insert", "--image", layout + ":a", three.toString(), "/t"));

    // older than the jar
    Path small = Files.copy(SMALL_AOT_CACHE, launcher.resolveSibling("umoci-small.aot"));
    Files.setLastModifiedTime(small, FileTime.fromMillis(0));
    worksQuietly(launcher, env);
    assertEquals(null, aotCacheOpened(launcher, "ls", "--layout", layout));

    // corrupt: the JVM is given it and ignores it silently
    Files.writeString(small, "not an AOT cache");
    Files.setLastModifiedTime(small, fresh);
    worksQuietly(launcher, env);

    // fresh: used (the copy of the jar is the same file content, so the cache matches it)
    Files.copy(SMALL_AOT_CACHE, small, StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(small, fresh);
    worksQuietly(launcher, env);
  }

  /** The training run refuses an unknown training set (exit 2) before it runs anything. */
  @Test
  void theTrainingRunRefusesAnUnknownSet() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(), "-cp", JAR.toString(), "dev.umoci.cds.CdsTraining", "large")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, p.waitFor(), out);
    assertTrue(out.contains("small, copy or layers"), out);
  }

  @Test
  void onJava25ACorruptOrStaleAotCacheIsIgnoredSilently() throws Exception {
    requireJdk25();
    Map<String, String> env = Map.of("JAVA_HOME", JDK25.toString());
    Path launcher = install("corrupt-aot", null);
    Path jar = launcher.resolveSibling("umoci.jar");
    String layout = Files.createTempDirectory(tmp, "layout").resolve("l").toString();
    Path tar = Files.write(tmp.resolve("empty.tar"), new byte[1024]);
    for (String name : List.of("umoci.aot", "umoci-small.aot", "umoci-copy.aot")) {
      Path aot = Files.writeString(launcher.resolveSibling(name), "not an AOT cache");
      Files.setLastModifiedTime(
          aot, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5000));
    }
    worksQuietly(launcher, env);
    assertEquals(new Run(0, "", ""), run(launcher, env, "init", "--layout", layout));
    assertEquals(new Run(0, "", ""), run(launcher, env, "new", "--image", layout + ":a"));
    assertEquals(new Run(0, "", ""), run(launcher, env, "gc", "--layout", layout));
    Run insert = run(launcher, env, "insert", "--image", layout + ":a", tar.toString(), "/t");
    assertEquals(0, insert.exit(), insert.stderr());
    for (String name : List.of("umoci.aot", "umoci-small.aot", "umoci-copy.aot")) {
      Path aot = launcher.resolveSibling(name);
      Files.copy(AOT_CACHE, aot, StandardCopyOption.REPLACE_EXISTING);
      Files.setLastModifiedTime(aot, FileTime.fromMillis(0));
    }
    worksQuietly(launcher, env);
    assertEquals(new Run(0, "", ""), run(launcher, env, "gc", "--layout", layout));
  }
}
