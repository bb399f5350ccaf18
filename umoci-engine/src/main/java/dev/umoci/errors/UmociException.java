package dev.umoci.errors;

import java.io.IOException;

/**
 * Base of every failure the engine reports on purpose. The message is one line that names what is
 * wrong and where, suitable to show a user as is. Callers distinguish kinds by subclass, never by
 * message text.
 */
public class UmociException extends IOException {
  public UmociException(String message) {
    super(message);
  }

  public UmociException(String message, Throwable cause) {
    super(message, cause);
  }
}
