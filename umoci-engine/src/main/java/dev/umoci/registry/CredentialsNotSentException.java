package dev.umoci.registry;

/**
 * A request needed credentials that were not sent because it would have carried them over plain
 * HTTP, and {@link RegistryOptions#sendCredentialsOverHttp()} is off. Nothing was sent.
 */
public class CredentialsNotSentException extends RegistryAuthException {
  public CredentialsNotSentException(String message) {
    super(message, 0);
  }
}
