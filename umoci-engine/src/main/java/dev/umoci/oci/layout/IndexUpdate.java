package dev.umoci.oci.layout;

import dev.umoci.oci.spec.Index;
import java.io.IOException;

/**
 * A change to {@code index.json}, run under the layout write lock by {@link OciLayout#updateIndex}.
 */
@FunctionalInterface
public interface IndexUpdate {
  /**
   * Returns the new index for {@code current}. Returning an equal index writes nothing. Throwing
   * leaves {@code index.json} untouched.
   */
  Index apply(Index current) throws IOException;
}
