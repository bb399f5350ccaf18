package dev.umoci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * {@code Location} headers (upload sessions, redirects) resolve against the URI of the request they
 * answer (RFC 9110), as skopeo resolves them, and a malformed one is a registry error that names
 * it, not an internal error.
 */
class LocationHeaderTest {
  private static final URI UPLOADS = URI.create("http://127.0.0.1:5000/v2/team/app/blobs/uploads/");

  @Test
  void aRelativeLocationIsTakenFromTheRequestItAnswers() throws Exception {
    assertEquals(
        URI.create("http://127.0.0.1:5000/v2/team/app/blobs/uploads/1?_state=abc"),
        Transport.resolveLocation(UPLOADS, "1?_state=abc", "w"));
    assertEquals(
        URI.create("http://127.0.0.1:5000/v2/team/app/blobs/uploads/2"),
        Transport.resolveLocation(UPLOADS, "/v2/team/app/blobs/uploads/2", "w"));
    assertEquals(
        URI.create("https://storage.example/b?sig=x"),
        Transport.resolveLocation(UPLOADS, "https://storage.example/b?sig=x", "w"));
  }

  @Test
  void aMalformedLocationIsARegistryErrorThatNamesIt() {
    RegistryException e =
        assertThrows(
            RegistryException.class,
            () ->
                Transport.resolveLocation(
                    UPLOADS,
                    "/v2/r/blobs/uploads/1?_state=a b|c",
                    "registry 127.0.0.1:5000: repository r: upload blob"));
    assertEquals(
        "registry 127.0.0.1:5000: repository r: upload blob: malformed Location"
            + " \"/v2/r/blobs/uploads/1?_state=a b|c\"",
        e.getMessage());
  }
}
