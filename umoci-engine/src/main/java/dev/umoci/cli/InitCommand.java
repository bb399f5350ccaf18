package dev.umoci.cli;

import dev.umoci.ops.InitLayout;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class InitCommand implements Callable<Integer>, CliCommand {
  static final String NAME = "init";

  private final CommandSpec spec =
      CommandModel.command(this, NAME)
          .synopsis("--layout <image-path>")
          .description("create a new OCI layout")
          .footer("%nThe new OCI image layout is created at <image-path>, which must not exist.")
          .spec();

  private final LayoutOption layout = new LayoutOption(spec);

  @Override
  public CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() throws Exception {
    InitLayout.run(new InitLayout.Options(layout.path()));
    return 0;
  }
}
