package dev.umoci.registry;

import dev.umoci.errors.UmociException;

/**
 * A registry request failed. The message is one line naming the registry, the repository (when
 * there is one) and what failed. Subclasses name the kinds callers tell apart; {@link #retryable()}
 * says whether trying the same request again may succeed (429, 5xx, dropped connections).
 */
public class RegistryException extends UmociException {
  private final int status;
  private final boolean retryable;

  public RegistryException(String message, int status, boolean retryable, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.retryable = retryable;
  }

  public RegistryException(String message, int status) {
    this(message, status, status == 429 || status >= 500, null);
  }

  /** The HTTP status of the failed response, or 0 when there was none. */
  public int status() {
    return status;
  }

  /** Whether the same request may succeed when tried again. */
  public boolean retryable() {
    return retryable;
  }

  /** {@code registry R: repository X: } (the repository part only when given). */
  static String where(String registry, String repository) {
    return "registry "
        + registry
        + ": "
        + (repository == null || repository.isEmpty() ? "" : "repository " + repository + ": ");
  }
}
