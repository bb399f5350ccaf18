package dev.umoci.maven.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainClassesTest {
  @TempDir Path dir;

  /** Compiles {@code sources} (class name -> source) into dir/classes with this JDK's javac. */
  private Path compile(Map<String, String> sources) throws IOException {
    Path src = dir.resolve("src");
    Path classes = dir.resolve("classes");
    Files.createDirectories(classes);
    List<String> arguments = new ArrayList<>(List.of("-d", classes.toString()));
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
      arguments.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertEquals(0, javac.run(null, null, null, arguments.toArray(String[]::new)));
    return classes;
  }

  @Test
  void findsOnlyPublicStaticVoidMainOfStringArray() throws IOException {
    Path classes =
        compile(
            Map.of(
                "a.App",
                "package a; public class App { public static void main(String[] args) {}"
                    + " static final long BIG = 1L << 40; static final double D = 2.5;"
                    + " Runnable r = () -> {}; }",
                "a.NotStatic",
                "package a; public class NotStatic { public void main(String[] args) {} }",
                "a.NotPublic",
                "package a; class NotPublic { static void main(String[] args) {} }",
                "a.OtherArgs",
                "package a; class OtherArgs { public static void main(String a, int b) {} }",
                "a.Returns",
                "package a; class Returns { public static int main(String[] a) { return 0; } }",
                "a.Outer",
                "package a; class Outer { static class Inner {"
                    + " public static void main(String... args) {} } }",
                "a.package-info",
                "package a;"));
    assertEquals(List.of("a.App", "a.Outer$Inner"), MainClasses.withMainMethod(classes));
  }

  @Test
  void missingDirectoryHasNoMainClass() throws IOException {
    assertEquals(List.of(), MainClasses.withMainMethod(dir.resolve("nothing")));
  }

  @Test
  void aFileThatIsNotAClassFileIsAnErrorNamingIt() throws IOException {
    Path classes = dir.resolve("classes");
    Files.createDirectories(classes);
    Files.write(classes.resolve("Broken.class"), new byte[] {(byte) 0xCA, (byte) 0xFE});
    IOException e = assertThrows(IOException.class, () -> MainClasses.withMainMethod(classes));
    assertTrue(e.getMessage().contains("Broken.class"), e.getMessage());
    Files.write(classes.resolve("Broken.class"), "not a class".getBytes(StandardCharsets.UTF_8));
    e = assertThrows(IOException.class, () -> MainClasses.withMainMethod(classes));
    assertTrue(e.getMessage().contains("not a class file"), e.getMessage());
  }

  @Test
  void manifestMainClass() throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    Path plain = dir.resolve("plain.jar");
    try (OutputStream out = Files.newOutputStream(plain);
        JarOutputStream jar = new JarOutputStream(out, manifest)) {
      jar.flush();
    }
    assertEquals(Optional.empty(), MainClasses.manifestMainClass(plain.toFile()));

    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "com.example.Main");
    Path runnable = dir.resolve("runnable.jar");
    try (OutputStream out = Files.newOutputStream(runnable);
        JarOutputStream jar = new JarOutputStream(out, manifest)) {
      jar.flush();
    }
    assertEquals(Optional.of("com.example.Main"), MainClasses.manifestMainClass(runnable.toFile()));
  }
}
