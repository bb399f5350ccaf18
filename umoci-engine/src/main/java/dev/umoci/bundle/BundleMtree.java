package dev.umoci.bundle;

import dev.umoci.errors.InvalidBundleException;
import dev.umoci.errors.MtreeFormatException;
import dev.umoci.mtree.ContentDigester;
import dev.umoci.mtree.KeyVal;
import dev.umoci.mtree.MtreeIndex;
import dev.umoci.mtree.MtreeSpec;
import dev.umoci.mtree.MtreeWalker;
import dev.umoci.mtree.SpecLine;
import dev.umoci.oci.spec.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

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
    return parseComplete(file, readBytes(file));
  }

  /**
   * The bytes of {@code file}, which must exist and end with a complete line; see {@link
   * #parseComplete} for the rest of the checks.
   */
  public static byte[] readBytes(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InvalidBundleException("bundle mtree manifest " + file + " does not exist", e);
    }
    if (bytes.length == 0 || bytes[bytes.length - 1] != '\n') {
      throw damaged(file, "it does not end with a complete line (truncated?)");
    }
    return bytes;
  }

  /** {@link #readComplete} of bytes already read from {@code file} by {@link #readBytes}. */
  public static MtreeSpec parseComplete(Path file, byte[] bytes) throws IOException {
    MtreeSpec spec;
    try {
      spec = MtreeSpec.parse(bytes, file.toString());
    } catch (MtreeFormatException e) {
      throw new InvalidBundleException("bundle mtree manifest is damaged: " + e.getMessage(), e);
    }
    Completeness check = new Completeness();
    spec.lines().forEach(check);
    check.require(file);
    return spec;
  }

  /**
   * The {@link MtreeIndex} of bytes read from {@code file} by {@link #readBytes}, with the checks
   * and errors of {@link #parseComplete}, in one pass that keeps no parsed line.
   */
  public static MtreeIndex indexComplete(Path file, byte[] bytes) throws IOException {
    Completeness check = new Completeness();
    MtreeIndex index;
    try {
      index = MtreeIndex.of(bytes, file.toString(), check);
    } catch (MtreeFormatException e) {
      throw new InvalidBundleException("bundle mtree manifest is damaged: " + e.getMessage(), e);
    }
    check.require(file);
    return index;
  }

  /**
   * The shape of a complete bundle mtree, checked line by line in document order: the first entry
   * is the root directory {@code .}, no entry comes after the root is closed, and every directory
   * entered is left again. The first problem is kept and thrown by {@link #require}.
   */
  private static final class Completeness implements Consumer<SpecLine> {
    private int depth;
    private boolean sawRoot;
    private String setType;
    private String problem;

    @Override
    public void accept(SpecLine line) {
      if (problem != null) {
        return;
      }
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
          problem = "it leaves the root directory";
        }
      } else if (line instanceof SpecLine.Entry e && !e.full()) {
        boolean dir = hasType(e) ? e.isDirectory() : "dir".equals(setType);
        if (!sawRoot) {
          if (!dir || !java.util.Arrays.equals(e.name(), new byte[] {'.'})) {
            problem = "its first entry is not the root directory \".\"";
            return;
          }
          sawRoot = true;
        } else if (depth == 0) {
          problem = "it has entries after the root directory was closed";
          return;
        }
        if (dir) {
          depth++;
        }
      }
    }

    /** Throws the first problem seen, if any, or one found at the end of the document. */
    void require(Path file) throws InvalidBundleException {
      if (problem != null) {
        throw damaged(file, problem);
      }
      if (!sawRoot) {
        throw damaged(file, "it has no root entry");
      }
      if (depth != 0) {
        throw damaged(file, depth + " directories are not closed (truncated?)");
      }
    }
  }

  /** Writes {@code spec} to {@code file} atomically. */
  public static void write(Path file, MtreeSpec spec) throws IOException {
    writeBytes(file, spec.toBytes());
  }

  /** Writes an mtree document to {@code file} atomically. */
  public static void writeBytes(Path file, byte[] document) throws IOException {
    AtomicFiles.write(file, document);
  }

  /**
   * A walk of a bundle's rootfs that leaves, beside the mtree it makes, the bundle's digest cache
   * bound to that mtree (which lets the next repack skip unchanged paths, see {@link
   * SnapshotDiff}). Use: {@link #walk}, then write {@link #bytes()} as the bundle's mtree, then
   * {@link #saveCache()}.
   */
  public static final class RecordedWalk {
    private final Path bundle;
    private final MtreeSpec spec;
    private final MtreeSpec.Serialized serialized;
    private final SnapshotRecorder recorder;
    private final MtreeWalker walker;
    private final String context;

    private RecordedWalk(
        Path bundle,
        MtreeSpec spec,
        MtreeSpec.Serialized serialized,
        SnapshotRecorder recorder,
        MtreeWalker walker,
        String context) {
      this.bundle = bundle;
      this.spec = spec;
      this.serialized = serialized;
      this.recorder = recorder;
      this.walker = walker;
      this.context = context;
    }

    /**
     * Walks {@code bundle/rootfs} as umoci does (rootless access when {@code rootless}), answering
     * digests from {@code cache} and then {@code delegate}.
     */
    public static RecordedWalk walk(
        Path bundle, boolean rootless, DigestCache cache, ContentDigester delegate)
        throws IOException {
      Path rootfs = new BundlePaths(bundle).rootfs();
      SnapshotRecorder recorder = new SnapshotRecorder();
      MtreeWalker walker = builder(rootfs, rootless, cache, delegate).observer(recorder).build();
      MtreeSpec spec = walker.walk(rootfs);
      return new RecordedWalk(
          bundle, spec, spec.serialize(), recorder, walker, context(walker, rootless));
    }

    public MtreeSpec spec() {
      return spec;
    }

    /** The mtree document to write. */
    public byte[] bytes() {
      return serialized.bytes();
    }

    /** Writes the bundle's digest cache, bound to {@link #bytes()}. */
    public void saveCache() throws IOException {
      recorder.save(bundle, spec, serialized, context, new BundlePaths(bundle).rootfs(), walker);
    }
  }

  /** What besides the tree decides a walk's entries: its keywords and rootless access. */
  public static String context(MtreeWalker walker, boolean rootless) {
    return "keywords=" + String.join(",", walker.keywords()) + " rootless=" + rootless;
  }

  /**
   * The walker umoci uses for a bundle's rootfs (umoci's keywords, rootless access when the bundle
   * was unpacked rootless), hashing through {@code cache}.
   */
  public static MtreeWalker walker(Path rootfs, boolean rootless, DigestCache cache)
      throws IOException {
    return builder(rootfs, rootless, cache, ContentDigester.streaming()).build();
  }

  /** umoci's walker settings for a bundle's rootfs; cache misses go to {@code delegate}. */
  private static MtreeWalker.Builder builder(
      Path rootfs, boolean rootless, DigestCache cache, ContentDigester delegate) {
    return MtreeWalker.builder().rootless(rootless).digester(cache.digester(rootfs, delegate));
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
    RecordedWalk walk =
        RecordedWalk.walk(bundle, rootless, DigestCache.load(bundle), ContentDigester.streaming());
    AtomicFiles.write(paths.mtree(manifest), walk.bytes());
    walk.saveCache();
    return walk.spec();
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
