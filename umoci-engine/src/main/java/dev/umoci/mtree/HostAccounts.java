package dev.umoci.mtree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** User and group names of the host, from /etc/passwd and /etc/group (for uname and gname). */
final class HostAccounts {
  private static volatile Map<Long, String> users;
  private static volatile Map<Long, String> groups;

  private HostAccounts() {}

  static String userName(long uid) {
    if (users == null) {
      users = read(Path.of("/etc/passwd"));
    }
    return users.get(uid);
  }

  static String groupName(long gid) {
    if (groups == null) {
      groups = read(Path.of("/etc/group"));
    }
    return groups.get(gid);
  }

  private static Map<Long, String> read(Path file) {
    Map<Long, String> out = new HashMap<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] f = line.split(":", -1);
        if (f.length >= 3 && !line.startsWith("#")) {
          try {
            out.putIfAbsent(Long.parseLong(f[2]), f[0]);
          } catch (NumberFormatException e) {
            // not an account line
          }
        }
      }
    } catch (IOException e) {
      // no database: names are left out, as go-mtree does when a lookup fails
    }
    return out;
  }
}
