package dev.umoci.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.umoci.oci.spec.Json;
import dev.umoci.testing.CliRunner;
import dev.umoci.testing.CliRunner.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verified blob reads fail in umoci's words (pkg/hardening: {@code ErrSizeMismatch} "verified
 * reader size mismatch", {@code ErrDigestMismatch} "verified reader digest mismatch"), naming the
 * blob.
 */
class VerifiedReadMessagesTest {
  @TempDir Path tmp;
  String img;
  String config;
  Path blob;
  byte[] bytes;

  @BeforeEach
  void image() throws IOException {
    img = tmp.resolve("img").toString();
    CliRunner.run("init", "--layout", img).assertSuccess();
    CliRunner.run("new", "--image", img + ":t").assertSuccess();
    String stat = CliRunner.run("stat", "--image", img + ":t", "--json").assertSuccess().stdout();
    config =
        Json.parse(stat.getBytes(StandardCharsets.UTF_8), JsonNode.class, "stat")
            .at("/config/descriptor/digest")
            .asText();
    blob = tmp.resolve("img/blobs/sha256").resolve(config.substring("sha256:".length()));
    bytes = Files.readAllBytes(blob);
  }

  private String statError() {
    Result r = CliRunner.run("stat", "--image", img + ":t");
    assertEquals(1, r.exitCode());
    return r.stderr();
  }

  @Test
  void shorterBlob() throws IOException {
    Files.write(blob, java.util.Arrays.copyOf(bytes, bytes.length - 1));
    assertEquals(
        "umoci: verified reader size mismatch: blob "
            + config
            + " is shorter than its descriptor size "
            + bytes.length
            + " (only "
            + (bytes.length - 1)
            + " bytes)\n",
        statError());
  }

  @Test
  void longerBlob() throws IOException {
    Files.write(blob, (new String(bytes, StandardCharsets.UTF_8) + " ").getBytes());
    assertEquals(
        "umoci: verified reader size mismatch: blob "
            + config
            + " is larger than its descriptor size "
            + bytes.length
            + "\n",
        statError());
  }

  @Test
  void changedContent() throws IOException {
    byte[] changed = bytes.clone();
    changed[changed.length - 2] ^= 1;
    Files.write(blob, changed);
    String error = statError();
    assertEquals(
        "umoci: verified reader digest mismatch: blob " + config + " has content digest sha256:",
        error.substring(0, error.indexOf("sha256:", error.indexOf("content digest")) + 7));
  }
}
