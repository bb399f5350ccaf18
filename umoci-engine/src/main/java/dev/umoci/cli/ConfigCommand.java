package dev.umoci.cli;

import dev.umoci.ops.ConfigUpdate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "config",
    customSynopsis = "--image <image-path>[:<tag>] [--tag <new-tag>]",
    description = "modifies the image configuration of an OCI image",
    footer = {
      "%nWhere \"<image-path>\" is the path to the OCI image, and \"<tag>\" is the name of",
      "the tagged image from which the config modifications will be based (if not",
      "specified, it defaults to \"latest\"). \"<new-tag>\" is the new reference name to",
      "save the new image as, if this is not specified then umoci will replace the old",
      "image."
    })
final class ConfigCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ImageOption image;
  @Mixin PlatformOption platform;
  @Mixin TagOption tag;
  @Mixin HistoryOption history;

  @Option(
      names = "--config.user",
      paramLabel = "<value>",
      description = "set the user (and group) the entrypoint runs as")
  String user;

  @Option(
      names = "--config.exposedports",
      paramLabel = "<value>",
      description = "add an exposed port (repeatable)")
  List<String> exposedPorts;

  @Option(
      names = "--config.env",
      paramLabel = "<value>",
      description = "set an environment variable NAME=VALUE (repeatable)")
  List<String> env;

  @Option(
      names = "--config.entrypoint",
      paramLabel = "<value>",
      description = "set the entrypoint, one argument per flag (repeatable)")
  List<String> entrypoint;

  @Option(
      names = "--config.cmd",
      paramLabel = "<value>",
      description = "set the default command, one argument per flag (repeatable)")
  List<String> cmd;

  @Option(
      names = "--config.volume",
      paramLabel = "<value>",
      description = "add a volume (repeatable)")
  List<String> volumes;

  @Option(
      names = "--config.label",
      paramLabel = "<value>",
      description = "set a label KEY=VALUE (repeatable)")
  List<String> labels;

  @Option(
      names = "--config.workingdir",
      paramLabel = "<value>",
      description = "set the working directory")
  String workingDir;

  @Option(
      names = "--config.stopsignal",
      paramLabel = "<value>",
      description = "set the stop signal")
  String stopSignal;

  @Option(
      names = "--created",
      paramLabel = "<value>",
      description = "set the image creation time (RFC 3339)")
  String created;

  @Option(names = "--author", paramLabel = "<value>", description = "set the image author")
  String author;

  @Option(
      names = {"--platform.os", "--os"},
      paramLabel = "<value>",
      description = "set the platform OS")
  String os;

  @Option(
      names = {"--platform.arch", "--architecture"},
      paramLabel = "<value>",
      description = "set the platform architecture")
  String architecture;

  @Option(
      names = "--platform.variant",
      paramLabel = "<value>",
      description = "set the platform variant")
  String variant;

  @Option(
      names = "--manifest.annotation",
      paramLabel = "<value>",
      description = "set a manifest annotation KEY=VALUE (repeatable)")
  List<String> annotations;

  @Option(
      names = "--clear",
      paramLabel = "<value>",
      description =
          "clear a value before applying the others: config.labels, manifest.annotations, config.exposedports, config.env, config.volume, config.cmd, config.entrypoint (repeatable)")
  List<String> clear;

  @Override
  public Integer call() throws Exception {
    ConfigUpdate.run(
        ConfigUpdate.Options.builder(platform.apply(image.ref()))
            .newTag(tag.tagOrNull())
            .history(history.options())
            .timestamps(Cli.timestamps(spec))
            .clear(clear)
            .user(user)
            .exposedPorts(exposedPorts)
            .env(env)
            .entrypoint(entrypoint)
            .cmd(cmd)
            .volumes(volumes)
            .labels(labels)
            .workingDir(workingDir)
            .stopSignal(stopSignal)
            .created(created)
            .author(author)
            .os(os)
            .architecture(architecture)
            .variant(variant)
            .manifestAnnotations(annotations)
            .build());
    Cli.logCommitted(image.ref(), tag.tagOrNull());
    return 0;
  }
}
