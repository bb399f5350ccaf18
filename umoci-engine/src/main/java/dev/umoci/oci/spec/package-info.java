/**
 * Jackson records for the OCI image-spec (index, manifest, config, descriptors), {@code Digest},
 * media types and the one configured ObjectMapper (field order as in the specs, sorted maps, RFC
 * 3339 times). SHA-256 comes from {@code sys.NativeSha256} when libcrypto loads.
 *
 * <p>May use: {@code sys}, {@code errors}, Jackson.
 */
package dev.umoci.oci.spec;
