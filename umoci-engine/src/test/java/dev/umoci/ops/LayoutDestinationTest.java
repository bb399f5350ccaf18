package dev.umoci.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.umoci.oci.casext.References;
import dev.umoci.oci.layout.OciLayout;
import dev.umoci.oci.spec.Descriptor;
import dev.umoci.oci.spec.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a failed copy's undoing removes: only what it published and nothing references, and only
 * when nothing else uses the layout; a layout it created, with the directories made for it, only
 * when no image is tagged there.
 */
class LayoutDestinationTest {
  @TempDir Path tmp;

  private static Descriptor put(OciLayout layout, String content) throws Exception {
    return layout.putBytes(MediaTypes.LAYER_TAR, content.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aSoleUserRemovesWhatItPublishedThatNothingReferences() throws Exception {
    Path path = tmp.resolve("l");
    Descriptor tagged;
    try (OciLayout layout = OciLayout.create(path)) {
      tagged = put(layout, "tagged by another copy");
      References.update(layout, "other", tagged);
    }
    LayoutDestination destination = LayoutDestination.open(path);
    Descriptor orphan;
    try (destination) {
      orphan = put(destination.layout(), "published, never tagged");
      destination.published(orphan.digest());
      destination.published(tagged.digest());
    }
    destination.undo();
    try (OciLayout layout = OciLayout.open(path)) {
      assertFalse(layout.hasBlob(orphan.digest()));
      assertTrue(layout.hasBlob(tagged.digest()), "referenced by a tag");
    }
  }

  /**
   * Another user may have found the blob present, skipped it and be about to tag it: the blob stays
   * (for gc).
   */
  @Test
  void whileAnotherUserHasTheLayoutOpenNothingIsRemoved() throws Exception {
    Path path = tmp.resolve("l");
    OciLayout.create(path).close();
    LayoutDestination destination = LayoutDestination.open(path);
    Descriptor orphan;
    try (destination) {
      orphan = put(destination.layout(), "published, never tagged");
      destination.published(orphan.digest());
    }
    try (OciLayout other = OciLayout.open(path)) {
      destination.undo();
      assertTrue(other.hasBlob(orphan.digest()));
    }
  }

  @Test
  void aLayoutItCreatedGoesWithItsParentsUnlessAnImageIsTaggedThere() throws Exception {
    Path parent = Files.createDirectories(tmp.resolve("existing"));
    Path path = parent.resolve("made/for/it");
    LayoutDestination destination = LayoutDestination.open(path);
    try (destination) {
      destination.published(put(destination.layout(), "x").digest());
    }
    destination.undo();
    assertFalse(Files.exists(parent.resolve("made")));
    assertTrue(Files.isDirectory(parent));

    LayoutDestination second = LayoutDestination.open(path);
    try (second) {
      Descriptor d = put(second.layout(), "y");
      second.published(d.digest());
      // another copy tagged an image in the layout this one created
      try (OciLayout other = OciLayout.open(path)) {
        References.update(other, "theirs", put(other, "theirs"));
      }
    }
    second.undo();
    try (OciLayout layout = OciLayout.open(path)) {
      assertEquals(1, layout.readIndex().manifests().size());
    }
  }

  @Test
  void anExistingLayoutIsOpenedAndNeverRemoved() throws Exception {
    Path path = tmp.resolve("l");
    OciLayout.create(path).close();
    LayoutDestination destination = LayoutDestination.open(path);
    destination.close();
    destination.undo();
    assertTrue(Files.isRegularFile(path.resolve(OciLayout.LAYOUT_FILE)));
  }

  /** As skopeo does with a directory made by mktemp -d: the layout is made in it. */
  @Test
  void anEmptyDirectoryBecomesTheLayoutAndStaysIfTheCopyFails() throws Exception {
    Path path = Files.createDirectories(tmp.resolve("empty"));
    LayoutDestination destination = LayoutDestination.open(path);
    Descriptor orphan;
    try (destination) {
      orphan = put(destination.layout(), "published, never tagged");
      destination.published(orphan.digest());
    }
    destination.undo();
    try (OciLayout layout = OciLayout.open(path)) {
      assertFalse(layout.hasBlob(orphan.digest()));
    }
    Files.writeString(Files.createDirectories(tmp.resolve("full")).resolve("x"), "x");
    assertEquals(
        tmp.resolve("full") + ": not an OCI image layout: missing oci-layout",
        org.junit.jupiter.api.Assertions.assertThrows(
                java.io.IOException.class, () -> LayoutDestination.open(tmp.resolve("full")))
            .getMessage());
  }
}
