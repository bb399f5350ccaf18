package dev.umoci.registry;

import dev.umoci.errors.UmociException;

/**
 * A {@link CredentialSource} could not give the credentials a registry asked for (a password that
 * cannot be decrypted, say). The message is one line that names the source, which is what the user
 * has to fix, and never contains a secret. Not a {@link RegistryException}: the registry did
 * nothing wrong.
 */
public class CredentialSourceException extends UmociException {
  public CredentialSourceException(String message) {
    super(message);
  }

  public CredentialSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
