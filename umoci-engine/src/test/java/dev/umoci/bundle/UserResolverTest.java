package dev.umoci.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.bundle.UserResolver.Databases;
import dev.umoci.errors.InvalidImageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserResolverTest {
  static final String PASSWD =
      "root:x:0:0:root:/root:/bin/sh\n"
          + "  alice:x:1000:1000:Alice:/home/alice:/bin/sh  \r\n"
          + "\n"
          + "bob:x:1001:100::/home/bob:/bin/sh\n"
          + "short:x:1002\n"
          + "alice:x:2000:2000::/second:/bin/sh";
  static final String GROUP =
      "root:x:0:\n"
          + "# wheel:x:10:alice\n"
          + "users:x:100:alice,bob\n"
          + "alice:x:1000:alice\n"
          + "audio:x:29:bob\r\n"
          + "  staff:x:50:alice  \n"
          + "empty:x:60:";
  static final Databases DB = new Databases(PASSWD, GROUP);

  @TempDir Path dir;

  private static ExecUser resolve(String spec) throws InvalidImageException {
    return UserResolver.resolve(spec, DB);
  }

  @Test
  void nameGivesIdsHomeAndMembershipGroups() throws Exception {
    assertEquals(
        new ExecUser(1000, 1000, List.of(100L, 1000L, 50L), "/home/alice"), resolve("alice"));
  }

  @Test
  void firstMatchingPasswdLineWins() throws Exception {
    assertEquals(1000, resolve("alice").uid());
  }

  @Test
  void numericUidMatchesAndUsesTheMatchedNameForGroups() throws Exception {
    assertEquals(new ExecUser(1001, 100, List.of(100L, 29L), "/home/bob"), resolve("1001"));
  }

  @Test
  void explicitGroupReplacesGidAndSkipsSupplementaryGroups() throws Exception {
    assertEquals(new ExecUser(1000, 50, List.of(), "/home/alice"), resolve("alice:staff"));
    assertEquals(new ExecUser(1001, 29, List.of(), "/home/bob"), resolve("1001:29"));
    assertEquals(new ExecUser(1000, 4242, List.of(), "/home/alice"), resolve("alice:4242"));
    assertEquals(new ExecUser(5000, 6000, List.of(), ""), resolve("5000:6000"));
  }

  @Test
  void emptySpecIsTheUidZeroEntry() throws Exception {
    assertEquals(new ExecUser(0, 0, List.of(), "/root"), resolve(""));
    assertEquals(new ExecUser(0, 0, List.of(), "/root"), resolve(null));
  }

  @Test
  void unknownNumericUidIsUsedAsIs() throws Exception {
    assertEquals(new ExecUser(777, 0, List.of(), ""), resolve("777"));
  }

  @Test
  void missingFieldsAreEmptyOrZero() throws Exception {
    assertEquals(new ExecUser(1002, 0, List.of(), ""), resolve("short"));
  }

  @Test
  void unknownNamesAreErrors() {
    InvalidImageException user = assertThrows(InvalidImageException.class, () -> resolve("nobody"));
    assertTrue(user.getMessage().contains("unable to find user nobody"), user.getMessage());
    InvalidImageException group =
        assertThrows(InvalidImageException.class, () -> resolve("alice:nogroup"));
    assertTrue(group.getMessage().contains("unable to find group nogroup"), group.getMessage());
  }

  @Test
  void outOfRangeIdsAreErrors() {
    assertThrows(InvalidImageException.class, () -> resolve("2147483648"));
    assertThrows(InvalidImageException.class, () -> resolve("-1"));
    assertThrows(InvalidImageException.class, () -> resolve("1000:-5"));
    assertThrows(InvalidImageException.class, () -> resolve("99999999999999999999999"));
  }

  @Test
  void withoutFilesOnlyNumbersResolve() throws Exception {
    Databases none = Databases.none();
    assertEquals(new ExecUser(1000, 50, List.of(), ""), UserResolver.resolve("1000:50", none));
    assertEquals(new ExecUser(1000, 0, List.of(), ""), UserResolver.resolve("1000", none));
    assertEquals(ExecUser.root(), UserResolver.resolve("", none));
    assertThrows(InvalidImageException.class, () -> UserResolver.resolve("alice", none));
    assertThrows(InvalidImageException.class, () -> UserResolver.resolve("1000:staff", none));
  }

  @Test
  void passwdWithoutGroupFileHasNoSupplementaryGroups() throws Exception {
    assertEquals(
        new ExecUser(1000, 1000, List.of(), "/home/alice"),
        UserResolver.resolve("alice", new Databases(PASSWD, null)));
  }

  @Test
  void passwdCommentLinesAreNotSkippedLikeRunc() throws Exception {
    // runc/moby parse "#..." passwd lines as entries with uid 0, so an empty spec matches them.
    Databases db = new Databases("# generated\nroot:x:0:0:root:/root:/bin/sh\n", GROUP);
    assertEquals(new ExecUser(0, 0, List.of(), ""), UserResolver.resolve("", db));
    assertEquals("/root", UserResolver.resolve("root", db).home());
  }

  @Test
  void readsFilesInsideTheRootfs() throws Exception {
    Path rootfs = dir.resolve("rootfs");
    Files.createDirectories(rootfs.resolve("etc"));
    Files.writeString(rootfs.resolve("etc/passwd"), PASSWD);
    Files.writeString(rootfs.resolve("etc/group"), GROUP);
    assertEquals(resolve("alice"), UserResolver.resolve("alice", rootfs));
  }

  @Test
  void missingFilesInTheRootfsBehaveAsAbsent() throws Exception {
    Path rootfs = dir.resolve("rootfs");
    Files.createDirectories(rootfs);
    assertEquals(new ExecUser(42, 7, List.of(), ""), UserResolver.resolve("42:7", rootfs));
    assertThrows(InvalidImageException.class, () -> UserResolver.resolve("alice", rootfs));
    Files.writeString(rootfs.resolve("etc"), "a file where a directory should be");
    assertEquals(new ExecUser(42, 0, List.of(), ""), UserResolver.resolve("42", rootfs));
  }

  @Test
  void aDirectoryAsPasswdIsAnError() throws Exception {
    Path rootfs = dir.resolve("rootfs");
    Files.createDirectories(rootfs.resolve("etc/passwd"));
    assertThrows(InvalidImageException.class, () -> UserResolver.resolve("0", rootfs));
  }

  /**
   * {@code rootfs/etc/passwd} is a symlink to an absolute path that also exists on the host with
   * other content: the rootfs copy must be read, never the host's file.
   */
  @Test
  void absoluteSymlinksResolveInsideTheRootfs() throws Exception {
    Path hostDir = dir.resolve("host-etc").toAbsolutePath();
    Files.createDirectories(hostDir);
    Files.writeString(hostDir.resolve("passwd"), "hostonly:x:4000:4000::/host:/bin/sh\n");
    Files.writeString(hostDir.resolve("group"), "hostgroup:x:4001:imageuser\n");

    Path rootfs = dir.resolve("rootfs");
    Path inside = rootfs.resolve(hostDir.toString().substring(1));
    Files.createDirectories(inside);
    Files.writeString(inside.resolve("passwd"), "imageuser:x:3000:3000::/home/image:/bin/sh\n");
    Files.writeString(inside.resolve("group"), "imagegroup:x:3001:imageuser\n");
    Files.createDirectories(rootfs.resolve("etc"));
    Files.createSymbolicLink(rootfs.resolve("etc/passwd"), hostDir.resolve("passwd"));
    Files.createSymbolicLink(
        rootfs.resolve("etc/group"),
        Path.of("../../../../../../../..")
            .resolve(hostDir.toString().substring(1))
            .resolve("group"));

    assertEquals(
        new ExecUser(3000, 3000, List.of(3001L), "/home/image"),
        UserResolver.resolve("imageuser", rootfs));
    assertThrows(InvalidImageException.class, () -> UserResolver.resolve("hostonly", rootfs));
  }

  @Test
  void symlinkToTheHostsPasswdNeverReadsIt() throws Exception {
    // A user every Debian host has: it must not be found through a link to /etc/passwd.
    Path rootfs = dir.resolve("rootfs");
    Files.createDirectories(rootfs.resolve("etc"));
    Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/usr/../etc/passwd"));
    // The link resolves to rootfs/etc/passwd itself: a loop inside the rootfs, reported as such.
    assertThrows(IOException.class, () -> UserResolver.resolve("daemon", rootfs));
  }

  @Test
  void goAtoi() {
    assertEquals(new UserResolver.GoInt(12, true), UserResolver.GoInt.atoi("+12"));
    assertEquals(new UserResolver.GoInt(-3, true), UserResolver.GoInt.atoi("-3"));
    assertEquals(new UserResolver.GoInt(0, false), UserResolver.GoInt.atoi(" 1"));
    assertEquals(new UserResolver.GoInt(0, false), UserResolver.GoInt.atoi(""));
    assertEquals(new UserResolver.GoInt(0, false), UserResolver.GoInt.atoi("+"));
    assertEquals(
        new UserResolver.GoInt(Long.MAX_VALUE, false),
        UserResolver.GoInt.atoi("99999999999999999999"));
  }
}
