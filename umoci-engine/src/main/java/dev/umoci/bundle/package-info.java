/**
 * The runtime bundle: {@code umoci.json} metadata, the {@code sha256_<hex>.mtree} naming, and the
 * conversion of an image config into a runtime-spec {@code config.json} (with {@code /etc/passwd}
 * and {@code /etc/group} lookups confined to the rootfs).
 */
package dev.umoci.bundle;
