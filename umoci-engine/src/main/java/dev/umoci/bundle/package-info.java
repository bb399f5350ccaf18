/**
 * The runtime bundle: {@code umoci.json} metadata, the {@code sha256_<hex>.mtree} naming, the
 * conversion of an image config into a runtime-spec {@code config.json} (with {@code /etc/passwd}
 * and {@code /etc/group} lookups confined to the rootfs), and the digest cache that lets {@code
 * repack} skip paths whose lstat did not change since {@code unpack}.
 *
 * <p>May use: {@code mutate}, {@code layer}, {@code mtree}, {@code fs}, {@code oci.*}, {@code sys},
 * {@code errors}. Go's JSON and string quirks that umoci's files depend on are reproduced here
 * ({@code GoJson}, {@code GoStrings}) rather than in a general library, because only these files
 * need them.
 */
package dev.umoci.bundle;
