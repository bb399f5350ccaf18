/**
 * Tar layers and the filesystem: safe extraction (whiteouts, hardlinks, devices, xattrs, id maps,
 * rootless mode), layer generation from a tree or an mtree delta, and compression (gzip, zstd,
 * none).
 *
 * <p>Two codecs are our own, on purpose:
 *
 * <ul>
 *   <li>The tar reader and writer: Apache Commons Compress decodes PAX record values as UTF-8 text,
 *       which replaces the bytes of binary xattr values ({@code security.capability}) with U+FFFD,
 *       and it does not keep names as bytes. Layers must round-trip byte for byte, so names, link
 *       targets and PAX values stay byte arrays here. Commons Compress remains a test oracle only.
 *   <li>The parallel gzip writer: no maintained Java library writes gzip on several threads with
 *       output that depends only on the input (pigz's and Go pgzip's block scheme, which umoci
 *       uses); reproducible layer digests need exactly that.
 * </ul>
 *
 * <p>May use: {@code mtree}, {@code fs}, {@code oci.*}, {@code sys}, {@code errors}, zstd-jni.
 */
package dev.umoci.layer;
