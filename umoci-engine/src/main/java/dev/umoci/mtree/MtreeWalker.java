package dev.umoci.mtree;

import dev.umoci.errors.InvalidArgumentException;
import dev.umoci.fs.FileStat;
import dev.umoci.fs.PosixFs;
import dev.umoci.sys.PathBytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;

/**
 * Builds the mtree spec of a directory tree as go-mtree's {@code Walk} does, value for value and
 * line for line: signature comments, a {@code # keywords:} comment, then per directory a blank
 * line, a {@code # path} comment, a {@code /set} line when the directory's owner differs from the
 * defaults in force, the directory's entry, its non-directories sorted by name, its sub-directories
 * sorted by name, and {@code ..}. Entries leave out fields equal to a default. Symlinks are never
 * followed.
 *
 * <p>Keyword values: {@code size} (lstat size, all types), {@code type}
 * (file/dir/link/char/block/fifo/socket), {@code uid}, {@code gid}, {@code uname}, {@code gname}
 * (host names, left out when unknown), {@code mode} (Go's {@code %#o} of the 12 permission bits),
 * {@code nlink}, {@code time} ({@code sec.nnnnnnnnn}), {@code tar_time} ({@code sec.000000000}),
 * {@code link} (vis-escaped target, symlinks only), checksums (regular files only), {@code xattr}
 * ({@code xattr.<vis name>=<base64 value>}, regular files and directories only, in listxattr order;
 * an xattr that cannot be read drops them all, as in go-mtree), {@code flags} (never written).
 *
 * <p>Checksums run on a small thread pool; the output order does not depend on it (the lines are
 * {@link WalkLines}). Instances are immutable and thread-safe; build them with {@link #builder()}.
 *
 * <p>Why this class is longer than most: it is one walk whose rules (line order, /set defaults,
 * keyword values) must match go-mtree line for line, and they read best side by side; the builder
 * and the keyword value table are the rest. The output's line kinds live in {@link WalkLines}.
 */
public final class MtreeWalker {
  /** Decides per path whether to leave it (and, for a directory, everything below) out. */
  public interface Exclude extends BiPredicate<EntryPath, FileStat> {}

  /**
   * Replaces the lstat result used for an entry's values, e.g. to present another owner (a rootless
   * caller mapping host ids back to container ids). Returning {@code stat} keeps it.
   */
  public interface StatMapper {
    FileStat map(EntryPath path, Path file, FileStat stat) throws IOException;
  }

  /** Told of every entry a walk describes, in document order (one call per entry line). */
  public interface EntryObserver {
    /**
     * @param path the entry's path
     * @param stat its lstat, before any {@link StatMapper}
     * @param statTakenAfterMillis a wall-clock time (ms since the epoch) read before that lstat
     */
    void entry(EntryPath path, FileStat stat, long statTakenAfterMillis);
  }

  private static final List<KeyVal> DEFAULT_SET =
      List.of(
          new KeyVal("type", "file"),
          new KeyVal("nlink", "1"),
          new KeyVal("flags", "none"),
          new KeyVal("mode", "0664"));

  private final List<String> keywords;
  private final List<Exclude> excludes;
  private final StatMapper statMapper;
  private final ContentDigester digester;
  private final int threads;
  private final SpecHeader header;
  private final boolean headerFromHost;
  private final boolean rootless;
  private final PosixFs fs;
  private final Set<DigestKind> digestKinds;

  /** The checksum each of {@link #keywords} asks for, null for the others (same order). */
  private final DigestKind[] keywordKinds;

  private final EntryObserver observer;

