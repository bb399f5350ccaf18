package dev.umoci.maven;

import dev.umoci.ops.ProgressListener;
import dev.umoci.ops.Timestamps;
import java.io.IOException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * What every goal shares: {@code umoci.skip}, the reproducible clock and the one error mapping. A
 * goal implements {@link #run()} as a mapping of its parameters onto one engine operation.
 */
public abstract class AbstractUmociMojo extends AbstractMojo {

  /**
   * Skips every umoci goal. Set on the command line with {@code -Dumoci.skip}; in the POM write
   * &lt;skip&gt;${umoci.skip}&lt;/skip&gt; rather than a literal {@code true}, which a {@code -D}
   * property cannot override.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.skip", defaultValue = "false")
  protected boolean skip;

  /**
   * Reproducible time: when set, image {@code created}, history times and the file times in new
   * layers come from this value (for {@code build} every file's, for the goals that add layers to
   * an image, such as {@code insert} and {@code repack}, those newer than it), so unchanged inputs
   * give identical digests. ISO-8601 ({@code 2024-01-01T00:00:00Z}) or integer seconds since the
   * epoch, as maven-jar-plugin accepts. When not set, {@code SOURCE_DATE_EPOCH}, else for {@code
   * build} 1970-01-01T00:00:00Z (as Jib, so that builds stay reproducible) and for the goals that
   * change an image ({@code insert}, {@code config}, ...) the current time (as umoci). {@code push}
   * and the goals that only read ignore it.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.outputTimestamp", defaultValue = "${project.build.outputTimestamp}")
  protected String outputTimestamp;

  /** The running goal, for log lines and messages. */
  @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
  protected MojoExecution mojoExecution;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("Skipping umoci:" + goal() + " because umoci.skip is true");
      return;
    }
    try {
      run();
    } catch (IOException e) {
      // The whole chain for -X: a known failure reaches Maven as its one line (see Failures).
      getLog().debug("umoci:" + goal() + " failed", e);
      failures().rethrow(e);
    }
  }

  /** Maps the parameters onto the engine operation and runs it. */
  protected abstract void run() throws IOException, MojoFailureException;

  /** Which POM element a failure of the engine operation is blamed on. */
  protected abstract Failures failures();

  /** The goal name, such as {@code build}. */
  protected final String goal() {
    return mojoExecution == null ? getClass().getSimpleName() : mojoExecution.getGoal();
  }

  /**
   * Progress of a long engine step as a log line at most every {@value
   * ProgressLines#INTERVAL_SECONDS} seconds (nothing for a step that ends sooner).
   */
  protected final ProgressListener progress() {
    return ProgressLines.of(getLog());
  }

  /** The clock of the engine operation, from {@link #outputTimestamp}. */
  protected final Timestamps timestamps() throws MojoFailureException {
    return OutputTimestamp.timestamps(outputTimestamp);
  }
}
