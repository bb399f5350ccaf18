package dev.umoci.cli;

import dev.umoci.ops.ListTags;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class ListCommand implements Callable<Integer>, CliCommand {
  static final String NAME = "list";
  static final String ALIAS = "ls";

  private final CommandSpec spec =
      CommandModel.command(this, NAME)
          .aliases(ALIAS)
          .synopsis("--layout <image-path>")
          .description("lists the set of tags in an OCI layout")
          .footer(
              "%nGives the full list of tags in an OCI layout, with each tag name on a single",
              "line. See umoci-stat(1) to get more information about each tagged image.")
          .spec();

  private final LayoutOption layout = new LayoutOption(spec);

  @Override
  public CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = Cli.out(spec);
    for (String tag : ListTags.run(new ListTags.Options(layout.path()))) {
      out.println(tag);
    }
    out.flush();
    return 0;
  }
}
