package dev.umoci.testing;

/** Stops what a test class started, in its {@code @AfterAll}. */
public final class Closing {
  private Closing() {}

  /**
   * Closes each of {@code resources} that is not null, in order, and keeps closing the others when
   * one fails (a registry that did not start must not keep the token server running).
   */
  public static void all(AutoCloseable... resources) {
    for (AutoCloseable c : resources) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // keep closing the others
      }
    }
  }
}
