package dev.umoci.cli;

import dev.umoci.cli.CommandModel.Value;
import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.ops.Copy;
import dev.umoci.ops.CopyLocation;
import dev.umoci.registry.Credentials;
import dev.umoci.registry.PlatformChoice;
import dev.umoci.registry.RegistriesConf;
import dev.umoci.registry.RegistryOptions;
import dev.umoci.registry.RegistryUnreachableException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class CopyCommand implements Callable<Integer>, CliCommand, EarlyStart {
  static final String NAME = "copy";

  private final CommandSpec spec =
      CommandModel.command(this, NAME)
          .synopsis("SOURCE DESTINATION")
          .description("copies an image between registries and OCI layouts (skopeo's syntax)")
          .footer(
              "%nWhere SOURCE and DESTINATION are oci:PATH[:TAG] (an OCI layout; the tag defaults to",
              "\"latest\"; a missing destination layout is created), oci-archive:PATH[:TAG] (a tar of a",
              "layout), docker-archive:PATH[:NAME[:TAG]] (a tar of docker save, for docker load) or",
              "docker://REFERENCE (a registry, [host[:port]/]repo[:tag][@digest]; Docker Hub when no host",
              "is given). Credentials come from",
              "--src-creds/--dest-creds (none with --src-no-creds/--dest-no-creds), else",
              "--src-authfile/--dest-authfile, --authfile or $REGISTRY_AUTH_FILE, else (as skopeo)",
              "$XDG_RUNTIME_DIR/containers/auth.json, ~/.config/containers/auth.json,",
              "~/.docker/config.json (with its credential helpers), ~/.dockercfg. TLS certificates (CA",
              "*.crt, client *.cert with *.key) come from --src-cert-dir/--dest-cert-dir or --cert-dir,",
              "else (as skopeo) the first of ~/.config/containers/certs.d/HOST[:PORT]/,",
              "/etc/containers/certs.d/HOST[:PORT]/, /etc/docker/certs.d/HOST[:PORT]/. A Docker schema 2",
              "image copied into a layout, from a registry or another layout, is stored converted to OCI",
              "(new manifest digests, same blobs).",
              "Mirrors, redirects, insecure and blocked registries: containers' registries.conf.")
          .spec();

  private final Value<Boolean> all =
      CommandModel.flag("--all")
          .description("copy every image of an index, not only one platform")
          .goBoolean()
          .on(spec);

  private final Value<Boolean> quiet =
      CommandModel.flag("--quiet", "-q")
          .description("no progress line (as --log error)")
          .goBoolean()
          .on(spec);

  private final Value<String> platform =
      CommandModel.option("--platform")
          .label("OS/ARCH[/VARIANT]")
          .description("the platform to take from an index (default: the host's)")
          .on(spec);

  private final Value<Boolean> preserveDigests =
      CommandModel.flag("--preserve-digests")
          .description(
              "keep digests: fail rather than convert, push uncompressed layers as they are")
          .goBoolean()
          .on(spec);

  private final Value<Path> digestFile =
      CommandModel.path("--digestfile")
          .label("PATH")
          .description("after the copy, write the destination's manifest digest to PATH")
          .on(spec);

  private final Value<String> retryTimes =
      CommandModel.option("--retry-times")
          .label("N")
          .description("retry a failed request (429, 5xx, dropped) N times (default: 3)")
          .on(spec);

  private final Value<String> srcCreds =
      CommandModel.option("--src-creds")
          .label("USER:PASSWORD")
          .description("source registry credentials")
          .on(spec);

  private final Value<String> destCreds =
      CommandModel.option("--dest-creds")
          .label("USER:PASSWORD")
          .description("destination registry credentials")
          .on(spec);

  private final Value<Boolean> srcNoCreds =
      CommandModel.flag("--src-no-creds")
          .description("access the source registry anonymously (read no credentials)")
          .goBoolean()
          .on(spec);

  private final Value<Boolean> destNoCreds =
      CommandModel.flag("--dest-no-creds")
          .description("access the destination registry anonymously (read no credentials)")
          .goBoolean()
          .on(spec);

  private final Value<Path> authFile =
      CommandModel.path("--authfile")
          .label("FILE")
          .description("auth.json with registry credentials (both sides)")
          .on(spec);

  private final Value<Path> srcAuthFile =
      CommandModel.path("--src-authfile")
          .label("FILE")
          .description("auth.json for the source registry (instead of --authfile)")
          .on(spec);

  private final Value<Path> destAuthFile =
      CommandModel.path("--dest-authfile")
          .label("FILE")
          .description("auth.json for the destination registry (instead of --authfile)")
          .on(spec);

  private final Value<Boolean> srcTlsVerify =
      CommandModel.optionalBoolean("--src-tls-verify")
          .label("BOOL")
          .defaultValue("true")
          .fallbackValue("true")
          .description("require HTTPS with a verified certificate for the source")
          .goBoolean()
          .on(spec);

  private final Value<Boolean> destTlsVerify =
      CommandModel.optionalBoolean("--dest-tls-verify")
          .label("BOOL")
          .defaultValue("true")
          .fallbackValue("true")
          .description("require HTTPS with a verified certificate for the destination")
          .goBoolean()
          .on(spec);

  private final Value<Path> certDir =
      CommandModel.path("--cert-dir")
          .label("DIR")
          .description("CA certificates (*.crt), client certificate (*.cert, *.key), both sides")
          .on(spec);

  private final Value<Path> srcCertDir =
      CommandModel.path("--src-cert-dir")
          .label("DIR")
          .description("as --cert-dir, for the source registry (instead of --cert-dir)")
          .on(spec);

  private final Value<Path> destCertDir =
      CommandModel.path("--dest-cert-dir")
          .label("DIR")
          .description("as --cert-dir, for the destination registry (instead of --cert-dir)")
          .on(spec);

  private final Value<String> source =
      CommandModel.positional("0")
          .label("SOURCE")
          .description(
              "oci:PATH[:TAG], oci-archive:PATH[:TAG], docker-archive:PATH[:NAME[:TAG]] or"
                  + " docker://REFERENCE")
          .on(spec);

  private final Value<String> destination =
      CommandModel.positional("1")
          .label("DESTINATION")
          .description(
              "oci:PATH[:TAG], oci-archive:PATH[:TAG], docker-archive:PATH[:NAME[:TAG]] or"
                  + " docker://REFERENCE")
          .on(spec);

  @Override
  public CommandSpec spec() {
    return spec;
  }

  /** The copy, once {@link #startEarly} has started it. */
  private Copy.Started started;

  /** Starts the registry connection; a command line it cannot start from is reported by call. */
  @Override
  public void startEarly() {
    try {
      started = Copy.start(options());
    } catch (Exception e) {
      started = null;
    }
  }

  @Override
  public Integer call() throws Exception {
    Copy.Started s = started != null ? started : Copy.start(options());
    Copy.Result result;
    try {
      result = Copy.run(s);
    } catch (RegistryUnreachableException e) {
      throw TlsAdvice.apply(e, s.options());
    } finally {
      ProgressPrinter.finish(s.options().listener());
    }
    Cli.out(spec).println(result.descriptor().digest());
    return 0;
  }

  private Copy.Options options() throws Exception {
    if (all.value() && platform.value() != null) {
      throw new InvalidArgumentException("--all and --platform are mutually exclusive");
    }
    Map<String, String> env = Cli.environment(spec);
    int attempts = retryTimes.value() == null ? 0 : attempts(retryTimes.value());
    RegistriesConf.Config conf = registriesConf(env);
    return Copy.Options.builder(source.value(), destination.value())
        .platform(
            all.value()
                ? PlatformChoice.whole()
                : platform.value() == null ? null : PlatformChoice.parse(platform.value()))
        .sourceRegistry(
            side(
                conf,
                source.value(),
                "source",
                "--src-tls-verify",
                registry(
                        "--src-",
                        srcCreds.value(),
                        srcNoCreds.value(),
                        srcAuthFile.value(),
                        srcTlsVerify.value(),
                        srcCertDir.value(),
                        attempts,
                        env)
                    .toBuilder()
                    .mirrors(conf == null ? null : conf.mirrors())
                    .build()))
        .destinationRegistry(
            side(
                conf,
                destination.value(),
                "destination",
                "--dest-tls-verify",
                registry(
                    "--dest-",
                    destCreds.value(),
                    destNoCreds.value(),
                    destAuthFile.value(),
                    destTlsVerify.value(),
                    destCertDir.value(),
                    attempts,
                    env)))
        .preserveDigests(preserveDigests.value())
        .digestFile(digestFile.value())
        .listener(Cli.copyProgress(spec, quiet.value()))
        .build();
  }

  /**
   * Containers' {@code registries.conf} (mirrors, {@code insecure}, {@code blocked}) when either
   * side is a registry, else null.
   */
  private RegistriesConf.Config registriesConf(Map<String, String> env) throws IOException {
    boolean registry =
        (source.value() != null && CopyLocation.namesRegistry(source.value()))
            || (destination.value() != null && CopyLocation.namesRegistry(destination.value()));
    return registry ? RegistriesConf.read(env) : null;
  }

  /** {@code options} as {@code registries.conf} rules them for the side {@code text} names. */
  private RegistryOptions side(
      RegistriesConf.Config conf,
      String text,
      String which,
      String tlsFlag,
      RegistryOptions options)
      throws Exception {
    if (conf == null || text == null || !CopyLocation.namesRegistry(text)) {
      return options;
    }
    CopyLocation.Registry r = (CopyLocation.Registry) CopyLocation.parse(text, which);
    return conf.apply(
        r.reference(), options, spec.commandLine().getParseResult().hasMatchedOption(tlsFlag));
  }

  /** Tries per request for {@code --retry-times N}: N + 1. */
  private static int attempts(String n) throws InvalidArgumentException {
    int retries;
    try {
      retries = Integer.parseInt(n);
    } catch (NumberFormatException e) {
      retries = -1;
    }
    if (retries < 0 || retries > 100) {
      throw new InvalidArgumentException(
          "--retry-times " + n + ": not a number of retries (0 to 100)");
    }
    return retries + 1;
  }

  /** One side's options; {@code prefix} is its flags' ({@code --src-}, {@code --dest-}). */
  private RegistryOptions registry(
      String prefix,
      String creds,
      boolean noCreds,
      Path sideAuthFile,
      boolean tlsVerify,
      Path sideCertDir,
      int attempts,
      Map<String, String> env)
      throws InvalidArgumentException {
    if (noCreds && creds != null) {
      throw new InvalidArgumentException(
          prefix + "creds and " + prefix + "no-creds cannot be given together");
    }
    RegistryOptions.Builder b = RegistryOptions.builder();
    if (attempts > 0) {
      b.attempts(attempts);
    }
    return b.credentials(creds == null ? null : Credentials.parse(creds, prefix + "creds"))
        .anonymous(noCreds)
        .authFile(sideAuthFile != null ? sideAuthFile : authFile.value())
        .environment(env)
        .tlsVerify(tlsVerify)
        .certDir(sideCertDir != null ? sideCertDir : certDir.value())
        .build();
  }
}
