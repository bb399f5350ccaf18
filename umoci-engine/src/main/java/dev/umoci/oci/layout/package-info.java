/**
 * The OCI image layout directory: open and create, a blob store whose reads verify size and digest,
 * atomic writes of blobs and {@code index.json}, and the locking between processes (an {@code
 * flock} on the layout, taken through {@code sys}).
 *
 * <p>May use: {@code oci.spec}, {@code sys}, {@code errors}.
 */
package dev.umoci.oci.layout;
