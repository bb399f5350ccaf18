package dev.umoci.oci.casext;

import dev.umoci.errors.AmbiguousReferenceException;
import dev.umoci.errors.InvalidImageException;
import dev.umoci.errors.PlatformNotFoundException;
import dev.umoci.errors.ReferenceNotFoundException;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.Index;
import dev.umoci.oci.spec.MediaTypes;
import dev.umoci.oci.spec.PlatformSpecifier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tags of a layout: top-level {@code index.json} entries annotated with {@code
 * org.opencontainers.image.ref.name} (umoci {@code oci/casext/refname.go}). Only the top level is
 * searched for names; nested indexes are followed to find the manifest a tag leads to.
 */
public final class References {
  private static final Logger LOG = LoggerFactory.getLogger(References.class);

  private References() {}

  /** Tag names of the top-level entries, in index order (untagged entries are skipped). */
  public static List<String> list(OciLayout layout) throws IOException {
    List<String> names = new ArrayList<>();
    for (Descriptor d : layout.readIndex().manifests()) {
      if (d.refName() != null) {
        names.add(d.refName());
      }
    }
    return names;
  }

  /**
   * The one top-level entry tagged {@code tag}.
   *
   * @throws ReferenceNotFoundException when no entry carries the tag
   * @throws AmbiguousReferenceException when several do
   */
  public static Descriptor resolve(OciLayout layout, String tag) throws IOException {
    return resolve(layout, layout.readIndex().manifests(), tag);
  }

  /** {@link #resolve(OciLayout, String)} among {@code entries}, the index of {@code layout}. */
  private static Descriptor resolve(OciLayout layout, List<Descriptor> entries, String tag)
      throws IOException {
    ReferenceNames.require(tag, "tag");
    List<Descriptor> matches = new ArrayList<>();
    for (Descriptor d : entries) {
      if (tag.equals(d.refName())) {
        matches.add(d);
      }
    }
    if (matches.isEmpty()) {
      throw new ReferenceNotFoundException(
          "tag \"" + tag + "\" not found in layout " + layout.root());
    }
    if (matches.size() > 1) {
      throw new AmbiguousReferenceException(
          "tag \""
              + tag
              + "\" is ambiguous in layout "
              + layout.root()
              + ": "
              + matches.size()
              + " index entries carry it");
    }
    return matches.get(0);
  }

  /**
   * The entry that a copy's source {@code oci:PATH} without a tag names: the one tagged {@code tag}
   * (umoci's default), else, as skopeo takes such a source, the layout's only entry, named or not
   * (skopeo stores an image copied to {@code oci:PATH} without a name).
   *
   * @throws ReferenceNotFoundException when no entry carries the tag and the layout holds no entry
   *     or several
   * @throws AmbiguousReferenceException when several entries carry the tag
   */
  public static Descriptor resolveOrOnly(OciLayout layout, String tag) throws IOException {
    List<Descriptor> all = layout.readIndex().manifests();
    if (all.size() == 1 && !tag.equals(all.get(0).refName())) {
      LOG.debug("layout {}: no tag \"{}\", taking its only image", layout.root(), tag);
      return all.get(0);
    }
    try {
      return resolve(layout, all, tag);
    } catch (ReferenceNotFoundException e) {
      if (all.size() < 2) {
        throw e;
      }
      throw new ReferenceNotFoundException(
          e.getMessage()
              + ", which holds "
              + all.size()
              + " images: name one as oci:"
              + layout.root()
              + ":TAG");
    }
  }

  /**
   * Resolves {@code tag} down to one image manifest, following nested image indexes.
   *
   * @throws AmbiguousReferenceException when an index below the tag leads to several manifests
   * @throws InvalidImageException when the tag leads to something that is not a manifest
   */
  public static DescriptorPath resolveManifest(OciLayout layout, String tag) throws IOException {
    List<DescriptorPath> found = manifestsBelow(layout, tag);
    if (found.size() > 1) {
      throw new AmbiguousReferenceException(
          "tag \"" + tag + "\" is ambiguous: it leads to " + found.size() + " image manifests");
    }
    return found.get(0);
  }

  /**
   * Every image manifest {@code tag} leads to, through nested indexes (at least one).
   *
   * @throws InvalidImageException when it leads to none
   */
  private static List<DescriptorPath> manifestsBelow(OciLayout layout, String tag)
      throws IOException {
    Descriptor root = resolve(layout, tag);
    List<DescriptorPath> found = new ArrayList<>();
    collectManifests(layout, List.of(root), found, 0);
    if (found.isEmpty()) {
      throw new InvalidImageException(
          "tag \""
              + tag
              + "\" points to "
              + root.mediaType()
              + " "
              + root.digest()
              + ", not an image manifest");
    }
    return found;
  }

