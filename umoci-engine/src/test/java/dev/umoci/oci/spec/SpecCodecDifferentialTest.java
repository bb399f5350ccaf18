package dev.umoci.oci.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The hand-written codecs ({@link StreamingJson}) against databind, the reference they replace on
 * the start path: for every spec record, over many seeded random values with every field set, unset
 * and empty, the bytes written must be databind's, compact, with Go's escapes and tab-indented (a
 * dropped, renamed or reordered field fails here); reading those bytes must give databind's value
 * and take the fast path; and for odd documents (wrong token kinds, nulls, repeated names, invalid
 * digests and base64, malformed JSON) {@link Json#parse} must give databind's value or databind's
 * message.
 */
class SpecCodecDifferentialTest {
  private static final ObjectMapper MAPPER = Json.mapper();
  private static final String[] PIECES = {
    "a", "Z9", "é", "<", ">", "&", "\u2028", "\u2029", "\n", "\t", "\u0001", "\u007f", "\"", "\\",
    "/", "😀", " ", "sha256", ":", "中"
  };
  private static final int ROUNDS = 300;

  private static String text(Random r) {
    int n = r.nextInt(4);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(PIECES[r.nextInt(PIECES.length)]);
    }
    return b.toString();
  }

  /** null, "" or some text. */
  private static String maybe(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> null;
      case 1 -> "";
      default -> "s" + text(r);
    };
  }

  private static List<String> strings(Random r) {
    if (r.nextInt(4) == 0) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      out.add(text(r));
    }
    return out;
  }

  private static Map<String, String> map(Random r) {
    if (r.nextInt(4) == 0) {
      return null;
    }
    Map<String, String> out = r.nextBoolean() ? new HashMap<>() : new LinkedHashMap<>();
    for (int i = r.nextInt(5); i > 0; i--) {
      out.put("k" + text(r), text(r));
    }
    return out;
  }

  private static Set<String> set(Random r) {
    if (r.nextInt(4) == 0) {
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      out.add(r.nextInt(65536) + "/" + text(r));
    }
    return out;
  }

  private static Digest digest(Random r) {
    byte[] b = new byte[8];
    r.nextBytes(b);
    return Digest.sha256(b);
  }

  private static Platform platform(Random r) {
    return new Platform(maybe(r), maybe(r), maybe(r), strings(r), maybe(r), strings(r));
  }

  static Descriptor descriptor(Random r, int depth) {
    byte[] data = null;
    if (r.nextInt(3) == 0) {
      data = new byte[r.nextInt(40)];
      r.nextBytes(data);
    }
    return new Descriptor(
        maybe(r),
        r.nextInt(5) == 0 ? null : digest(r),
        r.nextInt(3) == 0 ? r.nextLong() & Long.MAX_VALUE : r.nextInt(1000),
        strings(r),
        map(r),
        data,
        depth > 0 && r.nextBoolean() ? platform(r) : null,
        maybe(r));
  }

  private static List<Descriptor> descriptors(Random r) {
    List<Descriptor> out = new ArrayList<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      out.add(descriptor(r, 1));
    }
    return out;
  }

  static Index index(Random r) {
    return new Index(
        r.nextInt(4),
        maybe(r),
        maybe(r),
        r.nextInt(5) == 0 ? null : descriptors(r),
        r.nextBoolean() ? descriptor(r, 1) : null,
        map(r));
  }

  static Manifest manifest(Random r) {
    return new Manifest(
        r.nextInt(4),
        maybe(r),
        maybe(r),
        r.nextInt(5) == 0 ? null : descriptor(r, 1),
        r.nextInt(5) == 0 ? null : descriptors(r),
        r.nextBoolean() ? descriptor(r, 1) : null,
        map(r));
  }

  private static ImageConfig imageConfig(Random r) {
    return new ImageConfig(
        maybe(r),
        set(r),
        strings(r),
        strings(r),
        strings(r),
        set(r),
        maybe(r),
        map(r),
        maybe(r),
        switch (r.nextInt(3)) {
          case 0 -> null;
          case 1 -> Boolean.FALSE;
          default -> Boolean.TRUE;
        });
  }

  private static History history(Random r) {
    return new History(
        maybe(r), maybe(r), maybe(r), maybe(r), r.nextInt(3) == 0 ? null : r.nextBoolean());
  }

  static Image image(Random r) {
    List<History> history = null;
    if (r.nextInt(4) != 0) {
      history = new ArrayList<>();
      for (int i = r.nextInt(4); i > 0; i--) {
        history.add(history(r));
      }
    }
    List<Digest> diffIds = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      diffIds.add(digest(r));
    }
    return new Image(
        maybe(r),
        maybe(r),
        maybe(r),
        maybe(r),
        maybe(r),
        strings(r),
        maybe(r),
        r.nextInt(4) == 0 ? null : imageConfig(r),
        r.nextInt(4) == 0 ? null : new RootFs(maybe(r), diffIds),
        history);
  }

  private static final Map<Class<?>, Function<Random, Object>> RECORDS = new LinkedHashMap<>();

  static {
    RECORDS.put(Descriptor.class, r -> descriptor(r, 1));
    RECORDS.put(Index.class, SpecCodecDifferentialTest::index);
    RECORDS.put(Manifest.class, SpecCodecDifferentialTest::manifest);
    RECORDS.put(Image.class, SpecCodecDifferentialTest::image);
    RECORDS.put(ImageConfig.class, SpecCodecDifferentialTest::imageConfig);
    RECORDS.put(History.class, SpecCodecDifferentialTest::history);
    RECORDS.put(Platform.class, SpecCodecDifferentialTest::platform);
    RECORDS.put(RootFs.class, r -> new RootFs(maybe(r), List.of(digest(r))));
    RECORDS.put(ImageLayout.class, r -> new ImageLayout(maybe(r)));
  }

  private static byte[] withNewline(byte[] body) {
    byte[] out = new byte[body.length + 1];
    System.arraycopy(body, 0, out, 0, body.length);
    out[body.length] = '\n';
    return out;
  }

  /** databind's bytes of {@code value} in the three forms the engine writes. */
  private static byte[][] databind(Object value) throws Exception {
    ObjectWriter go = GoJson.databindWriter(false);
    ObjectWriter indented = GoJson.databindWriter(true);
    return new byte[][] {
      MAPPER.writeValueAsBytes(value),
      withNewline(go.writeValueAsBytes(value)),
      withNewline(indented.writeValueAsBytes(value))
    };
  }

  @Test
  void everyRecordIsWrittenAsDatabindWritesIt() throws Exception {
    for (Map.Entry<Class<?>, Function<Random, Object>> record : RECORDS.entrySet()) {
      for (int seed = 0; seed < ROUNDS; seed++) {
        Object value = record.getValue().apply(new Random(seed));
        byte[][] expected = databind(value);
        String where = record.getKey().getSimpleName() + " seed " + seed;
        byte[] fast = StreamingJson.write(value, null, null);
        assertNotNull(fast, where + ": the codec handed the value to databind");
        assertEquals(utf8(expected[0]), utf8(fast), where);
        assertEquals(utf8(expected[1]), utf8(GoJson.encode(value)), where + " (Go escapes)");
        assertEquals(utf8(expected[2]), utf8(GoJson.encodeIndented(value)), where + " (indented)");
      }
    }
  }

  @Test
  void everyRecordIsReadAsDatabindReadsIt() throws Exception {
    for (Map.Entry<Class<?>, Function<Random, Object>> record : RECORDS.entrySet()) {
      Class<?> type = record.getKey();
      for (int seed = 0; seed < ROUNDS; seed++) {
        Object value = record.getValue().apply(new Random(seed));
        for (byte[] bytes : databind(value)) {
          String where = type.getSimpleName() + " seed " + seed + ": " + utf8(bytes);
          Object fast = StreamingJson.parse(bytes, type);
          assertNotNull(fast, where + ": the codec handed the document to databind");
          assertSameValue(MAPPER.readValue(bytes, type), fast, where);
        }
      }
    }
  }

  /** Documents off the plain shape: Json.parse must give databind's value or its message. */
  @Test
  void oddDocumentsGiveDatabindsValueOrMessage() throws Exception {
    String d = "\"sha256:" + "a".repeat(64) + "\"";
    String desc = "{\"mediaType\":\"m\",\"digest\":" + d + ",\"size\":3}";
    Map<Class<?>, List<String>> docs = new LinkedHashMap<>();
    docs.put(
        Descriptor.class,
        List.of(
            desc,
            "{\"mediaType\":1,\"digest\":" + d + ",\"size\":3}",
            "{\"mediaType\":true,\"digest\":" + d + ",\"size\":\"3\"}",
            "{\"mediaType\":\"m\",\"digest\":null,\"size\":null}",
            "{\"digest\":\"sha256:abc\",\"size\":3}",
            "{\"digest\":\"md5:" + "a".repeat(32) + "\"}",
            "{\"digest\":" + d + ",\"size\":3.7}",
            "{\"digest\":" + d + ",\"size\":99999999999999999999}",
            "{\"digest\":" + d + ",\"size\":-1}",
            "{\"digest\":" + d + ",\"urls\":[null,\"u\"]}",
            "{\"digest\":" + d + ",\"urls\":\"u\"}",
            "{\"digest\":" + d + ",\"annotations\":{\"a\":null}}",
            "{\"digest\":" + d + ",\"annotations\":{\"a\":\"1\",\"a\":\"2\"}}",
            "{\"digest\":" + d + ",\"annotations\":{\"a\":5}}",
            "{\"digest\":" + d + ",\"annotations\":[]}",
            "{\"digest\":" + d + ",\"data\":\"\"}",
            "{\"digest\":" + d + ",\"data\":\"AQI=\"}",
            "{\"digest\":" + d + ",\"data\":\"AQI\"}",
            "{\"digest\":" + d + ",\"data\":\"!!!\"}",
            "{\"digest\":" + d + ",\"data\":[1,2]}",
            "{\"digest\":" + d + ",\"platform\":null}",
            "{\"digest\":" + d + ",\"platform\":\"linux\"}",
            "{\"digest\":" + d + ",\"platform\":{\"os\":\"linux\",\"os\":\"x\"}}",
            "{\"mediaType\":\"a\",\"mediaType\":\"b\",\"digest\":" + d + "}",
            "{\"future\":{\"nested\":[1,{\"x\":null}]},\"digest\":" + d + "}",
            "{\"digest\":" + d + "} trailing",
            "{\"digest\":" + d + "}{}",
            "{\"digest\":" + d + ",}",
            "{\"digest\":" + d,
            "[]",
            "\"text\"",
            "null",
            "",
            "  ",
            "{\"size\":1e3}",
            "\uFEFF" + desc));
    docs.put(
        Index.class,
        List.of(
            "{\"schemaVersion\":2,\"manifests\":[]}",
            "{\"schemaVersion\":\"2\",\"manifests\":[]}",
            "{\"schemaVersion\":2.0,\"manifests\":[]}",
            "{\"schemaVersion\":3000000000}",
            "{\"schemaVersion\":null,\"manifests\":null}",
            "{\"schemaVersion\":2,\"manifests\":[null]}",
            "{\"schemaVersion\":2,\"manifests\":[" + desc + ",5]}",
            "{\"schemaVersion\":2,\"manifests\":{}}",
            "{\"schemaVersion\":2,\"manifests\":[],\"manifests\":[" + desc + "]}",
            "{\"schemaVersion\":2,\"subject\":"
                + desc
                + ",\"annotations\":{\"b\":\"1\",\"a\":\"2\"}}",
            "{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"sha256:x\"}]}"));
    docs.put(
        Manifest.class,
        List.of(
            "{\"schemaVersion\":2,\"config\":" + desc + ",\"layers\":[" + desc + "]}",
            "{\"schemaVersion\":2,\"config\":null,\"layers\":null}",
            "{\"schemaVersion\":2,\"config\":[],\"layers\":[]}",
            "{\"schemaVersion\":2,\"layers\":[" + desc + "],\"layers\":[]}",
            "{\"schemaVersion\":true}"));
    docs.put(
        Image.class,
        List.of(
            "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}",
            "{\"config\":{\"ExposedPorts\":{\"80/tcp\":{},\"53/udp\":{\"x\":[1]}}}}",
            "{\"config\":{\"ExposedPorts\":[]}}",
            "{\"config\":{\"ExposedPorts\":\"80\"}}",
            "{\"config\":{\"ExposedPorts\":null,\"Volumes\":{\"/a\":{},\"/a\":{}}}}",
            "{\"config\":{\"Env\":[null],\"Cmd\":\"sh\"}}",
            "{\"config\":{\"Labels\":{\"z\":\"1\",\"a\":\"2\"},\"ArgsEscaped\":\"true\"}}",
            "{\"config\":{\"ArgsEscaped\":1}}",
            "{\"config\":{\"ArgsEscaped\":false,\"Healthcheck\":{\"Test\":[\"x\"]}}}",
            "{\"config\":{\"User\":\"a\",\"User\":\"b\"}}",
            "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:abc\"]}}",
            "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[null]}}",
            "{\"history\":[{\"created\":\"2024-01-01T00:00:00Z\",\"empty_layer\":false},{\"empty_layer\":\"yes\"}]}",
            "{\"history\":[{\"empty_layer\":true},null]}",
            "{\"history\":{}}",
            "{\"created\":5,\"os.features\":[\"a\"],\"os.version\":null}"));
    docs.put(
        ImageLayout.class,
        List.of(
            "{\"imageLayoutVersion\":\"1.0.0\"}",
            "{\"imageLayoutVersion\":1}",
            "{\"imageLayoutVersion\":null}",
            "{}",
            "{\"imageLayoutVersion\":\"1.0.0\",\"imageLayoutVersion\":\"2\"}"));
    docs.put(
        JsonNode.class,
        List.of(
            "{\"a\":1,\"b\":5000000000,\"c\":123456789012345678901234567890,\"d\":-7}",
            "{\"a\":1.5}",
            "{\"a\":1e400}",
            "[1,\"x\",true,false,null,{\"k\":[[]]}]",
            "{\"a\":1,\"a\":2}",
            "{\"b\":{},\"a\":[]}",
            "\"scalar\"",
            "5",
            "null",
            "",
            "{\"a\":"));
    int fast = 0;
    for (Map.Entry<Class<?>, List<String>> entry : docs.entrySet()) {
      for (String doc : entry.getValue()) {
        byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
        String where = entry.getKey().getSimpleName() + " " + doc;
        Object expected;
        String expectedError = null;
        try {
          expected = Json.databindParse(bytes, entry.getKey(), "doc");
        } catch (Exception e) {
          expected = null;
          expectedError = e.getMessage();
        }
        Object actual = null;
        String actualError = null;
        try {
          actual = Json.parse(bytes, entry.getKey(), "doc");
        } catch (Exception e) {
          actualError = e.getMessage();
        }
        assertEquals(expectedError, actualError, where);
        if (expectedError == null) {
          assertSameValue(expected, actual, where);
        }
        if (StreamingJson.parse(bytes, entry.getKey()) != null) {
          fast++;
        }
      }
    }
    // the plain documents among them did take the fast path
    assertEquals(true, fast >= 20, "documents read by the codecs: " + fast);
  }

  @Test
  void treesAreReadAndWrittenAsDatabindDoes() throws Exception {
    for (int seed = 0; seed < ROUNDS; seed++) {
      Random r = new Random(seed);
      for (Function<Random, Object> make : RECORDS.values()) {
        Object value = make.apply(r);
        JsonNode databindTree = MAPPER.valueToTree(value);
        JsonNode fastTree = Json.toTree(value);
        assertEquals(
            utf8(MAPPER.writeValueAsBytes(databindTree)), utf8(MAPPER.writeValueAsBytes(fastTree)));
        byte[] bytes = MAPPER.writeValueAsBytes(value);
        JsonNode parsed = StreamingJson.parse(bytes, JsonNode.class);
        assertNotNull(parsed, utf8(bytes));
        assertEquals(MAPPER.readTree(bytes), parsed, utf8(bytes));
        assertEquals(
            utf8(withNewline(GoJson.databindWriter(false).writeValueAsBytes(parsed))),
            utf8(GoJson.encode(parsed)));
        assertEquals(
            utf8(withNewline(GoJson.databindWriter(true).writeValueAsBytes(parsed))),
            utf8(GoJson.encodeIndented(parsed)));
      }
    }
    assertNull(StreamingJson.parse("{\"a\":0.5}".getBytes(StandardCharsets.UTF_8), JsonNode.class));
  }

  /**
   * Equal values: records compare by their components (Descriptor's {@code data} by content), and
   * map order is compared too (a parsed label map keeps the document's order).
   */
  private static void assertSameValue(Object expected, Object actual, String where)
      throws Exception {
    assertEquals(expected.getClass(), actual.getClass(), where);
    assertEquals(utf8(MAPPER.writeValueAsBytes(expected)), utf8(MAPPER.writeValueAsBytes(actual)));
    if (expected instanceof JsonNode) {
      assertEquals(expected, actual, where);
    }
    if (expected instanceof Descriptor e) {
      assertArrayEquals(e.data(), ((Descriptor) actual).data(), where);
      assertEquals(e.platform(), ((Descriptor) actual).platform(), where);
    } else if (expected instanceof Image e) {
      Image a = (Image) actual;
      assertEquals(e.history(), a.history(), where);
      assertEquals(e.rootfs(), a.rootfs(), where);
      assertEquals(e.config(), a.config(), where);
      assertConfigShape(e.config(), a.config(), where);
    } else if (expected instanceof ImageConfig e) {
      assertEquals(e, actual, where);
      assertConfigShape(e, (ImageConfig) actual, where);
    } else if (expected instanceof Index || expected instanceof Manifest) {
      assertEquals(
          utf8(MAPPER.writeValueAsBytes(expected)), utf8(MAPPER.writeValueAsBytes(actual)));
    } else if (!(expected instanceof JsonNode)) {
      assertEquals(expected, actual, where);
    }
  }

  private static void assertConfigShape(ImageConfig e, ImageConfig a, String where) {
    if (e.labels() != null) {
      assertEquals(e.labels().getClass(), a.labels().getClass(), where);
      assertEquals(List.copyOf(e.labels().keySet()), List.copyOf(a.labels().keySet()), where);
    }
    if (e.env() != null) {
      assertEquals(e.env().getClass(), a.env().getClass(), where);
    }
    if (e.exposedPorts() != null) {
      assertEquals(e.exposedPorts().getClass(), a.exposedPorts().getClass(), where);
    }
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
