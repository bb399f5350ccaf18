package dev.umoci.maven.jar;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites a jar (any zip) so that its bytes depend only on its entries' names and contents, not on
 * when or by whom it was built: what makes two builds of unchanged sources with an old
 * maven-jar-plugin (2.4, Maven 3.8.7's default) differ.
 *
 * <ul>
 *   <li>entries sorted by name, with {@code META-INF/} and {@code META-INF/MANIFEST.MF} first
 *       (where {@link java.util.jar.JarInputStream} looks for the manifest);
 *   <li>every entry's time set to one fixed time (DOS time, no extra fields, so no time zone
 *       enters), no comments;
 *   <li>the manifest without {@code Built-By} (the user name of the build);
 *   <li>{@code META-INF/maven/**}{@code /pom.properties} without its {@code #} comment lines (the
 *       old archiver writes the build date there);
 *   <li>stored entries stay stored (nested jars of executable jars must), others are deflated.
 * </ul>
 *
 * Class files and resources are copied byte for byte. The result is written to a temporary file and
 * renamed into place, unless the target already holds the same bytes: then it is left as it was,
 * file times included, so that an unchanged jar keeps the build's layer cache valid.
 */
public final class JarNormalizer {
  /** The earliest time a zip entry's DOS date can hold. */
  static final Instant DOS_EPOCH = Instant.parse("1980-01-01T00:00:02Z");

  private static final String MANIFEST = "META-INF/MANIFEST.MF";
  private static final String META_INF = "META-INF/";

  private JarNormalizer() {}

  /**
   * Writes the normalised form of {@code jar} to {@code out}, every entry timed {@code time} (times
   * before 1980, which a zip cannot hold, become 1980-01-01T00:00:02Z); an {@code out} with those
   * bytes already is not touched.
   */
  public static void normalize(Path jar, Path out, Instant time) throws IOException {
    LocalDateTime entryTime =
        LocalDateTime.ofInstant(time.isBefore(DOS_EPOCH) ? DOS_EPOCH : time, ZoneOffset.UTC);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Path temp = out.resolveSibling(out.getFileName() + ".tmp");
    try (ZipFile in = new ZipFile(jar.toFile());
        OutputStream file = Files.newOutputStream(temp);
        ZipOutputStream zip = new ZipOutputStream(file)) {
      List<? extends ZipEntry> entries = sorted(Collections.list(in.entries()));
      for (ZipEntry entry : entries) {
        byte[] data;
        try (InputStream body = in.getInputStream(entry)) {
          data = content(entry.getName(), body.readAllBytes());
        }
        ZipEntry copy = new ZipEntry(entry.getName());
        copy.setTimeLocal(entryTime);
        if (entry.getMethod() == ZipEntry.STORED || entry.isDirectory()) {
          CRC32 crc = new CRC32();
          crc.update(data);
          copy.setMethod(ZipEntry.STORED);
          copy.setSize(data.length);
          copy.setCompressedSize(data.length);
          copy.setCrc(crc.getValue());
        } else {
          copy.setMethod(ZipEntry.DEFLATED);
        }
        zip.putNextEntry(copy);
        zip.write(data);
        zip.closeEntry();
      }
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    if (Files.isRegularFile(out) && Files.mismatch(temp, out) == -1) {
      Files.delete(temp);
      return;
    }
    Files.move(temp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** {@code META-INF/}, then the manifest, then every other entry by name. */
  static List<? extends ZipEntry> sorted(List<? extends ZipEntry> entries) {
    List<? extends ZipEntry> out = new ArrayList<>(entries);
    out.sort(Comparator.comparingInt(JarNormalizer::rank).thenComparing(ZipEntry::getName));
    return out;
  }

  private static int rank(ZipEntry e) {
    return switch (e.getName()) {
      case META_INF -> 0;
      case MANIFEST -> 1;
      default -> 2;
    };
  }

  /**
   * The bytes the normalised jar holds for the entry {@code name} whose content is {@code data}.
   */
  static byte[] content(String name, byte[] data) {
    if (name.equals(MANIFEST)) {
      return withoutLines(data, line -> line.regionMatches(true, 0, "Built-By:", 0, 9));
    }
    if (name.startsWith("META-INF/maven/") && name.endsWith("/pom.properties")) {
      return withoutLines(data, line -> line.startsWith("#"));
    }
    return data;
  }

  /**
   * {@code data} without the lines {@code drop} matches; a dropped manifest header takes its
   * continuation lines (those starting with a space) with it. Line ends are kept as they were.
   */
  private static byte[] withoutLines(byte[] data, java.util.function.Predicate<String> drop) {
    String text = new String(data, StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
    boolean dropping = false;
    int start = 0;
    while (start < text.length()) {
      int end = start;
      while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
        end++;
      }
      int next = end;
      if (next < text.length() && text.charAt(next) == '\r') {
        next++;
      }
      if (next < text.length() && text.charAt(next) == '\n') {
        next++;
      }
      String line = text.substring(start, end);
      boolean continuation = line.startsWith(" ");
      dropping = continuation ? dropping : drop.test(line);
      if (!dropping) {
        out.writeBytes(text.substring(start, next).getBytes(StandardCharsets.UTF_8));
      }
      start = next;
    }
    return out.toByteArray();
  }
}
