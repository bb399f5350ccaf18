package dev.umoci.cli;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.ops.Insert;
import dev.umoci.sys.PathBytes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "insert",
    customSynopsis = "--image <image-path>[:<tag>] [--opaque] <source> <target>",
    description = "insert content into an OCI image",
    footer = {
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
      "  umoci insert --image oci:foo --whiteout /some/old/dir"
    })
final class InsertCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ImageOption image;
  @Mixin PlatformOption platform;
  @Mixin TagOption tag;
  @Mixin HistoryOption history;
  @Mixin IdMapOption idMap;
  @Mixin CompressOption compress;

  @Option(names = "--whiteout", description = "insert a 'removal entry' for the given path")
  boolean whiteout;

  @Option(names = "--opaque", description = "mask any previous entries in the target directory")
  boolean opaque;

  @Parameters(paramLabel = "[<source>] <target>", arity = "0..*")
  List<String> arguments = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    int expected = whiteout ? 1 : 2;
    if (arguments.size() != expected) {
      throw new InvalidArgumentException(
          "invalid number of positional arguments: expected " + expected);
    }
    for (int i = 0; i < arguments.size(); i++) {
      if (arguments.get(i).isEmpty()) {
        throw new InvalidArgumentException(
            "invalid positional argument " + i + ": arguments cannot be empty");
      }
    }
    Path source = whiteout ? null : PathBytes.fromText(arguments.get(0));
    String target = arguments.get(expected - 1);
    Insert.run(
        Insert.Options.copy(platform.apply(image.ref()), source, target, Cli.timestamps(spec))
            .withNewTag(tag.tagOrNull())
            .withOpaque(opaque)
            .withWhiteout(whiteout)
            .withMapping(idMap.mapping())
            .withCompression(compress.choice())
            .withHistory(history.options()),
        Cli.progress(spec));
    Cli.logCommitted(image.ref(), tag.tagOrNull());
    return 0;
  }
}
