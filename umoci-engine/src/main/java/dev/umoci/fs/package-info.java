/**
 * The filesystem operations extraction and walking need that the JDK lacks or cannot do without
 * following a symlink (lstat without name lookups, lchown, mknod, any-namespace xattrs, times on
 * links, byte-exact symlinks), behind the {@link dev.umoci.fs.PosixFs} interface with a rootless
 * decorator; and {@link dev.umoci.fs.SecureJoin}, path resolution confined to a root. Decisions
 * about a failed call are made by errno ({@code dev.umoci.sys.Errno}).
 *
 * <p>May use: {@code oci.*} (nothing in practice), {@code sys} for every native call, {@code
 * errors}. It binds no native library itself.
 */
package dev.umoci.fs;
