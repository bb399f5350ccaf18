package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Digest;
import dev.umoci.oci.spec.GoJson;
import dev.umoci.oci.spec.Json;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.oci.spec.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link LayerCacheRecord} against databind, the way the records were written and read before: the
 * same bytes out, the same value in, and no value for what is not a record.
 */
class LayerCacheRecordTest {
  static final Digest DIFF_ID = Digest.sha256("the tar".getBytes(StandardCharsets.UTF_8));

  static List<Descriptor> layers() {
    Digest blob = Digest.sha256("the blob".getBytes(StandardCharsets.UTF_8));
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("z.last", "<html> & \"quotes\" \u00e9\u2028\t");
    annotations.put("a.first", "");
    return List.of(
        new Descriptor(MediaTypes.LAYER_TAR_GZIP, blob, 13_500_000, null, null, null, null, null),
        new Descriptor(
            MediaTypes.LAYER_TAR_ZSTD,
            blob,
            0,
            List.of("https://example.com/a?b=<c>&d"),
            annotations,
            new byte[] {0, 1, 2, (byte) 0xff},
            new Platform("amd64", "linux", null, null, null, null),
            "application/x.artifact"));
  }

  @Test
  void encodeWritesWhatDatabindWrites() {
    for (Descriptor layer : layers()) {
      // The record type has no streaming codec: GoJson writes it through databind.
      byte[] databind = GoJson.encode(new LayerCache.Recorded(layer, DIFF_ID));
      assertEquals(
          new String(databind, StandardCharsets.UTF_8),
          new String(LayerCacheRecord.encode(layer, DIFF_ID), StandardCharsets.UTF_8));
      assertArrayEquals(databind, LayerCacheRecord.encode(layer, DIFF_ID));
    }
  }

  @Test
  void decodeReadsWhatDatabindReads() throws IOException {
    for (Descriptor layer : layers()) {
      String record = new String(LayerCacheRecord.encode(layer, DIFF_ID), StandardCharsets.UTF_8);
      String body = record.substring(1, record.length() - 2);
      for (String variant :
          List.of(
              record,
              "{\"unknown\":[1,{\"x\":null}]," + body + "}",
              " {\n " + body.replace(",\"diffId\"", " ,\n \"diffId\"") + " }\n")) {
        byte[] bytes = variant.getBytes(StandardCharsets.UTF_8);
        LayerCache.Recorded expected = Json.mapper().readValue(bytes, LayerCache.Recorded.class);
        LayerCache.Recorded actual = LayerCacheRecord.decode(bytes, "record");
        assertEquals(
            Json.mapper().writeValueAsString(expected), Json.mapper().writeValueAsString(actual));
        assertEquals(layer.digest(), actual.layer().digest());
        assertEquals(layer.size(), actual.layer().size());
        assertEquals(DIFF_ID, actual.diffId());
      }
    }
  }

  @Test
  void whatIsNotARecordGivesNoneOrAnError() throws IOException {
    String layer = new String(Json.toBytes(layers().get(0)), StandardCharsets.UTF_8);
    for (String notARecord :
        List.of(
            "{\"layer\":" + layer + "}",
            "{\"diffId\":\"" + DIFF_ID + "\"}",
            "{\"layer\":" + layer + ",\"diffId\":5}",
            "{\"layer\":\"x\",\"diffId\":\"" + DIFF_ID + "\"}",
            "[]",
            "null",
            "7")) {
      assertNull(
          LayerCacheRecord.decode(notARecord.getBytes(StandardCharsets.UTF_8), "record"),
          notARecord);
    }
    assertThrows(
        IOException.class,
        () -> LayerCacheRecord.decode("{\"layer\":".getBytes(StandardCharsets.UTF_8), "record"));
    assertThrows(
        IOException.class,
        () ->
            LayerCacheRecord.decode(
                ("{\"layer\":" + layer + ",\"diffId\":\"sha256:xyz\"}")
                    .getBytes(StandardCharsets.UTF_8),
                "record"));
  }
}
