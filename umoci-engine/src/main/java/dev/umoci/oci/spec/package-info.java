/**
 * Jackson records for the OCI image-spec (index, manifest, config, descriptors), {@code Digest},
 * media types and the one configured ObjectMapper (field order as in the specs, sorted maps, RFC
 * 3339 times). SHA-256 comes from {@code sys.NativeSha256} when libcrypto loads. The records and
 * {@code JsonNode} trees are read and written through hand-written codecs over Jackson's streaming
 * API ({@code StreamingJson}), byte for byte as databind does, so the small commands never build
 * the mapper (its set-up was most of their own start); databind remains for every other type and
 * for documents off the plain shape.
 *
 * <p>May use: {@code sys}, {@code errors}, Jackson.
 */
package dev.umoci.oci.spec;
