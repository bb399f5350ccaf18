package dev.umoci.cli;

import dev.umoci.ops.ListTags;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "list",
    aliases = "ls",
    customSynopsis = "--layout <image-path>",
    description = "lists the set of tags in an OCI layout",
    footer = {
      "%nGives the full list of tags in an OCI layout, with each tag name on a single",
      "line. See umoci-stat(1) to get more information about each tagged image."
    })
final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin LayoutOption layout;

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
