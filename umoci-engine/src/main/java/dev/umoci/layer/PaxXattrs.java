package dev.umoci.layer;

import dev.umoci.errors.InvalidImageException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extended attributes an entry's PAX records carry: {@code SCHILY.xattr.NAME} (raw value bytes,
 * as GNU tar and Go write them) and {@code LIBARCHIVE.xattr.NAME} (URL-encoded name, base64 value);
 * SCHILY wins when both name the same attribute. Records with an empty name or an empty value
 * (which PAX disallows) are ignored with a warning.
 */
final class PaxXattrs {
  private static final Logger LOG = LoggerFactory.getLogger(PaxXattrs.class);

  private PaxXattrs() {}

  /**
   * The attributes of {@code pax}, sorted by name.
   *
   * @param what names the entry for messages
   * @throws InvalidImageException for a bad URL escape or base64 value
   */
  static TreeMap<String, byte[]> decode(Map<String, byte[]> pax, String what)
      throws InvalidImageException {
    TreeMap<String, byte[]> xattrs = new TreeMap<>();
    if (pax.isEmpty()) {
      return xattrs;
    }
    for (Map.Entry<String, byte[]> rec : pax.entrySet()) {
      String key = rec.getKey();
      if (key.startsWith(PaxRecords.LIBARCHIVE_XATTR)) {
        String name = urlDecode(key.substring(PaxRecords.LIBARCHIVE_XATTR.length()), what);
        byte[] decoded;
        try {
          decoded = Base64.getDecoder().decode(rec.getValue());
        } catch (IllegalArgumentException e) {
          throw new InvalidImageException(
              "tar entry " + what + ": invalid base64 value for xattr " + name);
        }
        add(xattrs, name, decoded, what, false);
      }
    }
    for (Map.Entry<String, byte[]> rec : pax.entrySet()) {
      if (rec.getKey().startsWith(PaxRecords.SCHILY_XATTR)) {
        String name = rec.getKey().substring(PaxRecords.SCHILY_XATTR.length());
        add(xattrs, name, rec.getValue(), what, true);
      }
    }
    return xattrs;
  }

  private static void add(
      Map<String, byte[]> xattrs, String name, byte[] value, String what, boolean override) {
    if (name.isEmpty()) {
      LOG.warn("tar entry {}: ignoring xattr record with an empty name", what);
      return;
    }
    if (value.length == 0) {
      LOG.warn("tar entry {}: ignoring empty-valued xattr {} (disallowed by PAX)", what, name);
      return;
    }
    if (override || !xattrs.containsKey(name)) {
      xattrs.put(name, value);
    }
  }

  private static String urlDecode(String s, String what) throws InvalidImageException {
    byte[] raw = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[raw.length];
    int n = 0;
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '%') {
        if (i + 2 >= raw.length) {
          throw new InvalidImageException("tar entry " + what + ": bad xattr name escape " + s);
        }
        int hi = Character.digit(raw[i + 1], 16);
        int lo = Character.digit(raw[i + 2], 16);
        if (hi < 0 || lo < 0) {
          throw new InvalidImageException("tar entry " + what + ": bad xattr name escape " + s);
        }
        out[n++] = (byte) (hi << 4 | lo);
        i += 2;
      } else {
        out[n++] = raw[i];
      }
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }
}
