package dev.umoci.layer;

import dev.umoci.mtree.EntryPath;
import dev.umoci.mtree.InodeDelta;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Writes the layer of an mtree diff, as umoci's {@code GenerateLayer}: deltas sorted by path, a
 * missing path becomes a whiteout ({@code .wh.<name>}), an extra or modified path the entry of the
 * file now on disk (a directory only as its own entry; its changed children have deltas of their
 * own). Hard links among the re-emitted files are kept by (device, inode).
 */
public final class DeltaLayerWriter {
  private DeltaLayerWriter() {}

  /**
   * Writes the complete layer tar (with end-of-archive blocks) for {@code deltas} read from {@code
   * rootfs} into {@code plainTar}, which stays open.
   */
  public static void write(
      OutputStream plainTar, Path rootfs, List<InodeDelta> deltas, GenerateOptions options)
      throws IOException {
    write(plainTar, rootfs, deltas, options, () -> {});
  }

  /**
   * As {@link #write(OutputStream, Path, List, GenerateOptions)}; runs {@code afterEntry} per
   * delta.
   */
  public static void write(
      OutputStream plainTar,
      Path rootfs,
      List<InodeDelta> deltas,
      GenerateOptions options,
      Runnable afterEntry)
      throws IOException {
    write(plainTar, rootfs, deltas, options, afterEntry, path -> false, null);
  }

  /**
   * As {@link #write(OutputStream, Path, List, GenerateOptions, Runnable)}; the content of each
   * path {@code hashContent} accepts is hashed as it is copied into the layer and told to {@code
   * observer} (with the file's lstat), so that a caller who needs its checksum does not read it
   * again. A path written as a hard link to an earlier entry is not read and not reported; its
   * inode was, with the earlier entry, if that one was accepted too.
   */
  public static void write(
      OutputStream plainTar,
      Path rootfs,
      List<InodeDelta> deltas,
      GenerateOptions options,
      Runnable afterEntry,
      Predicate<EntryPath> hashContent,
      ContentObserver observer)
      throws IOException {
    List<InodeDelta> sorted = new ArrayList<>(deltas);
    sorted.sort((a, b) -> a.path().compareTo(b.path()));
    FileTarGenerator generator = new FileTarGenerator(plainTar, options);
    for (InodeDelta delta : sorted) {
      EntryPath path = delta.path();
      switch (delta.type()) {
        case MISSING -> generator.addWhiteout(path.bytes());
        case EXTRA, MODIFIED ->
            generator.addFile(
                path.bytes(), path.under(rootfs), hashContent.test(path) ? observer : null);
      }
      afterEntry.run();
    }
    generator.finish();
  }
}
