package dev.umoci.cli;

import dev.umoci.oci.spec.Json;
import dev.umoci.ops.StatImage;
import dev.umoci.ops.StatReport;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "stat",
    description = "displays status information of an image manifest",
    footer = {
      "%nWhere \"<image-path>\" is the path to the OCI image, and \"<tag>\" is the name of",
      "the tagged image to stat.",
      "",
      "WARNING: Do not depend on the output of this tool unless you're using --json.",
      "The intention of the default formatting of this tool is that it is easy for",
      "humans to read, and might change in future versions."
    })
final class StatCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ImageOption image;

  @Option(names = "--json", description = "output the stat information as a JSON encoded blob")
  boolean json;

  @Override
  public Integer call() throws Exception {
    StatReport stat = StatImage.run(new StatImage.Options(image.ref()));
    PrintWriter out = Cli.out(spec);
    if (json) {
      out.println(new String(Json.toBytes(stat.toJson()), StandardCharsets.UTF_8));
    } else {
      out.print(stat.format());
    }
    out.flush();
    return 0;
  }
}
