/**
 * The native layer: every binding of the C library and of libcrypto (through JNA), byte paths and
 * named errno values. It sits at the bottom of the engine (above {@code errors} only, which it does
 * not need) and uses nothing of the engine; {@code fs}, the layout's directory lock, the mount-flag
 * probe, the SHA-256 provider of {@code oci.spec} and the registry's upload bodies call it, and no
 * other package touches JNA (checked by {@code ArchitectureTest}).
 *
 * <p>Why it exists: the JDK cannot lchown, mknod, set non-{@code user.} xattrs, set times on a
 * symlink, store a symlink target byte for byte, take an flock that excludes within one process,
 * start the disk's write-out of a file while it is still being written ({@code sync_file_range};
 * the background {@code fdatasync} that follows it uses the same raw descriptor), or let go of a
 * file mapping's pages before the collector unmaps it ({@code madvise}); and {@code java.nio.file}
 * maps names through the locale's charset. One package keeps the rules for these calls in one
 * place:
 *
 * <ul>
 *   <li>Paths cross as bytes ({@link dev.umoci.sys.PathBytes}), never re-encoded.
 *   <li>Failures are {@link dev.umoci.sys.ErrnoException}s decided by errno ({@link
 *       dev.umoci.sys.Errno}), never by message text, which the C library translates.
 *   <li>Symbols an older C library lacks are bound lazily ({@link dev.umoci.sys.Mknod}): one
 *       missing symbol in an eagerly registered class would break every native call.
 *   <li>SHA-256 runs in libcrypto when it loads ({@link dev.umoci.sys.NativeSha256}), because the
 *       JDK's is fast only after C2 has compiled it, which short command runs never reach.
 * </ul>
 *
 * <p>Beside the bindings, the removal of file trees ({@link dev.umoci.sys.TreeRemover}, through
 * these calls) and of temporary trees left when the JVM is stopped ({@link
 * dev.umoci.sys.ExitRemovals}): the JDK's {@code deleteOnExit} takes single files, not trees, and
 * keeps every path until exit.
 */
package dev.umoci.sys;
