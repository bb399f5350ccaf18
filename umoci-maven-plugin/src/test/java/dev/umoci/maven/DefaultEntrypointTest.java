package dev.umoci.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configured {@code <mainClass>} is used as given, and logged; one that neither the output
 * directory nor the project's jar holds (a typo) is warned about at build time, not met only when
 * the container starts.
 */
class DefaultEntrypointTest {
  @TempDir Path dir;

  /** Keeps what is logged at info and warn level. */
  static final class Captured extends SystemStreamLog {
    final List<String> info = new ArrayList<>();
    final List<String> warn = new ArrayList<>();

    @Override
    public void info(CharSequence content) {
      info.add(content.toString());
    }

    @Override
    public void warn(CharSequence content) {
      warn.add(content.toString());
    }
  }

  @Test
  void aConfiguredMainClassIsCheckedAgainstTheClassesAndTheJar() throws Exception {
    Path classes =
        Files.createDirectories(dir.resolve("classes/com/example")).getParent().getParent();
    Files.write(classes.resolve("com/example/App.class"), new byte[] {1});
    Path jar = dir.resolve("app.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out)) {
      j.putNextEntry(new JarEntry("com/example/InJar.class"));
      j.closeEntry();
    }
    for (String main : List.of("com.example.App", "com.example.InJar")) {
      Captured log = new Captured();
      List<String> entrypoint =
          new DefaultEntrypoint(main, null, null, classes, log)
              .entrypoint(jar.toFile(), "/app/app.jar", null);
      assertEquals(List.of("java", "-cp", "/app/app.jar", main), entrypoint);
      assertEquals(List.of("Main class " + main + " (<mainClass>)"), log.info);
      assertEquals(List.of(), log.warn);
    }
    Captured log = new Captured();
    new DefaultEntrypoint("com.example.Ap", null, null, classes, log)
        .entrypoint(jar.toFile(), "/app/app.jar", null);
    assertEquals(
        List.of(
            "<mainClass>com.example.Ap</mainClass>: not in "
                + classes
                + " or app.jar; unless a dependency or the base image provides it, the image will"
                + " not start"),
        log.warn);
  }

  @Test
  void aWarArtifactNeedsAnEntrypointOfItsOwn() throws Exception {
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Path war = dir.resolve("shop.war");
    try (OutputStream out = Files.newOutputStream(war);
        JarOutputStream j = new JarOutputStream(out)) {
      j.putNextEntry(new JarEntry("WEB-INF/classes/com/example/Shop.class"));
      j.closeEntry();
    }
    MojoFailureException e =
        assertThrows(
            MojoFailureException.class,
            () ->
                new DefaultEntrypoint("com.example.Shop", null, null, classes, new Captured())
                    .entrypoint(war.toFile(), "/app/shop.war", null));
    assertEquals(
        "<entrypoint/>: not set, and the default one (java -cp /app/shop.war:... <main class>)"
            + " cannot load classes from shop.war, which is not a jar (a WAR keeps them in"
            + " WEB-INF/classes); set <entrypoint>, for example java -jar /app/shop.war for an"
            + " executable WAR, or a servlet container's command on a base that has one",
        e.getMessage());
  }
}
