package dev.umoci.cli;

import dev.umoci.cli.CommandModel.Value;
import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.ops.Insert;
import dev.umoci.sys.PathBytes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class InsertCommand implements Callable<Integer>, CliCommand {
  static final String NAME = "insert";

  private final CommandSpec spec =
      CommandModel.command(this, NAME)
          .synopsis("--image <image-path>[:<tag>] [--opaque] <source> <target>")
          .description("insert content into an OCI image")
          .footer(
              "%nWhere \"<image-path>\" is the path to the OCI image, and \"<tag>\" is the name of",
              "the tag that the content will be inserted into (if not specified, defaults to",
              "\"latest\").",
              "",
              "The path at \"<source>\" is added to the image with the given \"<target>\" name.",
              "If \"--whiteout\" is specified, rather than inserting content into the image, a",
              "removal entry for \"<target>\" is inserted instead.",
              "",
              "If \"--opaque\" is specified then any paths below \"<target>\" (assuming it is a",
              "directory) from previous layers will no longer be present.",
              "",
              "Some examples:",
              "  umoci insert --image oci:foo mybinary /usr/bin/mybinary",
              "  umoci insert --image oci:foo --opaque myoptdir /opt",
              "  umoci insert --image oci:foo --whiteout /some/old/dir")
          .spec();

  private final ImageOption image = new ImageOption(spec);
  private final PlatformOption platform = new PlatformOption(spec);
  private final TagOption tag = new TagOption(spec);
  private final HistoryOption history = new HistoryOption(spec);
  private final IdMapOption idMap = new IdMapOption(spec);
  private final CompressOption compress = new CompressOption(spec);

  private final Value<Boolean> whiteout =
      CommandModel.flag("--whiteout")
          .description("insert a 'removal entry' for the given path")
          .on(spec);

  private final Value<Boolean> opaque =
      CommandModel.flag("--opaque")
          .description("mask any previous entries in the target directory")
          .on(spec);

  private final Value<List<String>> arguments =
      CommandModel.positionals("0..*")
          .initially(new ArrayList<>())
          .label("[<source>] <target>")
          .arity("0..*")
          .on(spec);

  @Override
  public CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() throws Exception {
    int expected = whiteout.value() ? 1 : 2;
    if (arguments.value().size() != expected) {
      throw new InvalidArgumentException(
          "invalid number of positional arguments.value(): expected " + expected);
    }
    for (int i = 0; i < arguments.value().size(); i++) {
      if (arguments.value().get(i).isEmpty()) {
        throw new InvalidArgumentException(
            "invalid positional argument " + i + ": arguments.value() cannot be empty");
      }
    }
    Path source = whiteout.value() ? null : PathBytes.fromText(arguments.value().get(0));
    String target = arguments.value().get(expected - 1);
    Insert.run(
        Insert.Options.copy(platform.apply(image.ref()), source, target, Cli.timestamps(spec))
            .withNewTag(tag.tagOrNull())
            .withOpaque(opaque.value())
            .withWhiteout(whiteout.value())
            .withMapping(idMap.mapping())
            .withCompression(compress.choice())
            .withHistory(history.options()),
        Cli.progress(spec));
    Cli.logCommitted(image.ref(), tag.tagOrNull());
    return 0;
  }
}
