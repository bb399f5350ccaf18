package dev.umoci.ops;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.registry.Reference;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One side of {@code umoci copy}, in skopeo's transport syntax: {@code oci:PATH[:TAG]} (a local
 * layout; the tag defaults to {@code latest}, and a source without a tag whose layout has no {@code
 * latest} is its only image, as skopeo takes it), {@code docker://REFERENCE} (a registry; the tag
 * defaults to {@code latest}), or an archive ({@link OciArchiveFile}, {@link DockerArchiveFile}).
 */
public sealed interface CopyLocation {
  /** The transport prefix of an image in a registry. */
  String REGISTRY_PREFIX = "docker://";

  /**
   * An image in a local OCI layout.
   *
   * @param tagGiven whether the text named the tag ({@code oci:PATH:TAG}) rather than leaving it to
   *     the default
   */
  record Layout(ImageRef image, boolean tagGiven) implements CopyLocation {
    /**
     * The index entry of {@code opened} (this side's layout) that this source names: its tag's;
     * without a tag given, {@code latest}'s, or else the layout's only entry.
     */
    Descriptor resolve(OciLayout opened) throws IOException {
      return tagGiven
          ? References.resolve(opened, image.tag())
          : References.resolveOrOnly(opened, image.tag());
    }

    /** As written: {@code oci:PATH:TAG}, or {@code oci:PATH} when the tag was left out. */
    @Override
    public String toString() {
      return "oci:" + (tagGiven ? image : image.layout());
    }
  }

  /** An image in a registry. */
  record Registry(Reference reference) implements CopyLocation {
    @Override
    public String toString() {
      return REGISTRY_PREFIX + reference;
    }
  }

  /** An image archive: a tar file holding one or more images. */
  sealed interface Archive extends CopyLocation {
    /** The archive's file. */
    Path archive();

    /** This location with its file's path taken from {@code dir} (when relative). */
    Archive against(Path dir);
  }

  /**
   * A tar of a layout, as skopeo's {@code oci-archive:PATH[:TAG]} (what {@code podman save --format
   * oci-archive} writes). As a source the tag is taken as for {@link Layout} (null: not given); as
   * a destination the archive holds one layout whose image is tagged {@code tag} ({@code latest}
   * when null).
   */
  record OciArchiveFile(Path archive, String tag) implements Archive {
    @Override
    public OciArchiveFile against(Path dir) {
      return new OciArchiveFile(dir.resolve(archive), tag);
    }

    @Override
    public String toString() {
      return "oci-archive:" + archive + (tag == null ? "" : ":" + tag);
    }
  }

  /**
   * A {@code docker save} tar, as skopeo's {@code docker-archive:PATH[:NAME[:TAG]]}: what {@code
   * docker load} and {@code podman load} read. One image is written; one is read.
   *
   * @param repoTag as a destination, the name {@code docker load} gives the image; as a source, the
   *     image of the archive to take; null for none (a source must then hold one image)
   */
  record DockerArchiveFile(Path archive, String repoTag) implements Archive {
    @Override
    public DockerArchiveFile against(Path dir) {
      return new DockerArchiveFile(dir.resolve(archive), repoTag);
    }

    @Override
    public String toString() {
      return "docker-archive:" + archive + (repoTag == null ? "" : ":" + repoTag);
    }
  }

  /** Whether {@code text} names an image in a registry ({@code docker://REFERENCE}). */
  static boolean namesRegistry(String text) {
    return text.startsWith(REGISTRY_PREFIX);
  }

  /** Parses {@code text}; {@code which} ("source", "destination") names the argument in errors. */
  static CopyLocation parse(String text, String which) throws InvalidArgumentException {
    if (text.startsWith("oci:")) {
      String rest = text.substring(4);
      if (rest.isEmpty()) {
        throw new InvalidArgumentException(
            "invalid " + which + " \"" + text + "\": layout path is empty");
      }
      return new Layout(ImageRef.parse(rest, which + " \"" + text + "\""), rest.indexOf(':') >= 0);
    }
    if (namesRegistry(text)) {
      return new Registry(
          Reference.parse(text.substring(REGISTRY_PREFIX.length())).withDefaultTag());
    }
    if (text.startsWith("oci-archive:")) {
      ImageRef image = archivePath(text, "oci-archive:", which);
      return new OciArchiveFile(image.layout(), text.indexOf(':', 12) >= 0 ? image.tag() : null);
    }
    if (text.startsWith("docker-archive:")) {
      String rest = text.substring("docker-archive:".length());
      int colon = rest.indexOf(':');
      Path archive = archivePath(text, "docker-archive:", which).layout();
      String repoTag = null;
      if (colon >= 0) {
        String name = rest.substring(colon + 1);
        int slash = name.lastIndexOf('/');
        repoTag = name.indexOf(':', slash + 1) >= 0 ? name : name + ":" + ImageRef.DEFAULT_TAG;
        try {
          DockerArchive.requireRepoTag(repoTag);
        } catch (InvalidArgumentException e) {
          throw new InvalidArgumentException(
              "invalid " + which + " \"" + text + "\": " + e.getMessage());
        }
      }
      return new DockerArchiveFile(archive, repoTag);
    }
    throw new InvalidArgumentException(
        "invalid "
            + which
            + " \""
            + text
            + "\": expected oci:PATH[:TAG], oci-archive:PATH[:TAG],"
            + " docker-archive:PATH[:NAME[:TAG]] or docker://REFERENCE");
  }

  /**
   * The path of an archive location and, for {@code oci-archive}, its tag: {@code PATH[:...]} after
   * {@code prefix}, checked as {@link ImageRef#parse} checks a layout's.
   */
  private static ImageRef archivePath(String text, String prefix, String which)
      throws InvalidArgumentException {
    String rest = text.substring(prefix.length());
    int colon = rest.indexOf(':');
    String path = colon < 0 ? rest : rest.substring(0, colon);
    if (path.isEmpty()) {
      throw new InvalidArgumentException(
          "invalid " + which + " \"" + text + "\": archive path is empty");
    }
    String what = which + " \"" + text + "\"";
    return prefix.equals("oci-archive:") ? ImageRef.parse(rest, what) : ImageRef.parse(path, what);
  }
}
