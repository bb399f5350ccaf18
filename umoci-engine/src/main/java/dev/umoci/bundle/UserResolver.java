package dev.umoci.bundle;

import dev.umoci.errors.InvalidImageException;
import dev.umoci.fs.FileStat;
import dev.umoci.fs.PosixFs;
import dev.umoci.fs.SecureJoin;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves a user spec ({@code name}, {@code uid}, {@code name:group}, {@code uid:gid}, or empty)
 * against passwd and group data the way runc's {@code libcontainer/user.GetExecUser} does, which
 * umoci uses for {@code config.json}:
 *
 * <ul>
 *   <li>the user is matched by uid when numeric, else by name; the first matching passwd line wins
 *       and gives uid, gid and home. An empty user matches uid 0;
 *   <li>an unmatched numeric uid is used as is (gid 0, no home) if it is within 0..2^31-1; an
 *       unmatched name is an error, also when there is no passwd file;
 *   <li>a group given after {@code :} is matched by gid when numeric, else by name, and replaces
 *       the gid (an unmatched numeric gid is used as is); no supplementary groups are looked up;
 *   <li>without a group, the supplementary gids are those of every group line listing the matched
 *       user name as a member (the primary group included when listed).
 * </ul>
 *
 * <p>File parsing follows the Go code too: lines are trimmed, fields split on {@code :}, missing
 * fields are empty or 0, numbers that do not parse are 0; group lines starting with {@code #} are
 * skipped (passwd lines are not). Files are read through {@link SecureJoin} inside the rootfs, so a
 * symlinked {@code /etc/passwd} never reaches the host's files.
 */
public final class UserResolver {
  private static final long MAX_ID = (1L << 31) - 1;

  private UserResolver() {}

  /** Contents of the passwd and group files; a null member means the file does not exist. */
  public record Databases(String passwd, String group) {
    /** No passwd and no group file (no rootfs given). */
    public static Databases none() {
      return new Databases(null, null);
    }
  }

  /**
   * Reads {@code /etc/passwd} and {@code /etc/group} confined inside {@code rootfs}. A missing file
   * is null; a file that exists but cannot be read (a directory, a device) is an error.
   */
  public static Databases readDatabases(Path rootfs) throws IOException {
    return new Databases(
        readConfined(rootfs, Path.of("/etc/passwd")), readConfined(rootfs, Path.of("/etc/group")));
  }

  /**
   * Resolves {@code userSpec} inside {@code rootfs} ({@link #readDatabases} + {@link #resolve}).
   */
  public static ExecUser resolve(String userSpec, Path rootfs) throws IOException {
    return resolve(userSpec, readDatabases(rootfs));
  }

  /**
   * Resolves {@code userSpec} against {@code db}. An unknown user or group name, or a numeric id
   * out of range, is an {@link InvalidImageException} whose message names the spec.
   */
  public static ExecUser resolve(String userSpec, Databases db) throws InvalidImageException {
    String spec = userSpec == null ? "" : userSpec;
    String[] specParts = spec.split(":", -1);
    String userArg = specParts[0];
    String groupArg = specParts.length > 1 ? specParts[1] : "";
    GoInt uidArg = GoInt.atoi(userArg);
    GoInt gidArg = GoInt.atoi(groupArg);

    long uid = 0;
    long gid = 0;
    String home = "";
    List<Long> sgids = List.of();

    PasswdEntry matched = null;
    if (db.passwd() != null) {
      for (PasswdEntry u : parsePasswd(db.passwd())) {
        boolean hit =
            userArg.isEmpty()
                ? u.uid() == 0
                : uidArg.ok() ? u.uid() == uidArg.value() : u.name().equals(userArg);
        if (hit) {
          matched = u;
          break;
        }
      }
    }
    String matchedName = "";
    if (matched != null) {
      matchedName = matched.name();
      uid = matched.uid();
      gid = matched.gid();
      home = matched.home();
    } else if (!userArg.isEmpty()) {
      if (!uidArg.ok()) {
        throw new InvalidImageException(
            "cannot parse user spec "
                + quote(spec)
                + ": unable to find user "
                + userArg
                + ": no matching entries in passwd file");
      }
      uid = uidArg.value();
      if (uid < 0 || uid > MAX_ID) {
        throw outOfRange(spec);
      }
    }

    if (!groupArg.isEmpty() || !matchedName.isEmpty()) {
      List<GroupEntry> groups = new ArrayList<>();
      if (db.group() != null) {
        for (GroupEntry g : parseGroup(db.group())) {
          boolean hit =
              groupArg.isEmpty()
                  ? g.members().contains(matchedName)
                  : gidArg.ok() ? g.gid() == gidArg.value() : g.name().equals(groupArg);
          if (hit) {
            groups.add(g);
          }
        }
      }
      if (!groupArg.isEmpty()) {
        if (!groups.isEmpty()) {
          gid = groups.get(0).gid();
        } else {
          if (!gidArg.ok()) {
            throw new InvalidImageException(
                "cannot parse user spec "
                    + quote(spec)
                    + ": unable to find group "
                    + groupArg
                    + ": no matching entries in group file");
          }
          gid = gidArg.value();
          if (gid < 0 || gid > MAX_ID) {
            throw outOfRange(spec);
          }
        }
      } else if (!groups.isEmpty()) {
        List<Long> found = new ArrayList<>();
        for (GroupEntry g : groups) {
          found.add(g.gid());
        }
        sgids = found;
      }
    }
    return new ExecUser(uid, gid, sgids, home);
  }

  private static InvalidImageException outOfRange(String spec) {
    return new InvalidImageException(
        "cannot parse user spec " + quote(spec) + ": uids and gids must be in range 0-" + MAX_ID);
  }

  record PasswdEntry(String name, long uid, long gid, String home) {}

  record GroupEntry(String name, long gid, List<String> members) {}

  /** passwd(5) lines: name:pass:uid:gid:gecos:home:shell; blank lines skipped. */
  static List<PasswdEntry> parsePasswd(String text) {
    List<PasswdEntry> out = new ArrayList<>();
    for (String raw : text.split("\n", -1)) {
      String line = GoStrings.trimSpace(raw);
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split(":", -1);
      out.add(
          new PasswdEntry(
              field(f, 0),
              GoInt.atoi(field(f, 2)).lenient(),
              GoInt.atoi(field(f, 3)).lenient(),
              field(f, 5)));
    }
    return out;
  }

  /** group(5) lines: name:pass:gid:member,member; blank and {@code #} lines skipped. */
  static List<GroupEntry> parseGroup(String text) {
    List<GroupEntry> out = new ArrayList<>();
    for (String raw : text.split("\n", -1)) {
      String line = GoStrings.trimSpace(raw);
      if (line.isEmpty() || line.charAt(0) == '#') {
        continue;
      }
      String[] f = line.split(":", -1);
      String list = field(f, 3);
      List<String> members = list.isEmpty() ? List.of() : List.of(list.split(",", -1));
      out.add(new GroupEntry(field(f, 0), GoInt.atoi(field(f, 2)).lenient(), members));
    }
    return out;
  }

  private static String field(String[] fields, int i) {
    return i < fields.length ? fields[i] : "";
  }

  private static String readConfined(Path rootfs, Path file) throws IOException {
    Path path = SecureJoin.join(rootfs, file);
    // A missing file (ENOENT, or ENOTDIR for a parent that is not a directory) is no file.
    FileStat attrs = PosixFs.host().lstatOrNull(path);
    if (attrs == null) {
      return null;
    }
    if (!attrs.isRegularFile()) {
      throw new InvalidImageException(
          "cannot read " + file + " in rootfs " + rootfs + ": not a regular file");
    }
    try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String quote(String s) {
    return '"' + s + '"';
  }

  /** Go's {@code strconv.Atoi}: the parsed value (clamped on overflow) and whether it parsed. */
  record GoInt(long value, boolean ok) {
    static GoInt atoi(String s) {
      int i = 0;
      boolean negative = false;
      if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
        negative = s.charAt(0) == '-';
        i = 1;
      }
      if (i == s.length()) {
        return new GoInt(0, false);
      }
      long v = 0;
      boolean overflow = false;
      for (; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < '0' || c > '9') {
          return new GoInt(0, false);
        }
        if (!overflow) {
          long next = v * 10 + (c - '0');
          if (v > (Long.MAX_VALUE - (c - '0')) / 10) {
            overflow = true;
          } else {
            v = next;
          }
        }
      }
      if (overflow) {
        return new GoInt(negative ? Long.MIN_VALUE : Long.MAX_VALUE, false);
      }
      return new GoInt(negative ? -v : v, true);
    }

    /** The value as {@code parseParts} keeps it: errors ignored. */
    long lenient() {
      return value;
    }
  }
}
