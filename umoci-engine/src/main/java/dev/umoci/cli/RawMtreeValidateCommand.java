package dev.umoci.cli;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.errors.UmociException;
import dev.umoci.mtree.Keywords;
import dev.umoci.ops.MtreeValidate;
import dev.umoci.ops.MtreeValidateOptions;
import dev.umoci.sys.PathBytes;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code umoci raw mtree-validate} (hidden, umoci 0.6): validates a directory against an mtree
 * manifest as {@code gomtree validate} does. Each difference is printed on stdout; when there are
 * any, the command fails with {@code validation failed: N differences found} (exit status 1).
 */
@Command(
    name = "mtree-validate",
    hidden = true,
    description = "validate an mtree manifest (akin to \"go-mtree validate\")",
    footer = {
      "%nValidate \"<directory>\" against the mtree(8) manifest in \"<manifest.mtree>\".",
      "",
      "This tool is primarily intended for umoci's integration tests (go-mtree is",
      "missing rootless support in its CLI), and should not be relied upon by users."
    })
final class RawMtreeValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"--manifest", "-f", "--file"},
      required = true,
      paramLabel = "<manifest.mtree>",
      description = "mtree manifest to validate")
  String manifest;

  @Option(
      names = {"--path", "-p"},
      required = true,
      paramLabel = "<directory>",
      description = "root path the the mtree manifest is relative to")
  String path;

  @Option(
      names = {"--add-keywords", "-K"},
      paramLabel = "<keywords>",
      description =
          "add the specified keywords to the set used for validation (delimited by comma or space)")
  String addKeywords;

  @Option(
      names = {"--use-keywords", "-k"},
      paramLabel = "<keywords>",
      description = "use only the specified keywords for validation (delimited by comma or space)")
  String useKeywords;

  @Option(names = "--umoci-keywords", description = "use the default set of keywords used by umoci")
  boolean umociKeywords;

  @Option(names = "--rootless", description = "enable rootless command support")
  boolean rootless;

  @Override
  public Integer call() throws Exception {
    if (manifest.isEmpty()) {
      throw new InvalidArgumentException("--manifest must be a valid path");
    }
    if (path.isEmpty()) {
      throw new InvalidArgumentException("--path must be a valid path");
    }
    MtreeValidate.Result result =
        MtreeValidate.run(
            MtreeValidateOptions.of(PathBytes.fromText(manifest), PathBytes.fromText(path))
                .withAddKeywords(addKeywords == null ? null : Keywords.parseList(addKeywords))
                .withUseKeywords(useKeywords == null ? null : Keywords.parseList(useKeywords))
                .withUmociKeywords(umociKeywords)
                .withRootless(rootless));
    PrintWriter out = spec.commandLine().getOut();
    out.print(result.formatReport());
    out.flush();
    if (!result.success()) {
      throw new UmociException(result.failureMessage());
    }
    return 0;
  }
}
