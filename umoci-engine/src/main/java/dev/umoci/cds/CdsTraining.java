package dev.umoci.cds;

import dev.umoci.bundle.DigestCache;
import dev.umoci.cli.Main;
import dev.umoci.layer.TarEntry;
import dev.umoci.layer.TarWriter;
import dev.umoci.sys.ProcessArguments;
import dev.umoci.sys.TreeRemover;
import dev.umoci.sys.Tty;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The training run for the CLI's class-data-sharing archives and AOT caches. The build runs it once
 * per {@link TrainingSet} in a JVM started with {@code -XX:DumpLoadedClassList} (then dumps the
 * listed classes into a static archive) or, on Java 24+, with {@code -XX:AOTCacheOutput}, so the
 * archive holds the classes that umoci's everyday commands load; {@code bin/umoci} then starts from
 * that archive. It drives {@link Main#run} through the commands on a throwaway layout in a
 * temporary directory and exits non-zero if a command fails, which also makes it a smoke test of
 * the packaged jar.
 *
 * <p>The one argument names the {@link TrainingSet}: {@code small} runs only the small commands
 * (for {@code bin/umoci}'s small-command AOT cache and CDS archive), {@code copy} only {@code copy}
 * (for those of {@code copy}), {@code layers} the small commands and the layer commands (for those
 * of every other command).
 *
 * <p>Commands that need more than the build has (an unpacked bundle, root) are tried only when the
 * CLI has them, and their failure is reported but not fatal.
 */
public final class CdsTraining {
  /** The system property of {@link dev.umoci.registry.RegistryOptions}' smallest range part. */
  private static final String RANGE_PART = "umoci.registry.rangePart";

  /** The system property of the blob writers' write-out window (oci.layout's EarlyWriteOut). */
  private static final String WRITE_OUT_WINDOW = "umoci.layout.writeOutWindow";

  private CdsTraining() {}

  /**
   * Runs the commands of the training set its one argument names ({@code small}, {@code copy} or
   * {@code layers}, {@link TrainingSet}) and exits 1 when a required command failed, 2 for a wrong
   * argument.
   */
  public static void main(String[] args) throws IOException {
    TrainingSet set;
    try {
      set = TrainingSet.fromArguments(args);
    } catch (IllegalArgumentException e) {
      System.err.println("umoci CDS training: " + e.getMessage());
      System.exit(2);
      return;
    }
    Path dir = Files.createTempDirectory("umoci-cds-training");
    PrintStream quiet =
        new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    List<String> failures = new ArrayList<>();
    try {
      // Main.main asks whether standard error is a terminal (Tty): its classes go into the archive.
      Tty.isTerminal(2);
      if (set == TrainingSet.COPY) {
        trainCopyAlone(dir, quiet, failures);
      } else {
        trainCommands(set, dir, quiet, failures);
      }
    } finally {
      deleteTree(dir);
    }
    if (!failures.isEmpty()) {
      System.err.println("umoci CDS training: commands failed: " + failures);
      System.exit(1);
    }
  }

  /**
   * The sets {@link TrainingSet#SMALL} and {@link TrainingSet#LAYERS}, on a new layout in {@code
   * dir}.
   */
  private static void trainCommands(
      TrainingSet set, Path dir, PrintStream quiet, List<String> failures) throws IOException {
    String layout = dir.resolve("layout").toString();
    String bundle = dir.resolve("bundle").toString();
    // the small set writes no tar: its cache should not hold the layer classes
    Path tar = set == TrainingSet.LAYERS ? writeLayerTar(dir.resolve("layer.tar")) : null;
    String image = layout + ":base";
    List<String[]> required = new ArrayList<>();
    required.add(new String[] {"init", "--layout", layout});
    required.add(new String[] {"new", "--image", image});
    if (set == TrainingSet.LAYERS) {
      required.add(
          new String[] {
            "raw", "add-layer", "--image", image, "--history.created_by", "t", tar.toString()
          });
    }
    required.add(
        new String[] {
          "config",
          "--image",
          image,
          "--config.env",
          "A=b",
          "--config.cmd",
          "sh",
          "--author",
          "training",
          "--config.label",
          "k=v",
          "--config.exposedports",
          "80/tcp"
        });
    required.add(new String[] {"tag", "--image", image, "second"});
    required.add(new String[] {"ls", "--layout", layout});
    required.add(new String[] {"list", "--layout", layout});
    required.add(new String[] {"stat", "--image", image});
    required.add(new String[] {"stat", "--json", "--image", image});
    required.add(new String[] {"rm", "--image", layout + ":second"});
    required.add(new String[] {"gc", "--layout", layout});
    required.add(new String[] {"ls", "--help"});
    required.add(new String[] {"help", "stat"});
    required.add(new String[] {"--help"});
    required.add(new String[] {"--version"});
    // As Main.main does: the first command then waits for it. Main.main also takes the
    // arguments' bytes from /proc/self/cmdline first; without this its class came from the jar.
    // The layer set warms up as a layer command does (libcrypto's binding too), so that its
    // archive holds those classes; the small set as for no command.
    ProcessArguments.recover(new String[] {"ls"});
    Main.warmUp(set == TrainingSet.LAYERS ? "unpack" : null);
    for (String[] command : required) {
      run(command, quiet, failures);
    }
    // Expected failures train the error paths.
    Main.run(new String[] {"stat", "--image", layout + ":missing"}, quiet, quiet, Map.of());
    Main.run(new String[] {"no-such-command"}, quiet, quiet, Map.of());
    if (set == TrainingSet.LAYERS) {
      String[][] optional = {
        {"unpack", "--rootless", "--image", layout + ":base", bundle},
        {"repack", "--image", layout + ":repacked", bundle},
        {"insert", "--image", layout + ":base", tar.toString(), "/layer.tar"},
      };
      for (String[] command : optional) {
        if (registered(command[0]) && Main.run(command, quiet, quiet, Map.of()) != 0) {
          System.err.println("umoci CDS training: optional command failed: " + command[0]);
        }
      }
      trainUncachedRepack(Path.of(bundle), layout, quiet);
    }
  }

  /**
   * The set {@link TrainingSet#COPY}: {@code copy} only. Its source image is pulled from a registry
   * that was handed it ({@link TrainingRegistry#seedImage}) instead of being built by {@code new}
   * and {@code raw add-layer}, so the archive holds no layer-writing classes; then copies both
   * ways, between two repositories and over HTTPS, its error path (an unknown tag) and its help.
   */
  private static void trainCopyAlone(Path dir, PrintStream quiet, List<String> failures)
      throws IOException {
    ProcessArguments.recover(new String[] {"copy"});
    Main.warmUp("copy");
    String layout = dir.resolve("layout").toString();
    try (TrainingRegistry seeded = TrainingRegistry.start()) {
      String source = "docker://" + seeded.seedImage("training/base", "1");
      run(
          new String[] {"copy", "--src-tls-verify=false", source, "oci:" + layout + ":base"},
          quiet,
          failures);
      String missing = "docker://" + seeded.host() + "/training/base:missing";
      Main.run(
          new String[] {"copy", "--src-tls-verify=false", missing, "oci:" + layout + ":missing"},
          quiet,
          quiet,
          Map.of());
    }
    trainCopy(layout, dir.resolve("pulled").toString(), quiet, failures);
    trainTlsCopy(dir, layout, quiet);
    run(new String[] {"copy", "--help"}, quiet, failures);
    Main.run(new String[] {"copy", "--no-such-option"}, quiet, quiet, Map.of());
  }

  /** Runs a required command: its failure fails the training. */
  private static void run(String[] command, PrintStream quiet, List<String> failures) {
    if (Main.run(command, quiet, quiet, Map.of()) != 0) {
      failures.add(String.join(" ", command));
    }
  }

  /**
   * {@code repack} of the bundle without its digest cache (as after {@code cp -a}, or a bundle Go
   * umoci unpacked), with a file changed and one added, so the archive holds the classes of the
   * uncached diff (the mtree index, the plain entry lines) and of the layer written from it.
   * Optional, like the repack before it: skipped when the bundle was not unpacked.
   */
  private static void trainUncachedRepack(Path bundle, String layout, PrintStream quiet) {
    Path rootfs = bundle.resolve("rootfs");
    if (!Files.isDirectory(rootfs)) {
      return;
    }
    try {
      Files.writeString(rootfs.resolve("etc/motd"), "changed\n");
      Files.write(rootfs.resolve("etc/added"), new byte[300 * 1024]);
      Files.deleteIfExists(bundle.resolve(DigestCache.FILE_NAME));
      String[] command = {"repack", "--image", layout + ":uncached", bundle.toString()};
      if (Main.run(command, quiet, quiet, Map.of()) != 0) {
        System.err.println("umoci CDS training: optional command failed: uncached repack");
      }
    } catch (IOException e) {
      System.err.println("umoci CDS training: no uncached repack: " + e.getMessage());
    }
  }

  /**
   * {@code copy} both ways and between two repositories (a mount) against an in-process registry on
   * plain HTTP, so the HTTP client, the registry classes and the TLS classes of the HTTPS probe
   * that {@code --tls-verify=false} makes first are archived too.
   */
  private static void trainCopy(
      String layout, String pulled, PrintStream quiet, List<String> failures) throws IOException {
    try (TrainingRegistry registry = TrainingRegistry.start()) {
      String remote = "docker://" + registry.host() + "/training/app:1";
      String[][] commands = {
        {"copy", "--dest-tls-verify=false", "oci:" + layout + ":base", remote},
        {"copy", "--src-tls-verify=false", remote, "oci:" + pulled + ":pulled"},
        {
          "copy",
          "--src-tls-verify=false",
          "--dest-tls-verify=false",
          remote,
          "docker://" + registry.host() + "/training/other:1"
        },
      };
      // Blobs of a few bytes split into parts like a real image's large layers, and written out
      // and synced in windows of a few bytes: the pull then trains the parallel range requests
      // (BlobFetch.inParts) and the background syncs of the blob writers too.
      Map<String, String> saved = setProperties(Map.of(RANGE_PART, "64", WRITE_OUT_WINDOW, "16"));
      try {
        for (String[] command : commands) {
          run(command, quiet, failures);
        }
      } finally {
        setProperties(saved);
      }
    }
  }

  /**
   * Sets each system property to its value (clears it for a null value) and returns the values they
   * had, null for those not set.
   */
  private static Map<String, String> setProperties(Map<String, String> values) {
    Map<String, String> before = new HashMap<>();
    values.forEach(
        (name, value) ->
            before.put(
                name,
                value == null ? System.clearProperty(name) : System.setProperty(name, value)));
    return before;
  }

  /**
   * {@code copy} both ways against an in-process registry on HTTPS, verified with {@code
   * --cert-dir} (as real registries are reached) and unverified, so the TLS client classes are
   * archived. Optional: without {@code keytool} the build goes on with a message.
   */
  private static void trainTlsCopy(Path dir, String layout, PrintStream quiet) {
    try {
      TrainingCertificate cert = TrainingCertificate.make(dir);
      try (TrainingRegistry registry = TrainingRegistry.startTls(cert.serverContext())) {
        String remote = "docker://" + registry.host() + "/training/tls:1";
        String certDir = cert.certDir().toString();
        String[][] commands = {
          {"copy", "--cert-dir", certDir, "oci:" + layout + ":base", remote},
          {"copy", "--cert-dir", certDir, remote, "oci:" + dir.resolve("tls") + ":pulled"},
          {"copy", "--src-tls-verify=false", remote, "oci:" + dir.resolve("tls") + ":unverified"},
        };
        for (String[] command : commands) {
          if (Main.run(command, quiet, quiet, Map.of()) != 0) {
            System.err.println("umoci CDS training: optional command failed: " + command[0]);
          }
        }
      }
    } catch (IOException e) {
      System.err.println("umoci CDS training: no TLS training: " + e.getMessage());
    }
  }

  private static boolean registered(String name) {
    return Main.hasCommand(name);
  }

  private static Path writeLayerTar(Path file) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarWriter tar = new TarWriter(bytes)) {
      tar.add(TarEntry.builder(TarEntry.Type.DIRECTORY, "etc/").mode(0755).build());
      byte[] content = "training\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
      tar.add(
          TarEntry.builder(TarEntry.Type.REGULAR, "etc/motd")
              .mode(0644)
              .size(content.length)
              .build(),
          new ByteArrayInputStream(content));
      tar.add(TarEntry.builder(TarEntry.Type.SYMLINK, "etc/link").linkName("motd").build());
      tar.finish();
    }
    return Files.write(file, bytes.toByteArray());
  }

  private static void deleteTree(Path dir) throws IOException {
    TreeRemover.direct().remove(dir);
  }
}
