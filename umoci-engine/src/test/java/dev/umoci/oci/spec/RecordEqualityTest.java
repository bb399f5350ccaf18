package dev.umoci.oci.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The spec records whose {@code equals}/{@code hashCode} are written out (to keep the invokedynamic
 * bootstrap of the generated ones off the start path) keep the contract of the generated ones:
 * equal exactly when every component is {@code Objects.equals}, and equal values have equal hash
 * codes. Each record is checked on pairs that differ in one component only, so a component left out
 * of {@code equals} fails the test.
 */
class RecordEqualityTest {
  private static final Digest A = new Digest("sha256", "a".repeat(64));
  private static final Digest B = new Digest("sha256", "b".repeat(64));
  private static final Platform LINUX =
      new Platform("amd64", "linux", "1", List.of("f"), "v8", List.of("g"));

  /** The reference: what a record's generated equals does. */
  private static boolean componentsEqual(Record x, Record y) throws Exception {
    if (x.getClass() != y.getClass()) {
      return false;
    }
    for (RecordComponent c : x.getClass().getRecordComponents()) {
      if (!Objects.equals(c.getAccessor().invoke(x), c.getAccessor().invoke(y))) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code base}'s arguments, a fresh copy of them, and for each component one instance with that
   * component replaced by {@code other[i]}; then every pair compared both ways.
   */
  private static void check(Class<? extends Record> type, Object[] base, Object[] other)
      throws Exception {
    RecordComponent[] components = type.getRecordComponents();
    Constructor<? extends Record> canonical =
        type.getDeclaredConstructor(
            java.util.Arrays.stream(components)
                .map(RecordComponent::getType)
                .toArray(Class<?>[]::new));
    List<Record> values = new ArrayList<>();
    values.add(canonical.newInstance(base));
    values.add(canonical.newInstance(base.clone()));
    for (int i = 0; i < components.length; i++) {
      Object[] args = base.clone();
      args[i] = other[i];
      values.add(canonical.newInstance(args));
    }
    for (Record x : values) {
      for (Record y : values) {
        boolean expected = componentsEqual(x, y);
        assertEquals(expected, x.equals(y), type.getSimpleName() + ": " + x + " vs " + y);
        if (expected) {
          assertEquals(x.hashCode(), y.hashCode(), type.getSimpleName() + ": " + x);
        }
      }
      assertEquals(false, x.equals(null));
      assertEquals(false, x.equals("x"));
    }
  }

  @Test
  void digest() throws Exception {
    check(
        Digest.class,
        new Object[] {"sha256", "a".repeat(64)},
        new Object[] {"sha256", "c".repeat(64)});
    assertEquals(false, A.equals(new Digest("sha512", "a".repeat(128))));
  }

  @Test
  void platform() throws Exception {
    check(
        Platform.class,
        new Object[] {"amd64", "linux", "1", List.of("f"), "v8", List.of("g")},
        new Object[] {"arm64", "windows", "2", List.of(), null, List.of("h")});
  }

  @Test
  void descriptor() throws Exception {
    byte[] data = {1, 2};
    check(
        Descriptor.class,
        new Object[] {
          MediaTypes.IMAGE_MANIFEST, A, 3L, List.of("u"), Map.of("k", "v"), data, LINUX, "t"
        },
        new Object[] {
          MediaTypes.IMAGE_INDEX, B, 4L, List.of(), Map.of("k", "w"), new byte[] {1, 2}, null, null
        });
  }

  @Test
  void index() throws Exception {
    Descriptor d = Descriptor.of(MediaTypes.IMAGE_MANIFEST, A, 3);
    check(
        Index.class,
        new Object[] {2, MediaTypes.IMAGE_INDEX, "t", List.of(d), d, Map.of("k", "v")},
        new Object[] {
          3, null, null, List.of(), Descriptor.of(MediaTypes.IMAGE_MANIFEST, B, 3), Map.of()
        });
  }

  @Test
  void rootFs() throws Exception {
    check(RootFs.class, new Object[] {"layers", List.of(A)}, new Object[] {"x", List.of(B)});
  }
}
