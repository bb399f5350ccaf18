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
 * <p>Whiteouts and replaced directories (issue 12 §1a). A non-directory entry replaces a whole
 * directory of the lower layers (image-spec, "Changesets over existing files"), so layer generation
 * never writes whiteouts below a path that is now a symlink, file or device ({@code
 * mtree.DeltaFilters#simplify}): unpackers resolve {@code d/.wh.f} after the symlink {@code d}
 * through it and delete the link's target. When unpacking, a whiteout whose parent path passes
 * through a symlink created earlier in the same layer is skipped with a warning, not followed and
 * not refused ({@code LayerSymlinks}): whiteouts "MUST only apply to resources in lower/parent
 * layers" (image-spec, "Whiteouts"), and the lower path they name went with the replaced directory,
 * so there is nothing left for them to delete; refusing would reject the layers umoci (Go) repack
 * writes for {@code rm -r d && ln -s s d}. Whiteouts through symlinks of lower layers ({@code
 * var/run -> /run}) apply as before.
 *
 * <p>May use: {@code mtree}, {@code fs}, {@code oci.*}, {@code sys}, {@code errors}, zstd-jni.
 */
package dev.umoci.layer;
