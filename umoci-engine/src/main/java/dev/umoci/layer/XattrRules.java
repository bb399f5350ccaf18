package dev.umoci.layer;

/**
 * umoci's special xattrs for the plain directory rootfs: {@code security.selinux} and {@code
 * system.nfs4_acl} are host-specific, never extracted from a layer, never cleared from disk and
 * never put into a layer. Everything else (including {@code trusted.overlay.*}, which only matters
 * for umoci's overlayfs on-disk format) is an ordinary xattr.
 */
public final class XattrRules {
  private XattrRules() {}

  /** True for xattrs umoci never extracts, clears or generates. */
  public static boolean isForbidden(String name) {
    return name.equals("security.selinux") || name.equals("system.nfs4_acl");
  }
}
