package dev.umoci.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How to talk to one registry: credentials and where to look for them, TLS, transfer tuning.
 *
 * @param credentials explicit credentials ({@code --creds}, a {@code settings.xml} server), or null
 *     to look them up; the source is asked only when the registry first asks for credentials
 * @param anonymous access the registry anonymously ({@code --no-creds}): no credential source is
 *     read at all; {@code credentials} must then be null
 * @param authFile explicit auth file ({@code --authfile}), or null for {@code $REGISTRY_AUTH_FILE}
 * @param environment the environment credentials are looked up in ({@code HOME}, {@code
 *     XDG_RUNTIME_DIR}, {@code XDG_CONFIG_HOME}, {@code DOCKER_CONFIG}, {@code REGISTRY_AUTH_FILE},
 *     {@code PATH}; see {@link CredentialResolver})
 * @param tlsVerify false allows plain HTTP and unverified TLS
 * @param sendCredentialsOverHttp whether credentials may go over plain HTTP (to the registry, or a
 *     token endpoint, or as a token got with them) when {@code tlsVerify} is off: true as skopeo
 *     does (the CLI's behaviour); false, as Jib does, fails such a request with {@link
 *     CredentialsNotSentException} instead (the Maven plugin's default)
 * @param certDir TLS material ({@code --cert-dir}): CA certificates ({@code *.crt}) and client
 *     certificates ({@code NAME.cert} with {@code NAME.key}), see {@link CertDirectory}; or null to
 *     use the registry's directory below {@code perHostCertDirs}, if any
 * @param perHostCertDirs the {@code certs.d} directories, whose {@code <host[:port]>} subdirectory
 *     is used (the first that exists) when {@code certDir} is null; by default {@code
 *     $HOME/.config/containers/certs.d} ({@code HOME} of {@code environment}), {@code
 *     /etc/containers/certs.d}, {@code /etc/docker/certs.d}, as skopeo
 * @param parallelism how many blobs transfer at once
 * @param chunkThreshold blobs larger than this are uploaded in chunks ({@code PATCH})
 * @param chunkSize bytes per chunk
 * @param rangePart the smallest part a pulled blob is split into for parallel {@code Range}
 *     requests; 0 never splits (see {@link Puller})
 * @param attempts tries per request on 429, 5xx and dropped connections (at least 1)
 * @param backoff first wait between tries; doubled for each further try
 * @param idleTimeout how long a transfer may make no progress (no byte of a response body received,
 *     no byte of an upload taken) before it is given up and retried; a transfer that keeps moving
 *     has no time limit
 * @param userAgent the {@code User-Agent} of every request (registry, token endpoint, storage host
 *     a blob is redirected to): by default {@link #DEFAULT_USER_AGENT}, so that registry operators
 *     can tell this client's requests from others' (Docker Hub counts pulls per client, too)
 * @param mirrors pull-through mirrors a pull tries before the registry ({@link MirroredSource}), or
 *     null for none (the default: then no class of the mirror support is loaded)
 */
public record RegistryOptions(
    CredentialSource credentials,
    boolean anonymous,
    Path authFile,
    Map<String, String> environment,
    boolean tlsVerify,
    boolean sendCredentialsOverHttp,
    Path certDir,
    List<Path> perHostCertDirs,
    int parallelism,
    long chunkThreshold,
    long chunkSize,
    long rangePart,
    int attempts,
    Duration backoff,
    Duration idleTimeout,
    String userAgent,
    Mirrors mirrors) {

  /** {@code umoci-java/VERSION}, the version of this jar's manifest. */
  public static final String DEFAULT_USER_AGENT =
      "umoci-java/" + versionOf(RegistryOptions.class, "0.1.0-SNAPSHOT");

  public RegistryOptions {
    environment = environment == null ? Map.of() : Map.copyOf(environment);
    perHostCertDirs =
        perHostCertDirs == null
            ? defaultPerHostCertDirs(environment)
            : List.copyOf(perHostCertDirs);
    if (anonymous && credentials != null) {
      throw new IllegalArgumentException("anonymous access with explicit credentials");
    }
    if (parallelism < 1 || attempts < 1 || chunkSize < 1 || chunkThreshold < 0 || rangePart < 0) {
      throw new IllegalArgumentException("parallelism, attempts and chunkSize must be positive");
    }
    if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idle timeout must be positive: " + idleTimeout);
    }
    if (!isPrintableAscii(userAgent)) {
      throw new IllegalArgumentException("User-Agent must be printable ASCII: " + userAgent);
    }
  }

  private static boolean isPrintableAscii(String s) {
    if (s == null || s.isBlank()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }

  /**
   * The {@code Implementation-Version} of the jar {@code type} came from, or {@code fallback} when
   * it has none (classes run from a build directory).
   */
  public static String versionOf(Class<?> type, String fallback) {
    String v = type.getPackage().getImplementationVersion();
    return v == null || v.isBlank() ? fallback : v;
  }

  /** skopeo's {@code certs.d} directories for {@code env}, see {@link #perHostCertDirs()}. */
  private static List<Path> defaultPerHostCertDirs(Map<String, String> env) {
    String home = env.get("HOME");
    Path etc1 = Path.of("/etc/containers/certs.d");
    Path etc2 = Path.of("/etc/docker/certs.d");
    return home == null || home.isEmpty()
        ? List.of(etc1, etc2)
        : List.of(Path.of(home, ".config", "containers", "certs.d"), etc1, etc2);
  }

  /** Defaults: credentials looked up in the process environment, TLS verified. */
  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.credentials = credentials;
    b.anonymous = anonymous;
    b.authFile = authFile;
    b.environment = environment;
    b.tlsVerify = tlsVerify;
    b.sendCredentialsOverHttp = sendCredentialsOverHttp;
    b.certDir = certDir;
    b.perHostCertDirs = perHostCertDirs;
    b.parallelism = parallelism;
    b.chunkThreshold = chunkThreshold;
    b.chunkSize = chunkSize;
    b.rangePart = rangePart;
    b.attempts = attempts;
    b.backoff = backoff;
    b.idleTimeout = idleTimeout;
    b.userAgent = userAgent;
    b.mirrors = mirrors;
    return b;
  }

  /** The resolver of credentials these options describe. */
  public CredentialResolver credentialResolver() {
    return anonymous
        ? CredentialResolver.anonymous()
        : CredentialResolver.of(credentials, authFile, environment);
  }

  /** Builder of {@link RegistryOptions}. */
  public static final class Builder {
    private CredentialSource credentials;
    private boolean anonymous;
    private Path authFile;
    private Map<String, String> environment = System.getenv();
    private boolean tlsVerify = true;
    private boolean sendCredentialsOverHttp = true;
    private Path certDir;
    private List<Path> perHostCertDirs;
    private int parallelism = 4;

    /**
     * One request per blob up to 256 MiB, as skopeo and docker send every blob (one streamed {@code
     * PATCH}): 16 MiB chunks above 64 MiB cost both sides CPU on the large benchmark push (ours
     * 0.69-0.77 s against 0.67-0.72 s monolithic, the registry's 0.88-0.93 s against 0.86-0.90 s,
     * which keeps an upload's state between chunks), 4 runs each at load 8-9.
     */
    private long chunkThreshold = 256L << 20;

    private long chunkSize = 64L << 20;

    /**
     * 16 MiB unless the system property {@code umoci.registry.rangePart} says otherwise (0: one
     * {@code GET} per blob), for measuring one way against the other.
     */
    private long rangePart = Math.max(0, Long.getLong("umoci.registry.rangePart", 16L << 20));

    private int attempts = 4;
    private Duration backoff = Duration.ofMillis(250);

    /** As long as Jib's default read timeout (20 s) three times over; skopeo has none. */
    private Duration idleTimeout = Duration.ofSeconds(60);

    private String userAgent = DEFAULT_USER_AGENT;
    private Mirrors mirrors;

    private Builder() {}

    public Builder credentials(Credentials v) {
      credentials = v == null ? null : CredentialSource.of(v);
      return this;
    }

    /**
     * Explicit credentials resolved when the registry first asks for them; see {@link
     * RegistryOptions#credentials()}.
     */
    public Builder credentials(CredentialSource v) {
      credentials = v;
      return this;
    }

    /** See {@link RegistryOptions#anonymous()}. */
    public Builder anonymous(boolean v) {
      anonymous = v;
      return this;
    }

    public Builder authFile(Path v) {
      authFile = v;
      return this;
    }

    public Builder environment(Map<String, String> v) {
      environment = v;
      return this;
    }

    public Builder tlsVerify(boolean v) {
      tlsVerify = v;
      return this;
    }

    public Builder sendCredentialsOverHttp(boolean v) {
      sendCredentialsOverHttp = v;
      return this;
    }

    public Builder certDir(Path v) {
      certDir = v;
      return this;
    }

    /** See {@link RegistryOptions#perHostCertDirs()}; null for skopeo's. */
    public Builder perHostCertDirs(List<Path> v) {
      perHostCertDirs = v;
      return this;
    }

    public Builder parallelism(int v) {
      parallelism = v;
      return this;
    }

    public Builder chunkThreshold(long v) {
      chunkThreshold = v;
      return this;
    }

    public Builder chunkSize(long v) {
      chunkSize = v;
      return this;
    }

    public Builder rangePart(long v) {
      rangePart = v;
      return this;
    }

    public Builder attempts(int v) {
      attempts = v;
      return this;
    }

    public Builder backoff(Duration v) {
      backoff = v;
      return this;
    }

    /** See {@link RegistryOptions#idleTimeout()}. */
    public Builder idleTimeout(Duration v) {
      idleTimeout = v;
      return this;
    }

    /** See {@link RegistryOptions#userAgent()}. */
    public Builder userAgent(String v) {
      userAgent = v;
      return this;
    }

    /** See {@link RegistryOptions#mirrors()}. */
    public Builder mirrors(Mirrors v) {
      mirrors = v;
      return this;
    }

    public RegistryOptions build() {
      return new RegistryOptions(
          credentials,
          anonymous,
          authFile,
          environment,
          tlsVerify,
          sendCredentialsOverHttp,
          certDir,
          perHostCertDirs,
          parallelism,
          chunkThreshold,
          chunkSize,
          rangePart,
          attempts,
          backoff,
          idleTimeout,
          userAgent,
          mirrors);
    }
  }
}
