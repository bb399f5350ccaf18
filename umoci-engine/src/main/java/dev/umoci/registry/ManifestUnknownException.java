package dev.umoci.registry;

/** The registry has no manifest (or no repository) for the tag or digest asked for. */
public class ManifestUnknownException extends RegistryException {
  public ManifestUnknownException(String message, int status) {
    super(message, status, false, null);
  }
}
