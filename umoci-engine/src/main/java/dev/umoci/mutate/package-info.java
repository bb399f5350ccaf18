/**
 * Changing an image: a new config, manifest and history, appended layers written while they are
 * generated (compressed, digested and stored in one pass), and the commit up to {@code index.json}.
 * It exists so that every operation that adds a layer or changes a config commits in the same,
 * crash-safe order (blobs first, the tag last).
 *
 * <p>May use: {@code layer} (compression), {@code mtree}, {@code fs}, {@code oci.*}, {@code sys},
 * {@code errors}.
 */
package dev.umoci.mutate;
