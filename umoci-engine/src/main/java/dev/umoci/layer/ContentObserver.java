package dev.umoci.layer;

import dev.umoci.fs.FileStat;

/**
 * Told about every regular file {@link LayerExtractor} writes, with the SHA-256 of the bytes it
 * wrote, computed while writing them. Lets a caller build the rootfs's mtree afterwards without
 * reading the files again. Called on the extracting thread, once per file written (hard links write
 * nothing and are not reported; they share the inode of a file that was).
 */
@FunctionalInterface
public interface ContentObserver {
  /**
   * @param stat the lstat of the new file, taken after its content was written (its device and
   *     inode identify it; a later file that reuses the inode is reported again)
   * @param sha256 the 32-byte SHA-256 of the content written
   */
  void fileWritten(FileStat stat, byte[] sha256);
}
