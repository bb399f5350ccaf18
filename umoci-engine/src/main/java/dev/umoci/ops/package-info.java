/**
 * One class per user-level operation ({@code Unpack}, {@code Repack}, {@code Insert}, {@code
 * ConfigUpdate}, {@code GarbageCollect}, …), each with an options record. The CLI and the Maven
 * Mojos call these and nothing below them, so both front ends behave the same and a new front end
 * needs no knowledge of layers, bundles or the layout format.
 *
 * <p>An options record of more than a few components, or with a flag or an optional value, is made
 * with a named factory taking what is required ({@code Unpack.Options.of(image, bundle)}) and
 * withers for the rest ({@code .withKeepDirlinks(true)}), or a builder ({@code
 * ConfigUpdate.Options.builder}), so that every call site says what each value is.
 *
 * <p>May use: every package below it ({@code bundle}, {@code mutate}, {@code layer}, {@code mtree},
 * {@code fs}, {@code oci.*}, {@code sys}, {@code errors}). No picocli or Maven type.
 */
package dev.umoci.ops;
