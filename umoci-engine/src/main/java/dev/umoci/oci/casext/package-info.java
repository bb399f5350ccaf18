/**
 * Content-addressed operations over any blob store, after umoci's {@code casext}: references
 * (tags), descriptor walks, reachability and garbage collection, JSON blobs. Separate from {@code
 * oci.layout} so that these rules do not depend on how blobs are stored.
 *
 * <p>May use: {@code oci.layout}, {@code oci.spec}, {@code sys}, {@code errors}.
 */
package dev.umoci.oci.casext;