  /**
   * Resolves {@code tag} to one image manifest, choosing by platform where the tag names an image
   * index: a tag naming a manifest resolves to it; an index entry is chosen when its {@code
   * platform} {@link PlatformSpecifier#matches matches} {@code wanted}. When {@code explicit} is
   * false ({@code wanted} is only the host's platform) an index leading to a single manifest
   * resolves to it whatever its platform, as before platforms were considered.
   *
   * @throws PlatformNotFoundException when no manifest of the index is for {@code wanted}
   * @throws AmbiguousReferenceException when several are
   */
  public static DescriptorPath resolveManifest(
      OciLayout layout, String tag, PlatformSpecifier wanted, boolean explicit) throws IOException {
    List<DescriptorPath> found = manifestsBelow(layout, tag);
    if (found.get(0).walk().size() == 1 || (found.size() == 1 && !explicit)) {
      return found.get(0);
    }
    List<DescriptorPath> matching = wanted.matching(found, p -> p.descriptor().platform());
    List<String> offered = new ArrayList<>();
    for (DescriptorPath path : found) {
      offered.add(PlatformSpecifier.describe(path.descriptor().platform()));
    }
    if (matching.isEmpty()) {
      throw new PlatformNotFoundException(
          "tag \""
              + tag
              + "\" names an image index with no manifest for platform "
              + wanted
              + " (it has "
              + String.join(", ", offered)
              + "); choose one with --platform");
    }
    if (matching.size() > 1) {
      List<String> digests = new ArrayList<>();
      for (DescriptorPath path : matching) {
        digests.add(path.descriptor().digest().toString());
      }
      throw new AmbiguousReferenceException(
          "tag \""
              + tag
              + "\" is ambiguous: its image index has "
              + matching.size()
              + " manifests for platform "
              + wanted
              + " ("
              + String.join(", ", digests)
              + ")");
    }
    return matching.get(0);
  }

  private static void collectManifests(
      OciLayout layout, List<Descriptor> path, List<DescriptorPath> out, int depth)
      throws IOException {
    Descriptor d = path.get(path.size() - 1);
    if (MediaTypes.isManifest(d.mediaType())) {
      out.add(new DescriptorPath(path));
    } else if (MediaTypes.isIndex(d.mediaType())) {
      if (depth > 32) {
        throw new InvalidImageException("image indexes nested too deeply at " + d.digest());
      }
      for (Descriptor child : ImageBlobs.index(layout, d).manifests()) {
        List<Descriptor> next = new ArrayList<>(path);
        next.add(child);
        collectManifests(layout, next, out, depth + 1);
      }
    }
  }

  /**
   * Points {@code tag} at {@code descriptor}: every entry carrying the tag is dropped and the
   * descriptor, annotated with the tag, is appended. Runs under the layout write lock.
   */
  public static void update(OciLayout layout, String tag, Descriptor descriptor)
      throws IOException {
    ReferenceNames.require(tag, "tag");
    Descriptor tagged = descriptor.withAnnotation(MediaTypes.ANNOTATION_REF_NAME, tag);
    layout.updateIndex(
        index -> {
          List<Descriptor> kept = withoutTag(index, tag);
          if (index.manifests().size() - kept.size() > 1) {
            LOG.warn(
                "multiple references match the given reference name -- all of them have been"
                    + " replaced due to this ambiguity");
          }
          kept.add(tagged);
          return index.withManifests(kept);
        });
  }

  /**
   * Removes every entry carrying {@code tag}. Like umoci, a tag that does not exist is not an error
   * (a warning is logged and index.json is left as it is).
   *
   * @return how many entries were removed
   */
  public static int delete(OciLayout layout, String tag) throws IOException {
    ReferenceNames.require(tag, "tag");
    int[] removed = new int[1];
    layout.updateIndex(
        index -> {
          List<Descriptor> kept = withoutTag(index, tag);
          removed[0] = index.manifests().size() - kept.size();
          return removed[0] == 0 ? index : index.withManifests(kept);
        });
    if (removed[0] == 0) {
      LOG.warn("tag \"{}\" not found in layout {}: nothing removed", tag, layout.root());
    } else if (removed[0] > 1) {
      LOG.warn(
          "multiple references match the given reference name -- all of them have been deleted"
              + " due to this ambiguity");
    }
    return removed[0];
  }

  private static List<Descriptor> withoutTag(Index index, String tag) {
    List<Descriptor> kept = new ArrayList<>();
    for (Descriptor d : index.manifests()) {
      if (!tag.equals(d.refName())) {
        kept.add(d);
      }
    }
    return kept;
  }
}
