/**
 * Interoperability with the real tools: what we write, Debian's {@code umoci} (0.4.7), {@code
 * skopeo} and {@code runc} read, and the reverse, on small images and on debootstrapped Debian root
 * filesystems. It exists apart from the unit tests because these tests need the tools, root or a
 * long image build; a missing precondition skips them on a developer machine and fails them in CI
 * ({@code dev.umoci.testing.Interop}).
 *
 * <p>May use: every engine package (the CLI first, the rest to inspect results), the test builders
 * of {@code layer}, and {@code dev.umoci.testing}.
 */
package dev.umoci.interop;
