package dev.umoci.maven;

import dev.umoci.fs.IdMapping;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Goals that map file owners between the host and the image ({@code unpack}, {@code insert}); a
 * {@code repack} takes the mapping its {@code unpack} recorded in the bundle, as umoci's does.
 */
public abstract class AbstractIdMapMojo extends AbstractImageMojo {

  /**
   * User id maps {@code container:host[:size]}, as {@code <uidMap>0:1000:1</uidMap>}; default: the
   * identity (or, with {@code rootless}, container root is the current user).
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.uidMaps")
  protected List<String> uidMaps;

  /**
   * Group id maps {@code container:host[:size]}, as {@code <gidMap>0:1000:1</gidMap>}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.gidMaps")
  protected List<String> gidMaps;

  /**
   * Rootless mode ({@code umoci --rootless}): work without root privileges, recording owners in the
   * {@code user.rootlesscontainers} xattr where they cannot be set.
   *
   * @since 0.1.0
   */
  @Parameter(property = "umoci.rootless", defaultValue = "false")
  protected boolean rootless;

  /** The checked id mapping. */
  protected final IdMapping mapping() throws MojoFailureException {
    return Inputs.idMapping(uidMaps, gidMaps, rootless);
  }
}
