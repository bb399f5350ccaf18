package dev.umoci.mtree;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Builds small layer tars in tests. Names are raw bytes given as ISO-8859-1 strings (each char one
 * byte), so tests can use names that are not UTF-8.
 */
final class TestTar {
  static final Instant MTIME = Instant.ofEpochSecond(1_700_000_000L);

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;

  TestTar() {
    tar = new TarArchiveOutputStream(bytes, "ISO-8859-1");
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
  }

  static String raw(byte... b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  static String utf8(String s) {
    return raw(s.getBytes(StandardCharsets.UTF_8));
  }

  TestTar dir(String name, int mode, int uid, int gid, Map<String, String> xattrs)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
    e.setMode(040000 | mode);
    return put(e, uid, gid, xattrs, null);
  }

  TestTar dir(String name) throws IOException {
    return dir(name, 0755, 0, 0, Map.of());
  }

  TestTar file(String name, String content, int mode, int uid, int gid, Map<String, String> xattrs)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    e.setMode(0100000 | mode);
    e.setSize(data.length);
    return put(e, uid, gid, xattrs, data);
  }

  TestTar file(String name, String content) throws IOException {
    return file(name, content, 0644, 0, 0, Map.of());
  }

  TestTar symlink(String name, String target) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
    e.setLinkName(target);
    e.setMode(0120777);
    return put(e, 0, 0, Map.of(), null);
  }

  TestTar hardlink(String name, String target) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
    e.setLinkName(target);
    e.setMode(0100644);
    return put(e, 0, 0, Map.of(), null);
  }

  TestTar fifo(String name) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_FIFO);
    e.setMode(0010644);
    return put(e, 0, 0, Map.of(), null);
  }

  TestTar charDevice(String name, int major, int minor) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_CHR);
    e.setMode(0020666);
    e.setDevMajor(major);
    e.setDevMinor(minor);
    return put(e, 0, 0, Map.of(), null);
  }

  private TestTar put(TarArchiveEntry e, int uid, int gid, Map<String, String> xattrs, byte[] data)
      throws IOException {
    e.setUserId(uid);
    e.setGroupId(gid);
    e.setModTime(MTIME.toEpochMilli());
    xattrs.forEach((k, v) -> e.addPaxHeader("SCHILY.xattr." + k, v));
    tar.putArchiveEntry(e);
    if (data != null) {
      tar.write(data);
    }
    tar.closeArchiveEntry();
    return this;
  }

  byte[] finish() throws IOException {
    tar.finish();
    tar.close();
    return bytes.toByteArray();
  }
}
