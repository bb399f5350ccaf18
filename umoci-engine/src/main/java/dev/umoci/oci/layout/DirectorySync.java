package dev.umoci.oci.layout;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes a rename durable: {@code fsync(2)} on the directory that holds the new name. A rename
 * publishes a file atomically, but until its directory is synced a power cut may forget it (the
 * classic "write, fsync, rename, fsync the directory" sequence). Linux lets a directory be opened
 * read-only and synced; that is what the JDK does here.
 */
public final class DirectorySync {
  private DirectorySync() {}

  /** Syncs the entries of directory {@code dir} to disk. */
  public static void sync(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
