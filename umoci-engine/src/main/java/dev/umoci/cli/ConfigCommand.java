package dev.umoci.cli;

import dev.umoci.cli.CommandModel.Value;
import dev.umoci.ops.ConfigUpdate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class ConfigCommand implements Callable<Integer>, CliCommand {
  static final String NAME = "config";

  private final CommandSpec spec =
      CommandModel.command(this, NAME)
          .synopsis("--image <image-path>[:<tag>] [--tag <new-tag>]")
          .description("modifies the image configuration of an OCI image")
          .footer(
              "%nWhere \"<image-path>\" is the path to the OCI image, and \"<tag>\" is the name of",
              "the tagged image from which the config modifications will be based (if not",
              "specified, it defaults to \"latest\"). \"<new-tag>\" is the new reference name to",
              "save the new image as, if this is not specified then umoci will replace the old",
              "image.")
          .spec();

  private final ImageOption image = new ImageOption(spec);
  private final PlatformOption platform = new PlatformOption(spec);
  private final TagOption tag = new TagOption(spec);
  private final HistoryOption history = new HistoryOption(spec);

  private final Value<String> user =
      CommandModel.option("--config.user")
          .label("<value>")
          .description("set the user (and group) the entrypoint runs as")
          .on(spec);

  private final Value<List<String>> exposedPorts =
      CommandModel.options("--config.exposedports")
          .label("<value>")
          .description("add an exposed port (repeatable)")
          .on(spec);

  private final Value<List<String>> env =
      CommandModel.options("--config.env")
          .label("<value>")
          .description("set an environment variable NAME=VALUE (repeatable)")
          .on(spec);

  private final Value<List<String>> entrypoint =
      CommandModel.options("--config.entrypoint")
          .label("<value>")
          .description("set the entrypoint, one argument per flag (repeatable)")
          .on(spec);

  private final Value<List<String>> cmd =
      CommandModel.options("--config.cmd")
          .label("<value>")
          .description("set the default command, one argument per flag (repeatable)")
          .on(spec);

  private final Value<List<String>> volumes =
      CommandModel.options("--config.volume")
          .label("<value>")
          .description("add a volume (repeatable)")
          .on(spec);

  private final Value<List<String>> labels =
      CommandModel.options("--config.label")
          .label("<value>")
          .description("set a label KEY=VALUE (repeatable)")
          .on(spec);

  private final Value<String> workingDir =
      CommandModel.option("--config.workingdir")
          .label("<value>")
          .description("set the working directory")
          .on(spec);

  private final Value<String> stopSignal =
      CommandModel.option("--config.stopsignal")
          .label("<value>")
          .description("set the stop signal")
          .on(spec);

  private final Value<String> created =
      CommandModel.option("--created")
          .label("<value>")
          .description("set the image creation time (RFC 3339)")
          .on(spec);

  private final Value<String> author =
      CommandModel.option("--author").label("<value>").description("set the image author").on(spec);

  private final Value<String> os =
      CommandModel.option("--platform.os", "--os")
          .label("<value>")
          .description("set the platform OS")
          .on(spec);

  private final Value<String> architecture =
      CommandModel.option("--platform.arch", "--architecture")
          .label("<value>")
          .description("set the platform architecture")
          .on(spec);

  private final Value<String> variant =
      CommandModel.option("--platform.variant")
          .label("<value>")
          .description("set the platform variant")
          .on(spec);

  private final Value<List<String>> annotations =
      CommandModel.options("--manifest.annotation")
          .label("<value>")
          .description("set a manifest annotation KEY=VALUE (repeatable)")
          .on(spec);

  private final Value<List<String>> clear =
      CommandModel.options("--clear")
          .label("<value>")
          .description(
              "clear a value before applying the others: config.labels, manifest.annotations, config.exposedports, config.env, config.volume, config.cmd, config.entrypoint (repeatable)")
          .on(spec);

  @Override
  public CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() throws Exception {
    ConfigUpdate.run(
        ConfigUpdate.Options.builder(platform.apply(image.ref()))
            .newTag(tag.tagOrNull())
            .history(history.options())
            .timestamps(Cli.timestamps(spec))
            .clear(clear.value())
            .user(user.value())
            .exposedPorts(exposedPorts.value())
            .env(env.value())
            .entrypoint(entrypoint.value())
            .cmd(cmd.value())
            .volumes(volumes.value())
            .labels(labels.value())
            .workingDir(workingDir.value())
            .stopSignal(stopSignal.value())
            .created(created.value())
            .author(author.value())
            .os(os.value())
            .architecture(architecture.value())
            .variant(variant.value())
            .manifestAnnotations(annotations.value())
            .build());
    Cli.logCommitted(image.ref(), tag.tagOrNull());
    return 0;
  }
}
