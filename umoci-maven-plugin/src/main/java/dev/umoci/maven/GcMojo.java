package dev.umoci.maven;

import dev.umoci.oci.casext.GarbageCollector;
import dev.umoci.ops.GarbageCollect;
import java.io.IOException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Removes blobs no tag reaches and stale temporary directories from the layout ({@code umoci gc}).
 */
@Mojo(name = "gc", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class GcMojo extends AbstractLayoutMojo {

  @Override
  protected void run() throws IOException {
    GarbageCollector.Result result =
        GarbageCollect.run(new GarbageCollect.Options(layout.toPath()));
    getLog()
        .info(
            "Removed "
                + result.removedBlobs().size()
                + " unreachable blob(s) and "
                + result.removedTempDirs().size()
                + " stale temporary director(ies) from "
                + layout);
  }
}
