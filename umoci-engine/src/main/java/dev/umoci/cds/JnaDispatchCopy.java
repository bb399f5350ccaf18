package dev.umoci.cds;

import dev.umoci.sys.JnaDispatchLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Copies JNA's native library for this platform out of the CLI jar into a directory beside it, so
 * that {@code bin/umoci} can pass {@code -Djna.boot.library.path} and JNA loads it from there
 * instead of extracting it into a new temporary file on every start. The engine's build runs it
 * from the shaded jar:
 *
 * <pre>java -cp umoci.jar dev.umoci.cds.JnaDispatchCopy DIRECTORY</pre>
 *
 * The copy is written under a temporary name and renamed into place. When the jar has no library
 * for this platform, any earlier copy is removed, a line says so and the exit status is 0: JNA then
 * extracts (or fails) at run time as it would without the copy.
 */
public final class JnaDispatchCopy {
  private JnaDispatchCopy() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: JnaDispatchCopy DIRECTORY");
      System.exit(2);
    }
    Path dir = Path.of(args[0]).toAbsolutePath();
    Path out = dir.resolve(JnaDispatchLibrary.fileName());
    String resource = JnaDispatchLibrary.resourceName();
    try (InputStream in = JnaDispatchCopy.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        Files.deleteIfExists(out);
        System.out.println("umoci JNA library: no " + resource + " in the jar; not copied");
        return;
      }
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, out.getFileName().toString(), ".tmp");
      try {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    System.out.println("umoci JNA library: " + out);
  }
}
