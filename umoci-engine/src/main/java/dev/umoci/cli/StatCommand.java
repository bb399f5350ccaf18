package dev.umoci.cli;

import dev.umoci.cli.CommandModel.Value;
import dev.umoci.oci.spec.GoJson;
import dev.umoci.ops.StatImage;
import dev.umoci.ops.StatReport;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class StatCommand implements Callable<Integer>, CliCommand {
  static final String NAME = "stat";

  private final CommandSpec spec =
      CommandModel.command(this, NAME)
          .synopsis("--image <image-path>[:<tag>]")
          .description("displays status information of an image manifest")
          .footer(
              "%nWhere \"<image-path>\" is the path to the OCI image, and \"<tag>\" is the name of",
              "the tagged image to stat.",
              "",
              "WARNING: Do not depend on the output of this tool unless you're using --json.",
              "The intention of the default formatting of this tool is that it is easy for",
              "humans to read, and might change in future versions.")
          .spec();

  private final ImageOption image = new ImageOption(spec);
  private final PlatformOption platform = new PlatformOption(spec);

  private final Value<Boolean> json =
      CommandModel.flag("--json")
          .description("output the stat information as a JSON encoded blob")
          .on(spec);

  @Override
  public CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() throws Exception {
    StatReport stat = StatImage.run(new StatImage.Options(platform.apply(image.ref())));
    PrintWriter out = Cli.out(spec);
    if (json.value()) {
      // umoci: json.NewEncoder(os.Stdout).Encode(ms), so <>& escaped and a trailing newline
      out.print(new String(GoJson.encode(stat.toJson()), StandardCharsets.UTF_8));
    } else {
      out.print(stat.format());
    }
    out.flush();
    return 0;
  }
}
