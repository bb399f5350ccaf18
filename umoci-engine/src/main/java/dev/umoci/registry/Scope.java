package dev.umoci.registry;

/**
 * What a request needs access to: {@code repository:<name>:<actions>}, plus pull access to a second
 * repository for a cross-repository mount. Tokens are cached per scope.
 *
 * @param repository the repository acted on
 * @param push whether push access is needed (else pull)
 * @param mountFrom a repository blobs are mounted from, or null
 */
record Scope(String repository, boolean push, String mountFrom) {
  static Scope pull(String repository) {
    return new Scope(repository, false, null);
  }

  static Scope push(String repository) {
    return new Scope(repository, true, null);
  }

  /** The {@code scope} parameters of a token request. */
  java.util.List<String> tokenScopes() {
    String own = "repository:" + repository + ":" + (push ? "pull,push" : "pull");
    return mountFrom == null
        ? java.util.List.of(own)
        : java.util.List.of(own, "repository:" + mountFrom + ":pull");
  }

  /** The key tokens are cached under. */
  String key() {
    return String.join(" ", tokenScopes());
  }
}
