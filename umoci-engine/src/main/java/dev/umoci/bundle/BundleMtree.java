package dev.umoci.bundle;

import dev.umoci.errors.InvalidBundleException;
import dev.umoci.errors.MtreeFormatException;
import dev.umoci.mtree.ContentDigester;
import dev.umoci.mtree.KeyVal;
import dev.umoci.mtree.MtreeSpec;
import dev.umoci.mtree.MtreeWalker;
import dev.umoci.mtree.SpecLine;
import dev.umoci.oci.spec.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The {@code sha256_<manifest>.mtree} of a bundle: read strictly (a file that was cut short or
 * edited is refused instead of being taken as "everything was deleted"), written atomically.
 */
public final class BundleMtree {
  private BundleMtree() {}

  /**
   * Parses {@code file} and checks that it is complete: it ends with a newline, starts at the root
   * entry {@code .}, and every directory it enters is left again by a {@code ..} line (go-mtree
   * closes every directory, the root included).
   *
   * @throws InvalidBundleException naming the file when it is missing, unparseable or incomplete
   */
  public static MtreeSpec readComplete(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InvalidBundleException("bundle mtree manifest " + file + " does not exist", e);
    }
    if (bytes.length == 0 || bytes[bytes.length - 1] != '\n') {
      throw damaged(file, "it does not end with a complete line (truncated?)");
    }
    MtreeSpec spec;
    try {
      spec = MtreeSpec.parse(bytes, file.toString());
    } catch (MtreeFormatException e) {
      throw new InvalidBundleException("bundle mtree manifest is damaged: " + e.getMessage(), e);
    }
    int depth = 0;
    boolean sawRoot = false;
    String setType = null;
    for (SpecLine line : spec.lines()) {
      if (line instanceof SpecLine.Special s) {
        if (s.isSet()) {
          for (KeyVal kv : s.keyVals()) {
            if (kv.keyword().equals("type")) {
              setType = kv.value();
            }
          }
        } else if (s.isUnset()) {
          setType = null;
        }
      } else if (line instanceof SpecLine.DotDot) {
        depth--;
        if (depth < 0) {
          throw damaged(file, "it leaves the root directory");
        }
      } else if (line instanceof SpecLine.Entry e && !e.full()) {
        boolean dir = hasType(e) ? e.isDirectory() : "dir".equals(setType);
        if (!sawRoot) {
          if (!dir || !java.util.Arrays.equals(e.name(), new byte[] {'.'})) {
            throw damaged(file, "its first entry is not the root directory \".\"");
          }
          sawRoot = true;
        } else if (depth == 0) {
          throw damaged(file, "it has entries after the root directory was closed");
        }
        if (dir) {
          depth++;
        }
      }
    }
    if (!sawRoot) {
      throw damaged(file, "it has no root entry");
    }
    if (depth != 0) {
      throw damaged(file, depth + " directories are not closed (truncated?)");
    }
    return spec;
  }

  /** Writes {@code spec} to {@code file} atomically. */
  public static void write(Path file, MtreeSpec spec) throws IOException {
    AtomicFiles.write(file, spec.toBytes());
  }

  /**
   * The walker umoci uses for a bundle's rootfs (umoci's keywords, rootless access when the bundle
   * was unpacked rootless), hashing through {@code cache}.
   */
  public static MtreeWalker walker(Path rootfs, boolean rootless, DigestCache cache)
      throws IOException {
    return walker(rootfs, rootless, cache, ContentDigester.streaming());
  }

  /** {@link #walker(Path, boolean, DigestCache)} whose cache misses go to {@code delegate}. */
  public static MtreeWalker walker(
      Path rootfs, boolean rootless, DigestCache cache, ContentDigester delegate)
      throws IOException {
    return MtreeWalker.builder()
        .rootless(rootless)
        .digester(cache.digester(rootfs, delegate))
        .build();
  }

  /**
   * Walks {@code bundle/rootfs} and writes {@code bundle/sha256_<manifest>.mtree}, then saves the
   * digest cache for the next repack (the cache loaded from the bundle speeds up the walk).
   *
   * @return the written spec
   */
  public static MtreeSpec generate(Path bundle, Digest manifest, boolean rootless)
      throws IOException {
    BundlePaths paths = new BundlePaths(bundle);
    DigestCache cache = DigestCache.load(bundle);
    MtreeSpec spec = walker(paths.rootfs(), rootless, cache).walk(paths.rootfs());
    write(paths.mtree(manifest), spec);
    cache.save(bundle);
    return spec;
  }

  private static boolean hasType(SpecLine.Entry e) {
    for (KeyVal kv : e.keyVals()) {
      if (kv.keyword().equals("type")) {
        return true;
      }
    }
    return false;
  }

  private static InvalidBundleException damaged(Path file, String why) {
    return new InvalidBundleException("bundle mtree manifest " + file + " is damaged: " + why);
  }
}
