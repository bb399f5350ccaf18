package dev.umoci.cli;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.ops.Copy;
import dev.umoci.registry.Credentials;
import dev.umoci.registry.PlatformChoice;
import dev.umoci.registry.RegistryOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "copy",
    customSynopsis = "SOURCE DESTINATION",
    description = "copies an image between registries and OCI layouts (skopeo's syntax)",
    footer = {
      "%nWhere SOURCE and DESTINATION are oci:PATH[:TAG] (an OCI layout; the tag defaults to",
      "\"latest\"; a missing destination layout is created) or docker://REFERENCE (a registry,",
      "[host[:port]/]repo[:tag][@digest]; Docker Hub when no host is given). Credentials come from",
      "--src-creds/--dest-creds, else --authfile or $REGISTRY_AUTH_FILE, else",
      "~/.docker/config.json (with its credential helpers)."
    })
final class CopyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--all", description = "copy every image of an index, not only one platform")
  boolean all;

  @Option(
      names = "--platform",
      paramLabel = "OS/ARCH[/VARIANT]",
      description = "the platform to take from an index (default: the host's)")
  String platform;

  @Option(
      names = "--src-creds",
      paramLabel = "USER[:PASSWORD]",
      description = "source registry credentials")
  String srcCreds;

  @Option(
      names = "--dest-creds",
      paramLabel = "USER[:PASSWORD]",
      description = "destination registry credentials")
  String destCreds;

  @Option(
      names = "--authfile",
      paramLabel = "FILE",
      description = "auth.json with registry credentials")
  Path authFile;

  @Option(
      names = "--src-tls-verify",
      arity = "0..1",
      defaultValue = "true",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description = "require HTTPS with a verified certificate for the source (default true)")
  boolean srcTlsVerify;

  @Option(
      names = "--dest-tls-verify",
      arity = "0..1",
      defaultValue = "true",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description = "require HTTPS with a verified certificate for the destination (default true)")
  boolean destTlsVerify;

  @Option(
      names = "--cert-dir",
      paramLabel = "DIR",
      description = "directory of extra CA certificates (*.crt) to trust")
  Path certDir;

  @Parameters(
      index = "0",
      paramLabel = "SOURCE",
      description = "oci:PATH[:TAG] or docker://REFERENCE")
  String source;

  @Parameters(
      index = "1",
      paramLabel = "DESTINATION",
      description = "oci:PATH[:TAG] or docker://REFERENCE")
  String destination;

  @Override
  public Integer call() throws Exception {
    if (all && platform != null) {
      throw new InvalidArgumentException("--all and --platform are mutually exclusive");
    }
    Map<String, String> env = Cli.environment(spec);
    Copy.Result result =
        Copy.run(
            Copy.Options.builder(source, destination)
                .platform(
                    all
                        ? PlatformChoice.whole()
                        : platform == null ? null : PlatformChoice.parse(platform))
                .sourceRegistry(registry(srcCreds, "--src-creds", srcTlsVerify, env))
                .destinationRegistry(registry(destCreds, "--dest-creds", destTlsVerify, env))
                .listener(ProgressPrinter.forTerminal(spec.commandLine().getErr()))
                .build());
    Cli.out(spec).println(result.descriptor().digest());
    return 0;
  }

  private RegistryOptions registry(
      String creds, String flag, boolean tlsVerify, Map<String, String> env)
      throws InvalidArgumentException {
    return RegistryOptions.builder()
        .credentials(creds == null ? null : Credentials.parse(creds, flag))
        .authFile(authFile)
        .environment(env)
        .tlsVerify(tlsVerify)
        .certDir(certDir)
        .build();
  }
}
