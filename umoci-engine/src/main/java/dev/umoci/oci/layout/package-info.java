/**
 * The OCI image layout directory: open and create, a blob store whose reads verify size and digest,
 * atomic writes of blobs and {@code index.json}, and the locks that let several processes use one
 * layout at once (taken through {@code sys}).
 *
 * <p>May use: {@code oci.spec}, {@code sys}, {@code errors}.
 *
 * <h2>Crash safety</h2>
 *
 * Every file a layout gains is published by one {@code rename(2)}: blobs and {@code index.json} are
 * written to a temporary file inside a {@code .umoci-*} directory of the layout, synced, renamed
 * into place, and the directory holding the new name is synced ({@link
 * dev.umoci.oci.layout.DirectorySync}). There is no fallback to a non-atomic move: if the rename
 * cannot be atomic the write fails. A process killed at any instant therefore leaves every blob
 * either absent or whole under its digest, and {@code index.json} either old or new, never partial.
 * What it may leave is its {@code .umoci-*} directory, which {@code gc} removes once no live
 * process holds it locked, and blobs nothing references yet, which {@code gc} also removes. A
 * process stopped by SIGINT or SIGTERM removes its own {@code .umoci-*} directories on the way out
 * ({@link dev.umoci.sys.ExitRemovals}, a JVM shutdown hook); only a SIGKILL or a crash leaves them.
 *
 * <h2>Concurrent users</h2>
 *
 * Two {@code flock(2)} locks, both released by the kernel when a process dies:
 *
 * <ol>
 *   <li><b>use lock</b> on {@code blobs/}, held from open to close. Every command except {@code gc}
 *       holds it shared; {@code gc} holds it exclusive. Why: a writer stores blobs first and
 *       references them from {@code index.json} last; between the two they are unreachable, and a
 *       {@code gc} that ran then would delete them and the writer would record a dangling tag. The
 *       same holds for blobs a writer read and builds on (a base image whose tag another process
 *       removes meanwhile). Holding the lock for the whole run, from before the first read to after
 *       the last write, excludes every such interleaving. The price: {@code gc} waits for all other
 *       commands on the layout to finish, and they wait for it. So that a busy layout cannot starve
 *       {@code gc}, a <b>gate</b> lock on the {@code oci-layout} file is passed on the way in: a
 *       {@code gc} holds it exclusive while it waits for the use lock, other users hold it shared
 *       only until they have the use lock, so newcomers queue behind a waiting {@code gc}. (A
 *       thread that already holds the use lock through another open object skips the gate;
 *       otherwise it would wait for a {@code gc} that waits for it.)
 *   <li><b>write lock</b> on the layout directory, exclusive, held for each read-modify-write of
 *       {@code index.json}, so two writers changing different tags both keep their change.
 * </ol>
 *
 * Locks are always taken in that order (gate, use, write), so no two users can wait for each other
 * in a cycle. Waits are bounded (60 s by default, {@link
 * dev.umoci.oci.layout.OciLayout#DEFAULT_LOCK_WAIT}); when one runs out the command fails with
 * {@link dev.umoci.errors.LayoutLockedException}, whose one-line message says whether {@code gc} or
 * another command holds the layout, and nothing has been changed by it. The {@code .umoci-*}
 * temporary directories carry a third, exclusive flock, the one umoci (Go) uses, so that umoci's
 * own {@code gc} spares them; umoci does not take the use lock, so running umoci's {@code gc} next
 * to our writers is not protected.
 *
 * <p>Why our own code: the JDK's {@code FileLock} is per process (two threads of one JVM, such as
 * two modules of {@code mvn -T 2}, would not exclude each other, and taking it twice throws), so
 * the locks are {@code flock(2)} calls on open file descriptions.
 */
package dev.umoci.oci.layout;
