package dev.umoci.maven;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.ops.ArchiveLayout;
import dev.umoci.ops.DockerArchive;
import dev.umoci.ops.ImageRef;
import java.io.File;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;

/**
 * The archive {@code build} writes beside the layout ({@code <archive>}, {@code <attach>}, {@code
 * <classifier>}, {@code <imageName>}): {@code target/<finalName>-<classifier>.tar}, attached to the
 * project when asked.
 */
record ImageArchives(
    String archive,
    boolean attach,
    String classifier,
    String imageName,
    String tag,
    MavenProject project,
    MavenProjectHelper projectHelper,
    Log log) {

  /** {@code none}, {@code oci-archive} or {@code docker-archive}; {@code attach} implies one. */
  String format() throws MojoFailureException {
    String format =
        Inputs.oneOf("archive", archive, List.of("none", "oci-archive", "docker-archive"));
    return format.equals("none") && attach ? "oci-archive" : format;
  }

  /** Writes (and attaches) the archive of {@code target} in {@code layout}, if any. */
  void write(File layout, ImageRef target, Instant time) throws IOException, MojoFailureException {
    String format = format();
    if (format.equals("none")) {
      return;
    }
    boolean docker = format.equals("docker-archive");
    String suffix = classifier != null ? classifier : docker ? "docker" : "oci";
    File file =
        new File(
            project.getBuild().getDirectory(),
            project.getBuild().getFinalName() + "-" + suffix + ".tar");
    if (docker) {
      String repoTag = dockerName() + ":" + target.tag();
      try {
        DockerArchive.requireRepoTag(repoTag);
      } catch (InvalidArgumentException e) {
        throw new MojoFailureException(
            Xml.element("imageName", imageName)
                + " and "
                + Xml.element("tag", tag)
                + ": "
                + e.getMessage(),
            e);
      }
      DockerArchive.run(new DockerArchive.Options(target, file.toPath(), List.of(repoTag), time));
    } else {
      ArchiveLayout.run(new ArchiveLayout.Options(layout.toPath(), file.toPath(), time));
    }
    if (attach) {
      projectHelper.attachArtifact(project, "tar", suffix, file);
      log.info("Wrote " + format + " " + file + ", attached (classifier " + suffix + ")");
    } else {
      log.info("Wrote " + format + " " + file);
    }
  }

  /** {@code imageName}, else the artifactId in lower case. */
  private String dockerName() {
    return imageName != null ? imageName : project.getArtifactId().toLowerCase(Locale.ROOT);
  }
}
