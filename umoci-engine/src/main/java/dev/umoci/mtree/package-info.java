/**
 * mtree(5) manifests as go-mtree writes them (umoci keeps one per unpacked bundle): the spec model,
 * parser and writer (vis(3) name escaping, {@code /set} lines), the filesystem walk, and the
 * comparison that turns two manifests into the delta {@code repack} packs. Our own because no Java
 * mtree implementation exists, and bundles must be interchangeable with umoci (Go): our files parse
 * with go-mtree and theirs with ours.
 *
 * <p>May use: {@code fs}, {@code oci.*}, {@code sys}, {@code errors}.
 */
package dev.umoci.mtree;