  private MtreeWalker(Builder b) throws InvalidArgumentException {
    this.keywords = List.copyOf(b.keywords);
    this.excludes = List.copyOf(b.excludes);
    this.statMapper = b.statMapper;
    this.digester = b.digester;
    this.threads = b.threads;
    this.header = b.header;
    this.headerFromHost = b.headerFromHost;
    this.rootless = b.rootless;
    this.fs = b.fs;
    this.observer = b.observer;
    EnumSet<DigestKind> kinds = EnumSet.noneOf(DigestKind.class);
    this.keywordKinds = new DigestKind[keywords.size()];
    int index = 0;
    for (String k : keywords) {
      if (!Keywords.SUPPORTED.contains(k)) {
        throw new InvalidArgumentException(
            "unknown or unsupported mtree keyword \""
                + k
                + "\" (supported: "
                + Keywords.SUPPORTED
                + ")");
      }
      DigestKind d = DigestKind.ofKeyword(k);
      keywordKinds[index++] = d;
      if (d != null) {
        kinds.add(d);
      }
    }
    this.digestKinds = Collections.unmodifiableSet(kinds);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A walker with umoci's keywords and default options. */
  public static MtreeWalker umoci() {
    try {
      return builder().build();
    } catch (InvalidArgumentException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The keywords this walker computes, in output order. */
  public List<String> keywords() {
    return keywords;
  }

  /**
   * The entry a walk would describe for {@code file} (at {@code path} in the tree, with lstat
   * {@code rawStat}), every keyword spelled out as {@link MtreeSpec#byPath()} gives it with the
   * {@code /set} defaults merged in. Symlinks are not followed; with rootless access an unreadable
   * file or directory is made readable while it is read, as in a walk.
   */
  public MtreeEntry describe(Path file, EntryPath path, FileStat rawStat) throws IOException {
    return describe(file, path, rawStat, digester);
  }

  /**
   * {@link #describe(Path, EntryPath, FileStat)} with the content checksums of a regular file taken
   * from {@code contentDigester} instead of this walker's digester; a checksum it leaves out is
   * left out of the entry (so {@link ContentDigester#none()} describes everything but the content).
   */
  public MtreeEntry describe(
      Path file, EntryPath path, FileStat rawStat, ContentDigester contentDigester)
      throws IOException {
    FileStat stat = statMapper == null ? rawStat : statMapper.map(path, file, rawStat);
    int permissions = rawStat.permissions();
    boolean restore = rootless && needsAccess(rawStat);
    if (restore) {
      fs.chmod(file, permissions | (rawStat.isDirectory() ? 0500 : 0400));
    }
    try {
      Map<String, String> out = new LinkedHashMap<>();
      for (KeyVal kv : select(DEFAULT_SET)) {
        out.put(kv.keyword(), kv.value());
      }
      Map<DigestKind, String> digests =
          stat.isRegularFile() && !digestKinds.isEmpty()
              ? contentDigester.digest(file, stat, digestKinds)
              : Map.of();
      for (int i = 0; i < keywordKinds.length; i++) {
        String keyword = keywords.get(i);
        DigestKind kind = keywordKinds[i];
        if (kind != null) {
          String value = digests.get(kind);
          if (value != null) {
            out.put(kind.keyword(), value);
          }
          continue;
        }
        for (KeyVal kv : values(keyword, file, stat)) {
          out.put(kv.keyword(), kv.value());
        }
      }
      return new MtreeEntry(path, out);
    } finally {
      if (restore) {
        fs.chmod(file, permissions);
      }
    }
  }

  /** The content checksums this walker puts into the entries of regular files. */
  public Set<DigestKind> contentKinds() {
    return digestKinds;
  }

  /**
   * {@code partial}, an entry described with {@link ContentDigester#none()}, with the content
   * checksums {@code digests} put in where {@link #describe(Path, EntryPath, FileStat)} puts them:
   * the entry a full describe gives, keys in the same order, without touching the file again.
   */
  public MtreeEntry withContent(MtreeEntry partial, Map<DigestKind, String> digests) {
    // describe() inserts the /set defaults first, then each keyword's keys in keyword order; a
    // key already there keeps its place. Sort by that moment (stable) to put the sums in place.
    record Placed(int moment, String key, String value) {}
    Set<String> defaults = new HashSet<>();
    for (KeyVal kv : select(DEFAULT_SET)) {
      defaults.add(kv.keyword());
    }
    List<Placed> placed = new ArrayList<>();
    for (Map.Entry<String, String> e : partial.keywords().entrySet()) {
      String key = e.getKey();
      int moment = defaults.contains(key) ? -1 : keywords.indexOf(Keywords.prefix(key));
      placed.add(new Placed(moment, key, e.getValue()));
    }
    for (int i = 0; i < keywordKinds.length; i++) {
      DigestKind kind = keywordKinds[i];
      String value = kind == null ? null : digests.get(kind);
      if (value != null && !partial.keywords().containsKey(kind.keyword())) {
        placed.add(new Placed(i, kind.keyword(), value));
      }
    }
    placed.sort(Comparator.comparingInt(Placed::moment));
    Map<String, String> out = new LinkedHashMap<>();
    for (Placed p : placed) {
      out.put(p.key(), p.value());
    }
    return new MtreeEntry(partial.path(), out);
  }

  /**
   * The spec of the tree at {@code root}, which must be a directory.
   *
   * @throws NotDirectoryException when {@code root} is not a directory
   * @throws NoSuchFileException when it does not exist
   */
  public MtreeSpec walk(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      if (!Files.exists(root)) {
        throw new NoSuchFileException(root.toString(), null, "mtree walk root does not exist");
      }
      throw new NotDirectoryException(root.toString());
    }
    WalkLines out = new WalkLines();
    SpecHeader h = headerFromHost ? SpecHeader.forHost(root) : header;
    if (h != null) {
      for (byte[] line : h.lines()) {
        out.add(new SpecLine.Comment(line));
      }
    }
    out.add(
        new SpecLine.Comment(
            SpecHeader.line(
                "keywords: ", String.join(",", keywords).getBytes(StandardCharsets.UTF_8))));
    ExecutorService pool = null;
    if (threads > 1 && !digestKinds.isEmpty()) {
      AtomicInteger n = new AtomicInteger();
      pool =
          Executors.newFixedThreadPool(
              threads,
              r -> {
                Thread t = new Thread(r, "mtree-digest-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
    }
    try {
      Walk walk = new Walk(root, out, pool);
      long rootListed = System.currentTimeMillis();
      walk.visit(root, EntryPath.ROOT, fs.lstat(root), rootListed);
      return new MtreeSpec(out.materialise());
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  /** State of one walk, as go-mtree's dhCreator. */
  private final class Walk {
    private final Path root;
    private final WalkLines out;
    private final ExecutorService pool;
    private List<KeyVal> currentSet;

    Walk(Path root, WalkLines out, ExecutorService pool) {
      this.root = root;
      this.out = out;
      this.pool = pool;
    }

    void visit(Path file, EntryPath rel, FileStat rawStat, long listedMillis) throws IOException {
      for (Exclude ex : excludes) {
        if (ex.test(rel, rawStat)) {
          return;
        }
      }
      FileStat stat = statMapper == null ? rawStat : statMapper.map(rel, file, rawStat);
      boolean dir = rawStat.isDirectory();
      if (dir) {
        out.add(new SpecLine.Blank());
        out.add(new SpecLine.Comment(commentPath(rel)));
        List<KeyVal> owner = List.of(uid(stat), gid(stat));
        if (currentSet == null) {
          List<KeyVal> set = new ArrayList<>(select(DEFAULT_SET));
          set.addAll(owner);
          currentSet = List.copyOf(set);
          out.add(SpecLine.Special.set(currentSet));
        } else if (!currentSet.containsAll(owner)) {
          List<KeyVal> all = new ArrayList<>(DEFAULT_SET);
          all.addAll(owner);
          currentSet = List.copyOf(select(all));
          out.add(SpecLine.Special.set(currentSet));
        }
      }
      byte[] name = rel.isRoot() ? new byte[] {'.'} : rel.fileName();
      boolean restore = false;
      int permissions = rawStat.permissions();
      if (rootless && needsAccess(rawStat)) {
        fs.chmod(file, permissions | (dir ? 0500 : 0400));
        restore = true;
      }
      try {
        out.add(entry(file, stat, name, restore));
        if (observer != null) {
          observer.entry(rel, rawStat, listedMillis);
        }
        if (dir) {
          long listed = System.currentTimeMillis();
          for (Child child : orderedChildren(file)) {
            visit(child.path, rel.resolve(child.name), child.stat, listed);
          }
          out.add(new SpecLine.DotDot());
        }
      } finally {
        if (restore) {
          fs.chmod(file, permissions);
        }
      }
    }

    private byte[] commentPath(EntryPath rel) {
      byte[] path = rel.bytes();
      for (byte b : path) {
        if (b == '\n') {
          path = Vis.encode(path).getBytes(StandardCharsets.US_ASCII);
          break;
        }
      }
      byte[] line = new byte[path.length + 2];
      line[0] = '#';
      line[1] = ' ';
      System.arraycopy(path, 0, line, 2, path.length);
      return line;
    }

    private WalkLines.Line entry(Path file, FileStat stat, byte[] name, boolean synchronous)
        throws IOException {
      Future<Map<DigestKind, String>> digests = null;
      if (stat.isRegularFile() && !digestKinds.isEmpty()) {
        Map<DigestKind, String> ready = digester.known(file, stat, digestKinds);
        if (ready != null) {
          digests = CompletableFuture.completedFuture(ready);
        } else if (pool == null || synchronous) {
          digests = CompletableFuture.completedFuture(digester.digest(file, stat, digestKinds));
        } else {
          digests =
              pool.submit(
                  () -> {
                    try {
                      return digester.digest(file, stat, digestKinds);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  });
        }
      }
      List<WalkLines.EntryValue> parts = new ArrayList<>();
      boolean pending = false;
      for (int i = 0; i < keywordKinds.length; i++) {
        String keyword = keywords.get(i);
        DigestKind kind = keywordKinds[i];
        if (kind != null) {
          if (digests != null) {
            parts.add(new WalkLines.DigestSlot(kind.keyword(), kind, digests));
            pending = true;
          }
          continue;
        }
        for (KeyVal kv : values(keyword, file, stat)) {
          if (!currentSet.contains(kv)) {
            parts.add(new WalkLines.KnownValue(kv));
          }
        }
      }
      WalkLines.PendingEntry p = new WalkLines.PendingEntry(name, parts);
      return pending ? p : new WalkLines.Ready(p.resolve());
    }

    private List<Child> orderedChildren(Path dir) throws IOException {
      List<Child> files = new ArrayList<>();
      List<Child> dirs = new ArrayList<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
        for (Path child : stream) {
          FileStat st = fs.lstat(child);
          (st.isDirectory() ? dirs : files).add(new Child(child, PathBytes.fileName(child), st));
        }
      }
      files.sort((a, b) -> Arrays.compareUnsigned(a.name, b.name));
      dirs.sort((a, b) -> Arrays.compareUnsigned(a.name, b.name));
      files.addAll(dirs);
      return files;
    }
  }

  private record Child(Path path, byte[] name, FileStat stat) {}

  private boolean needsAccess(FileStat st) {
    if (st.isDirectory()) {
      return (st.permissions() & 0500) != 0500;
    }
    return st.isRegularFile() && (st.permissions() & 0400) == 0;
  }

  private List<KeyVal> values(String keyword, Path file, FileStat st) {
    switch (keyword) {
      case "size":
        return List.of(new KeyVal("size", Long.toString(st.size())));
      case "type":
        String type = typeName(st);
        return type == null ? List.of() : List.of(new KeyVal("type", type));
      case "time":
        return List.of(
            new KeyVal(
                "time",
                Math.floorDiv(st.mtimeNanos(), 1_000_000_000L)
                    + "."
                    + String.format("%09d", Math.floorMod(st.mtimeNanos(), 1_000_000_000L))));
      case "tar_time":
        return List.of(
            new KeyVal("tar_time", Math.floorDiv(st.mtimeNanos(), 1_000_000_000L) + ".000000000"));
      case "link":
        if (!st.isSymlink()) {
          return List.of();
        }
        try {
          byte[] target = PathBytes.of(Files.readSymbolicLink(file));
          return List.of(new KeyVal("link", Vis.encode(target)));
        } catch (IOException e) {
          return List.of();
        }
      case "uid":
        return List.of(uid(st));
      case "gid":
        return List.of(gid(st));
      case "uname":
        String u = HostAccounts.userName(Integer.toUnsignedLong(st.uid()));
        return u == null ? List.of() : List.of(new KeyVal("uname", u));
      case "gname":
        String g = HostAccounts.groupName(Integer.toUnsignedLong(st.gid()));
        return g == null ? List.of() : List.of(new KeyVal("gname", g));
      case "nlink":
        return List.of(new KeyVal("nlink", Integer.toUnsignedString(st.nlink())));
      case "mode":
        return List.of(new KeyVal("mode", goOctal(st.permissions())));
      case "xattr", "xattrs":
        return xattrs(file, st);
      default:
        return List.of(); // flags: a no-op on Linux
    }
  }

  private List<KeyVal> xattrs(Path file, FileStat st) {
    if (!st.isRegularFile() && !st.isDirectory()) {
      return List.of();
    }
    try {
      List<KeyVal> out = new ArrayList<>();
      for (String name : fs.listXattrs(file)) {
        byte[] value = fs.getXattr(file, name);
        if (value == null) {
          return List.of();
        }
        out.add(
            new KeyVal(
                "xattr." + Vis.encode(name.getBytes(StandardCharsets.UTF_8)),
                Base64.getEncoder().encodeToString(value)));
      }
      return out;
    } catch (IOException e) {
      return List.of();
    }
  }

  private List<KeyVal> select(List<KeyVal> kvs) {
    List<String> prefixes = keywords.stream().map(Keywords::prefix).toList();
    return kvs.stream().filter(kv -> prefixes.contains(kv.prefix())).toList();
  }

  private static KeyVal uid(FileStat st) {
    return new KeyVal("uid", Integer.toUnsignedString(st.uid()));
  }

  private static KeyVal gid(FileStat st) {
    return new KeyVal("gid", Integer.toUnsignedString(st.gid()));
  }

  /** go-mtree's type names; null for an unknown type. */
  static String typeName(FileStat st) {
    return switch (st.type()) {
      case FileStat.S_IFDIR -> "dir";
      case FileStat.S_IFREG -> "file";
      case FileStat.S_IFSOCK -> "socket";
      case FileStat.S_IFLNK -> "link";
      case FileStat.S_IFIFO -> "fifo";
      case FileStat.S_IFCHR -> "char";
      case FileStat.S_IFBLK -> "block";
      default -> null;
    };
  }

  /** Go's {@code %#o}: a leading zero unless the value is zero. */
  static String goOctal(int permissions) {
    return permissions == 0 ? "0" : "0" + Integer.toOctalString(permissions);
  }

  /**
   * Options of a walker. Defaults: umoci's keywords, no excludes, streaming digests, host header.
   */
  public static final class Builder {
    private List<String> keywords = Keywords.UMOCI;
    private final List<Exclude> excludes = new ArrayList<>();
    private StatMapper statMapper;
    private ContentDigester digester = ContentDigester.streaming();
    private int threads = Math.min(4, Runtime.getRuntime().availableProcessors());
    private SpecHeader header;
    private boolean headerFromHost = true;
    private boolean rootless;
    private PosixFs fs = PosixFs.host();
    private EntryObserver observer;

    private Builder() {}

    /** Tells {@code observer} of every entry a walk describes. */
    public Builder observer(EntryObserver observer) {
      this.observer = observer;
      return this;
    }

    /** The keywords to compute, in output order (go-mtree names or synonyms). */
    public Builder keywords(List<String> keywords) {
      this.keywords = List.copyOf(keywords);
      return this;
    }

    /** Adds an exclusion; an excluded directory is skipped with everything below it. */
    public Builder exclude(Exclude exclude) {
      excludes.add(Objects.requireNonNull(exclude));
      return this;
    }

    /** Sets a hook that may replace each entry's stat (owner mapping). */
    public Builder statMapper(StatMapper mapper) {
      this.statMapper = mapper;
      return this;
    }

    /** Sets how file content is hashed (wrap it with a cache to skip unchanged files). */
    public Builder digester(ContentDigester digester) {
      this.digester = Objects.requireNonNull(digester);
      return this;
    }

    /** Threads hashing files; 1 hashes on the walking thread. */
    public Builder threads(int threads) {
      this.threads = Math.max(1, threads);
      return this;
    }

    /** Uses {@code header} as the signature comments (null: none) instead of the host's. */
    public Builder header(SpecHeader header) {
      this.header = header;
      this.headerFromHost = false;
      return this;
    }

    /**
     * Rootless access, as umoci's unpriv wrapper: a directory without owner read/search or a file
     * without owner read permission is made accessible while it is read, then its mode restored.
     */
    public Builder rootless(boolean rootless) {
      this.rootless = rootless;
      return this;
    }

    /** The POSIX layer to use (tests). */
    public Builder posixFs(PosixFs fs) {
      this.fs = Objects.requireNonNull(fs);
      return this;
    }

    /**
     * @throws InvalidArgumentException for an unknown or unsupported keyword
     */
    public MtreeWalker build() throws InvalidArgumentException {
      return new MtreeWalker(this);
    }
  }
}
