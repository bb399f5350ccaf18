package dev.umoci.cli;

import dev.umoci.cli.CommandModel.Value;
import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.errors.UmociException;
import dev.umoci.mtree.Keywords;
import dev.umoci.ops.MtreeValidate;
import dev.umoci.ops.MtreeValidateOptions;
import dev.umoci.sys.PathBytes;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code umoci raw mtree-validate} (hidden, umoci 0.6): validates a directory against an mtree
 * manifest as {@code gomtree validate} does. Each difference is printed on stdout; when there are
 * any, the command fails with {@code validation failed: N differences found} (exit status 1).
 */
final class RawMtreeValidateCommand implements Callable<Integer>, CliCommand {
  static final String NAME = "mtree-validate";

  private final CommandSpec spec =
      CommandModel.command(this, NAME)
          .hidden()
          .description("validate an mtree manifest (akin to \"go-mtree validate\")")
          .footer(
              "%nValidate \"<directory>\" against the mtree(8) manifest in \"<manifest.mtree>\".",
              "",
              "This tool is primarily intended for umoci's integration tests (go-mtree is",
              "missing rootless support in its CLI), and should not be relied upon by users.")
          .spec();

  private final Value<String> manifest =
      CommandModel.option("--manifest", "-f", "--file")
          .required()
          .label("<manifest.mtree>")
          .description("mtree manifest to validate")
          .on(spec);

  private final Value<String> path =
      CommandModel.option("--path", "-p")
          .required()
          .label("<directory>")
          .description("root path the the mtree manifest is relative to")
          .on(spec);

  private final Value<String> addKeywords =
      CommandModel.option("--add-keywords", "-K")
          .label("<keywords>")
          .description(
              "add the specified keywords to the set used for validation (delimited by comma or space)")
          .on(spec);

  private final Value<String> useKeywords =
      CommandModel.option("--use-keywords", "-k")
          .label("<keywords>")
          .description(
              "use only the specified keywords for validation (delimited by comma or space)")
          .on(spec);

  private final Value<Boolean> umociKeywords =
      CommandModel.flag("--umoci-keywords")
          .description("use the default set of keywords used by umoci")
          .on(spec);

  private final Value<Boolean> rootless =
      CommandModel.flag("--rootless").description("enable rootless command support").on(spec);

  @Override
  public CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() throws Exception {
    if (manifest.value().isEmpty()) {
      throw new InvalidArgumentException("--manifest.value() must be a valid path.value()");
    }
    if (path.value().isEmpty()) {
      throw new InvalidArgumentException("--path.value() must be a valid path.value()");
    }
    MtreeValidate.Result result =
        MtreeValidate.run(
            MtreeValidateOptions.of(
                    PathBytes.fromText(manifest.value()), PathBytes.fromText(path.value()))
                .withAddKeywords(
                    addKeywords.value() == null ? null : Keywords.parseList(addKeywords.value()))
                .withUseKeywords(
                    useKeywords.value() == null ? null : Keywords.parseList(useKeywords.value()))
                .withUmociKeywords(umociKeywords.value())
                .withRootless(rootless.value()));
    PrintWriter out = spec.commandLine().getOut();
    out.print(result.formatReport());
    out.flush();
    if (!result.success()) {
      throw new UmociException(result.failureMessage());
    }
    return 0;
  }
}
