package dev.umoci.cli;

import dev.umoci.ops.InitLayout;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "init",
    customSynopsis = "--layout <image-path>",
    description = "create a new OCI layout",
    footer = "%nThe new OCI image layout is created at <image-path>, which must not exist.")
final class InitCommand implements Callable<Integer> {
  @Mixin LayoutOption layout;

  @Override
  public Integer call() throws Exception {
    InitLayout.run(new InitLayout.Options(layout.path()));
    return 0;
  }
}
