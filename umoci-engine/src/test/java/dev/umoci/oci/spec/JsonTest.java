package dev.umoci.oci.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.umoci.errors.InvalidImageException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonTest {
  private static String json(Object o) {
    return new String(Json.toBytes(o), StandardCharsets.UTF_8);
  }

  @Test
  void emptyIndexMatchesUmociInit() {
    assertEquals(
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}",
        json(Index.empty()));
  }

  @Test
  void imageConfigUsesSpecFieldsOrderAndSets() {
    ImageConfig cfg =
        new ImageConfig(
            "1000:1000",
            Set.of("8080/tcp", "53/udp"),
            List.of("A=1"),
            List.of("/bin/sh"),
            null,
            Set.of("/data"),
            "/app",
            Map.of("z", "1", "a", "2"),
            null,
            null);
    Image image =
        new Image(
            "2024-01-01T00:00:00Z",
            null,
            "amd64",
            "linux",
            null,
            null,
            null,
            cfg,
            RootFs.layers(List.of()),
            null);
    assertEquals(
        "{\"created\":\"2024-01-01T00:00:00Z\",\"architecture\":\"amd64\",\"os\":\"linux\","
            + "\"config\":{\"User\":\"1000:1000\",\"ExposedPorts\":{\"53/udp\":{},\"8080/tcp\":{}},"
            + "\"Env\":[\"A=1\"],\"Entrypoint\":[\"/bin/sh\"],\"Volumes\":{\"/data\":{}},"
            + "\"WorkingDir\":\"/app\",\"Labels\":{\"a\":\"2\",\"z\":\"1\"}},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
        json(image));
  }

  @Test
  void unknownFieldsAreToleratedAndSetsParse() throws Exception {
    byte[] in =
        "{\"architecture\":\"arm64\",\"os\":\"linux\",\"future\":1,\"config\":{\"ExposedPorts\":{\"80/tcp\":{}},\"Healthcheck\":{}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
            .getBytes(StandardCharsets.UTF_8);
    Image image = Json.parse(in, Image.class, "config");
    assertEquals(Set.of("80/tcp"), image.config().exposedPorts());
    assertEquals("arm64", image.architecture());
  }

  @Test
  void malformedJsonNamesTheSource() {
    InvalidImageException e =
        assertThrows(
            InvalidImageException.class,
            () -> Json.parse("{".getBytes(StandardCharsets.UTF_8), Index.class, "index.json"));
    assertEquals(true, e.getMessage().startsWith("index.json: malformed JSON"));
  }

  /**
   * A document of the wrong shape is described in its own terms: the field's JSON path and what it
   * takes, or the value's own complaint; never the engine's Java types.
   */
  @Test
  void aMistypedFieldIsNamedByItsPathNotByAJavaType() {
    Map<String, String> cases =
        Map.of(
            "{\"schemaVersion\":2,\"manifests\":{}}",
            "index.json: malformed JSON: manifests: expected an array (line 1, column 32)",
            "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"x\",\"size\":\"abc\"}]}",
            "index.json: malformed JSON: manifests[0].size: expected a number, found \"abc\"",
            "{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"sha256:zz\",\"size\":1}]}",
            "index.json: malformed JSON: manifests[0].digest: invalid digest \"sha256:zz\":"
                + " expected sha256:<hex>");
    cases.forEach(
        (json, message) -> {
          InvalidImageException e =
              assertThrows(
                  InvalidImageException.class,
                  () ->
                      Json.parse(json.getBytes(StandardCharsets.UTF_8), Index.class, "index.json"));
          assertEquals(message, e.getMessage());
        });
    InvalidImageException truncated =
        assertThrows(
            InvalidImageException.class,
            () ->
                Json.parse(
                    "{\"schemaVersion\":2".getBytes(StandardCharsets.UTF_8), Index.class, "i"));
    assertTrue(truncated.getMessage().endsWith("(line 1, column 19)"), truncated.getMessage());
    assertFalse(truncated.getMessage().contains("Source"), truncated.getMessage());
  }

  /** A token endpoint's answer that is no JSON: said by position, the token never quoted. */
  @Test
  void malformedSensitiveJsonIsReportedWithoutItsContent() {
    byte[] answer = "TOPSECRETTOKEN123".getBytes(StandardCharsets.UTF_8);
    InvalidImageException e =
        assertThrows(
            InvalidImageException.class,
            () -> Json.parseSensitive(answer, JsonNode.class, "token endpoint"));
    assertEquals("token endpoint: malformed JSON at line 1, column 18", e.getMessage());
    assertEquals(null, e.getCause());
  }

  @Test
  void digestsValidate() throws Exception {
    Digest d = Digest.sha256(new byte[0]);
    assertEquals(
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", d.toString());
    assertEquals(d, Digest.parse(d.toString()));
    assertThrows(InvalidImageException.class, () -> Digest.parse("sha256:abc"));
    assertThrows(InvalidImageException.class, () -> Digest.parse("md5:" + d.hex()));
  }

  @Test
  void timesFormatLikeGo() {
    assertEquals("1970-01-01T00:00:00Z", Rfc3339.format(Instant.EPOCH));
    assertEquals(
        "2024-05-06T07:08:09.5Z", Rfc3339.format(Instant.parse("2024-05-06T07:08:09.500Z")));
  }
}
