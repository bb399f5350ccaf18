/**
 * Test support shared by the engine's tests: running the CLI in-process ({@code CliRunner}) and
 * external tools ({@code ExternalTool}), the rule for interop preconditions ({@code Interop}: skip
 * on a developer machine, fail under {@code CI=true}), layout checks, a local {@code
 * docker-registry} and token server, and multi-platform test images. It exists so that each of
 * these is written once rather than per test package.
 *
 * <p>May use: every engine package (through its public API) and the test libraries; no test class
 * of another package.
 */
package dev.umoci.testing;
