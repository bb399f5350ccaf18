package dev.umoci.ops;

import dev.umoci.layer.Compression;
import dev.umoci.layer.GenerateOptions;
import dev.umoci.oci.layout.AtomicFile;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.sys.PathBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.CodeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Which layer blob an earlier build wrote for the same inputs, so that a rebuild appends it instead
 * of writing the same tar and gzip again (a Maven project's dependency layer, rebuilt after one of
 * its classes changed).
 *
 * <p>Contract: {@link #key} names a layer's inputs; a layer gets a key only when every entry's
 * source is a regular file (a directory tree is always generated). The key is the SHA-256 of: the
 * engine's own code (the jar's identity, so a new engine writes its layers anew), the resolved
 * compression, the {@link GenerateOptions} (owner, time clamp, id maps), and for each entry in
 * order its target path, its source path as bytes and the source's identity: device, inode, size,
 * mode, owner, modification and change times in nanoseconds. Every write to a file, and every
 * change of its mode, owner or extended attributes, moves its change time, which no program can set
 * back; so equal keys mean the same tar bytes. File times come from the kernel's coarse clock
 * (milliseconds), so a file changed twice within one tick could keep its times: a layer with a
 * source that changed less than {@link #RACY_WINDOW} ago gets no key (git's "racily clean" rule).
 * {@link #lookup} gives the recorded layer only while the target layout still holds its blob with
 * the recorded size.
 *
 * <p>Records are small JSON files in the cache directory (the Maven plugin's {@code
 * target/umoci-build/layers}), each replaced atomically ({@link AtomicFile}), so concurrent builds
 * see whole records; a missing or unreadable record only means the layer is generated again.
 */
final class LayerCache {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LayerCache.class);
  private static final String ATTRIBUTES = "unix:dev,ino,size,mode,uid,gid,lastModifiedTime,ctime";

  /** One record: the layer's blob descriptor and its DiffID. */
  record Recorded(Descriptor layer, Digest diffId) {}

  /** How long ago a source must have last changed for its layer to be cached. */
  static final Duration RACY_WINDOW = Duration.ofSeconds(2);

  private final Path directory;
  private final Duration racyWindow;

  LayerCache(Path directory) {
    this(directory, RACY_WINDOW);
  }

  /**
   * A cache whose sources must have last changed more than {@code racyWindow} ago; zero turns the
   * check off (tests of the key that change files faster than the kernel's clock ticks).
   */
  LayerCache(Path directory, Duration racyWindow) {
    this.directory = directory;
    this.racyWindow = racyWindow;
  }

  /**
   * The key of {@code layer} generated with {@code generate} and compressed with {@code
   * compression}, or null when the layer cannot be cached (an entry's source is not a regular file,
   * or its identity cannot be read).
   */
  String key(BuildImage.Layer layer, GenerateOptions generate, Compression compression) {
    long settled = Instant.now().minus(racyWindow).toEpochMilli() * 1_000_000L;
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    try {
      line(text, "umoci layer cache 1");
      line(text, "engine " + engineIdentity());
      line(text, "compression " + compression.flagName());
      line(text, "generate " + generate);
      for (BuildImage.Entry entry : layer.entries()) {
        Path source = entry.source();
        if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
          return null;
        }
        Map<String, Object> a = Files.readAttributes(source, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        if (!racyWindow.isZero()
            && (nanos(a.get("ctime")) >= settled || nanos(a.get("lastModifiedTime")) >= settled)) {
          LOG.debug("layer {} is not cached: {} changed just now", layer.createdBy(), source);
          return null;
        }
        line(text, "target " + entry.target());
        text.write(PathBytes.of(source.toAbsolutePath()));
        text.write('\n');
        line(
            text,
            a.get("dev")
                + " "
                + a.get("ino")
                + " "
                + a.get("size")
                + " "
                + a.get("mode")
                + " "
                + a.get("uid")
                + ":"
                + a.get("gid")
                + " "
                + nanos(a.get("lastModifiedTime"))
                + " "
                + nanos(a.get("ctime")));
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      LOG.debug("layer {} is not cached: {}", layer.createdBy(), e.toString());
      return null;
    }
    return Digest.sha256(text.toByteArray()).hex();
  }

  /**
   * The layer recorded under {@code key}, when {@code target} still holds its blob with the
   * recorded size; else null.
   */
  Recorded lookup(String key, OciLayout target) {
    Path record = directory.resolve(key);
    try {
      if (!Files.isRegularFile(record)) {
        return null;
      }
      Recorded r = LayerCacheRecord.decode(Files.readAllBytes(record), "layer cache " + record);
      if (r == null
          || r.layer() == null
          || r.diffId() == null
          || !target.hasBlob(r.layer().digest())) {
        return null;
      }
      if (Files.size(target.blobPath(r.layer().digest())) != r.layer().size()) {
        return null;
      }
      return r;
    } catch (IOException | RuntimeException e) {
      LOG.debug("layer cache record {} not used: {}", record, e.toString());
      return null;
    }
  }

  /** Records that {@code key} gave {@code layer}; failing to is not an error. */
  void store(String key, Descriptor layer, Digest diffId) {
    try {
      Files.createDirectories(directory);
      AtomicFile.replace(
          directory.resolve(key),
          LayerCacheRecord.encode(layer, diffId),
          directory,
          ".record-",
          temp -> {});
    } catch (IOException | RuntimeException e) {
      LOG.debug("layer {} not recorded in {}: {}", layer.digest(), directory, e.toString());
    }
  }

  private static void line(ByteArrayOutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.UTF_8));
    out.write('\n');
  }

  private static long nanos(Object fileTime) {
    return ((FileTime) fileTime).to(TimeUnit.NANOSECONDS);
  }

  /** Size and modification time of the jar (or directory) the engine's classes come from. */
  private static String engineIdentity() throws IOException {
    CodeSource source = LayerCache.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return "unknown";
    }
    try {
      Path location = Path.of(source.getLocation().toURI());
      return location
          + " "
          + Files.size(location)
          + " "
          + Files.getLastModifiedTime(location).to(TimeUnit.NANOSECONDS);
    } catch (URISyntaxException | IllegalArgumentException e) {
      return source.getLocation().toString();
    }
  }
}
