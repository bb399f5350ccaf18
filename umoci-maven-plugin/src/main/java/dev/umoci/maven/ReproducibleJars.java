package dev.umoci.maven;

import dev.umoci.maven.jar.JarNormalizer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.zip.ZipException;
import org.apache.maven.plugin.logging.Log;

/**
 * The jars {@code build} puts into an image as the build made them rather than as a repository
 * serves them (the project's artifact and its SNAPSHOT dependencies), rewritten by {@link
 * JarNormalizer} into one directory with every entry timed {@code time}, so that their bytes depend
 * on their content only, not on when or with which jar plugin they were built. A file that is not a
 * zip is used as it is, with a warning.
 */
final class ReproducibleJars {
  private final Path directory;
  private final Instant time;
  private final Log log;

  /**
   * @param directory where the copies go ({@code target/umoci-build})
   * @param time every entry's time
   */
  ReproducibleJars(Path directory, Instant time, Log log) {
    this.directory = directory;
    this.time = time;
    this.log = log;
  }

  /**
   * The normalised copy of {@code jar} at {@code name} (a relative path) in the directory, or
   * {@code jar} itself when it is not a zip.
   */
  Path copy(Path jar, String name) throws IOException {
    Path out = directory.resolve(name);
    try {
      JarNormalizer.normalize(jar, out, time);
      log.debug("Normalised " + jar + " into " + out + " (sorted entries, fixed times)");
      return out;
    } catch (ZipException notZip) {
      log.warn(
          jar
              + " is not a zip file, so it is added as built: the image is reproducible only if"
              + " the plugin that made it is ("
              + notZip.getMessage()
              + ")");
      return jar;
    }
  }
}
