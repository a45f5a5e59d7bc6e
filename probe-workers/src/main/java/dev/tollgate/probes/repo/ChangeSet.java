package dev.tollgate.probes.repo;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * What one deploy ships: the commits in (baseline, candidate], each commit's changes, the net change from
 * baseline to candidate, and file contents at both ends. Without a baseline (first deploy) the whole candidate
 * tree is the net change and every reachable commit (up to the limit) is in the range.
 *
 * <p>Views are computed on first use and kept, so the rules of one probe share them. Thread-safe. Close it to
 * release the repository.
 */
public final class ChangeSet implements AutoCloseable {
  /** Bounds on what a change set reads. */
  public record Limits(long maxFileBytes, int maxCommits) {
    public static final Limits DEFAULT = new Limits(1 << 20, 1000);

    public Limits {
      if (maxFileBytes < 1 || maxCommits < 1) {
        throw new IllegalArgumentException("limits: expected positive values, got " + maxFileBytes + ", " + maxCommits);
      }
    }
  }

  /** Bound of {@link #RANGES}. */
  static final long RANGES_MAX_BYTES = 64L << 20;

  /** Bound of {@link #BLOBS}. */
  static final long BLOBS_MAX_BYTES = 64L << 20;

  /** Bound of {@link #TREES}. */
  static final long TREES_MAX_BYTES = 32L << 20;

  private final Repository repo;
  private final RevCommit candidate;
  private final RevCommit baseline;
  private final Limits limits;
  /** Views of this range, shared with every change set of the same range (see {@link #RANGES}). */
  private final Views views;

  /**
   * Added lines per (old blob, new blob), shared by every change set of the process: each probe of an evaluation asks
   * for them (so do evaluations over the same commits, in every environment), and the histogram diff is most of a
   * check's cost. Keyed by content ids, so an entry is the same for every repository holding those blobs, and gives
   * nothing to a reader that does not already have them. Bounded by the text it holds.
   */
  private static final Cache<DiffKey, List<AddedLine>> ADDED_LINES = Caffeine.newBuilder()
      .maximumWeight(64L << 20)
      .weigher((DiffKey k, List<AddedLine> lines) -> weight(lines))
      .recordStats()
      .build();

  private record DiffKey(ObjectId oldBlob, ObjectId newBlob) {}

  /** Publishes the shared diff cache's hit rate and size ({@code tollgate.repo.diffs}). */
  public static void bindMetrics(MeterRegistry meters) {
    CaffeineCacheMetrics.monitor(meters, ADDED_LINES, "tollgate.repo.diffs");
    CaffeineCacheMetrics.monitor(meters, BLOBS, "tollgate.repo.blobs");
    CaffeineCacheMetrics.monitor(meters, RANGES, "tollgate.repo.ranges");
    CaffeineCacheMetrics.monitor(meters, TREES, "tollgate.repo.trees");
    OpenRepositories.bindMetrics(meters);
  }

  /** Bytes held by the shared caches (blobs, trees, added lines, range views): what {@code CacheBoundsTest} bounds. */
  static long sharedCacheBytes() {
    return weight(BLOBS) + weight(ADDED_LINES) + weight(RANGES) + weight(TREES);
  }

  private static long weight(Cache<?, ?> cache) {
    return cache.policy().eviction().flatMap(e -> e.weightedSize().isPresent()
        ? java.util.Optional.of(e.weightedSize().getAsLong()) : java.util.Optional.empty()).orElse(0L);
  }

  /** Runs pending evictions of the shared caches (Caffeine evicts asynchronously; tests read sizes after it). */
  static void cleanUpSharedCaches() {
    BLOBS.cleanUp();
    ADDED_LINES.cleanUp();
    RANGES.cleanUp();
    TREES.cleanUp();
  }

  private static int weight(List<AddedLine> lines) {
    long bytes = 64;
    for (AddedLine line : lines) {
      bytes += 48 + 2L * line.text().length();
    }
    return (int) Math.min(Integer.MAX_VALUE, bytes);
  }
  private volatile boolean commitsTruncated;

  ChangeSet(Repository repo, RevCommit candidate, RevCommit baseline, Limits limits) {
    this.repo = Objects.requireNonNull(repo, "repo");
    this.candidate = Objects.requireNonNull(candidate, "candidate");
    this.baseline = baseline;
    this.limits = Objects.requireNonNull(limits, "limits");
    File dir = repo.getDirectory();
    // A repository without a directory (in memory) has no identity to share by: its views stay its own.
    this.key = dir == null ? null : new RangeKey(dir.getAbsolutePath(), candidate.copy(), baseline == null ? null : baseline.copy(),
        limits);
    this.views = key == null ? new Views() : RANGES.get(key, k -> new Views());
  }

  private final RangeKey key;

  /**
   * One range of one repository: its git directory (so a range of one tenant's mirror is never read through another's),
   * both commits and the limits read under.
   */
  private record RangeKey(String gitDir, ObjectId candidate, ObjectId baseline, Limits limits) {}

  /** What has been computed about one range, and roughly how many bytes it holds. */
  private static final class Views {
    final Map<String, Object> memo = new ConcurrentHashMap<>();
    final AtomicLong bytes = new AtomicLong(256);
  }

  /**
   * The views of recent ranges. The five probes of an evaluation each open the range (one check each, often on
   * different threads): the net diff, the commit walk and the path lists are computed by the first and read by the
   * others. Bounded by the bytes the views hold (estimated as they are
   * computed, the contents a change holds until its lines are read included), and dropped 30 seconds after their last
   * use: an evaluation's checks run within seconds.
   */
  private static final Cache<RangeKey, Views> RANGES = Caffeine.newBuilder()
      .maximumWeight(RANGES_MAX_BYTES)
      .weigher((RangeKey k, Views v) -> (int) Math.min(Integer.MAX_VALUE, v.bytes.get()))
      .expireAfterAccess(Duration.ofSeconds(30))
      .recordStats()
      .build();


  /**
   * File contents by blob id, shared by every change set of the process: the baseline's files are read by every
   * evaluation over it, a candidate's by each of its probes. Keyed by content ids (as {@link #ADDED_LINES}), so an
   * entry is found only by a reader whose own tree names that blob. Bounded by the bytes held; files over the file
   * limit are never held.
   */
  private static final Cache<ObjectId, byte[]> BLOBS = Caffeine.newBuilder()
      .maximumWeight(BLOBS_MAX_BYTES)
      .weigher((ObjectId k, byte[] v) -> 80 + v.length)
      .recordStats()
      .build();


  /**
   * Opens the range in {@code repo}. Takes ownership of {@code repo}: {@link #close()} closes it.
   *
   * @throws RepoAccessException when a commit is missing
   */
  public static ChangeSet open(Repository repo, String candidateId, String baselineId, Limits limits) {
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit cand = parse(walk, candidateId, "candidate");
      RevCommit base = baselineId == null ? null : parse(walk, baselineId, "baseline");
      return new ChangeSet(repo, cand, base, limits);
    } catch (RuntimeException e) {
      repo.close();
      throw e;
    }
  }

  private static RevCommit parse(RevWalk walk, String id, String role) {
    try {
      return walk.parseCommit(ObjectId.fromString(id));
    } catch (MissingObjectException e) {
      throw new RepoAccessException(role + " commit " + id + " is not in the repository");
    } catch (IOException e) {
      throw new RepoAccessException("cannot read " + role + " commit " + id + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new RepoAccessException(role + " " + id + " is not a commit id");
    }
  }

  /** The candidate commit id. */
  public String candidate() {
    return candidate.name();
  }

  /** The baseline commit id, empty for a first deploy. */
  public Optional<String> baseline() {
    return Optional.ofNullable(baseline).map(AnyObjectId::name);
  }

  /** True when nothing ran before: the whole candidate tree is the change. */
  public boolean firstDeploy() {
    return baseline == null;
  }

  /** Size and commit limits this change set reads under. */
  public Limits limits() {
    return limits;
  }

  /**
   * True when the candidate descends from the baseline (false for rollbacks and rewritten history). Every probe of an
   * evaluation asks (the worker's range check), so the answer is shared process-wide: keyed by the two commit ids, it
   * is the same in every repository holding them.
   */
  public boolean baselineIsAncestor() {
    if (baseline == null) {
      return false;
    }
    return ANCESTRY.get(new CommitPair(baseline.copy(), candidate.copy()), k -> {
      try (RevWalk walk = new RevWalk(repo)) {
        return walk.isMergedInto(walk.parseCommit(baseline), walk.parseCommit(candidate));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private record CommitPair(ObjectId baseline, ObjectId candidate) {}

  /** (baseline, candidate) → whether the candidate descends from the baseline. */
  private static final Cache<CommitPair, Boolean> ANCESTRY = Caffeine.newBuilder().maximumSize(10_000).build();

  /** Commits in (baseline, candidate], oldest first, at most {@link Limits#maxCommits()} (the newest kept). */
  public List<CommitInfo> commits() {
    return memo("commits", this::walkCommits);
  }

  /** True when {@link #commits()} was cut by the commit limit. */
  public boolean commitsTruncated() {
    commits();
    return commitsTruncated;
  }

  /** Net change from baseline to candidate (from the empty tree on a first deploy), paths sorted. */
  public List<FileChange> files() {
    return memo("files", () -> diff(baseline == null ? null : baseline.getTree(), candidate.getTree()));
  }

  /** What {@code commit} changed against its first parent (against the empty tree for a root commit). */
  public List<FileChange> filesOf(CommitInfo commit) {
    if (baseline != null && commit.id().equals(candidate.name()) && commit.parents().size() == 1
        && commit.parents().get(0).equals(baseline.name())) {
      return files(); // a one-commit range: the commit's change is the net change, diffed once
    }
    return memo("files:" + commit.id(), () -> {
      try (RevWalk walk = new RevWalk(repo)) {
        RevCommit c = walk.parseCommit(ObjectId.fromString(commit.id()));
        RevTree parentTree = c.getParentCount() == 0 ? null : walk.parseCommit(c.getParent(0)).getTree();
        return diff(parentTree, c.getTree());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Every file path in the candidate tree, sorted. */
  public List<String> candidatePaths() {
    return memo("paths", () -> paths(candidate));
  }

  /**
   * Every file path in the baseline tree (what runs now), sorted; empty on a first deploy. The migration probe
   * searches the running release's code here.
   */
  public List<String> baselinePaths() {
    return baseline == null ? List.of() : memo("baselinePaths", () -> paths(baseline));
  }

  private List<String> paths(RevCommit commit) {
    List<String> paths = new ArrayList<>();
    index(commit).forEach((path, entry) -> {
      if (entry.mode() != FileMode.GITLINK) {
        paths.add(path);
      }
    });
    Collections.sort(paths);
    return List.copyOf(paths);
  }

  /** A tree entry: its object and mode. */
  private record Entry(ObjectId id, FileMode mode) {}

  /**
   * Every path of {@code commit}'s tree with its object, read in one walk and shared by tree id (see {@link #TREES}):
   * probes look files up by path many times (configs, manifests, migrations, the running release's code), and a walk
   * from the root per lookup was most of what reading a file cost.
   */
  private Map<String, Entry> index(RevCommit commit) {
    return TREES.get(commit.getTree().copy(), tree -> {
      Map<String, Entry> entries = new java.util.HashMap<>();
      try (TreeWalk walk = new TreeWalk(repo)) {
        walk.addTree(tree);
        walk.setRecursive(true);
        while (walk.next()) {
          entries.put(walk.getPathString(), new Entry(walk.getObjectId(0), walk.getFileMode(0)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Map.copyOf(entries);
    });
  }

  /**
   * Path indexes of trees by tree id, shared by every change set of the process: the baseline's tree is the same for
   * every candidate over it (it survives any rotation of candidates), a candidate's is read by each of its probes.
   * Keyed by content ids, found only by a reader whose own commit names that tree. Bounded by the bytes held.
   */
  private static final Cache<ObjectId, Map<String, Entry>> TREES = Caffeine.newBuilder()
      .maximumWeight(TREES_MAX_BYTES)
      .weigher((ObjectId k, Map<String, Entry> v) -> (int) Math.min(Integer.MAX_VALUE,
          v.keySet().stream().mapToLong(path -> 160L + 2L * path.length()).sum()))
      .recordStats()
      .build();


  /** The blob at {@code path} of {@code commit}, or null when there is none (absent, a directory, a submodule). */
  private ObjectId blobAt(RevCommit commit, String path) {
    Entry e = index(commit).get(path);
    return e == null || e.mode().getObjectType() != Constants.OBJ_BLOB ? null : e.id();
  }

  /** The bytes of {@code blob}, or empty when it is larger than the file limit. */
  private Optional<byte[]> blob(ObjectReader reader, ObjectId blob) throws IOException {
    byte[] cached = BLOBS.getIfPresent(blob);
    if (cached != null) {
      // Held for a change set with a higher limit, perhaps: this one's limit still applies.
      return cached.length > limits.maxFileBytes() ? Optional.empty() : Optional.of(cached);
    }
    if (reader.getObjectSize(blob, Constants.OBJ_BLOB) > limits.maxFileBytes()) {
      return Optional.empty();
    }
    byte[] bytes = reader.open(blob, Constants.OBJ_BLOB).getBytes();
    BLOBS.put(blob.copy(), bytes);
    return Optional.of(bytes);
  }

  /** Content of {@code path} at the candidate, empty when absent or larger than the file limit. */
  public Optional<byte[]> readCandidate(String path) {
    return read(candidate, path);
  }

  /**
   * Content of {@code path} at {@code commit} (a commit of the range), empty when absent or larger than the file limit:
   * the whole file one commit left, where its added lines are not enough (a file moved out of an allowlisted path).
   */
  public Optional<byte[]> readAt(String commit, String path) {
    try (RevWalk walk = new RevWalk(repo)) {
      return read(walk.parseCommit(ObjectId.fromString(commit)), path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Content of {@code path} at the baseline, empty when absent, no baseline, or too large. */
  public Optional<byte[]> readBaseline(String path) {
    return baseline == null ? Optional.empty() : read(baseline, path);
  }

  /** Text of {@code path} at the candidate: UTF-8, or UTF-16/UTF-32 transcoded ({@link TextView#utf8}). */
  public Optional<String> readCandidateText(String path) {
    return readCandidate(path).map(TextView::utf8);
  }

  /** Text of {@code path} at the baseline, as {@link #readCandidateText} reads it. */
  public Optional<String> readBaselineText(String path) {
    return readBaseline(path).map(TextView::utf8);
  }

  /**
   * True when the range changes {@code path} (added, removed or edited between baseline and candidate); false on a
   * first deploy, which has no baseline to differ from. What the worker asks of the files a policy was read from.
   */
  public boolean differsFromBaseline(String path) {
    return baseline != null && !Objects.equals(blobAt(baseline, path), blobAt(candidate, path));
  }

  /**
   * The size of {@code path} at the candidate when it is over {@link Limits#maxFileBytes()} (so
   * {@link #readCandidate} gave nothing although the file exists), else empty: what a probe reports as not read.
   */
  public java.util.OptionalLong candidateOverLimit(String path) {
    return overLimit(candidate, path);
  }

  /** Like {@link #candidateOverLimit}, at the baseline. */
  public java.util.OptionalLong baselineOverLimit(String path) {
    return baseline == null ? java.util.OptionalLong.empty() : overLimit(baseline, path);
  }

  /**
   * At most the first {@code max} bytes of {@code path} at the candidate, whatever its size: enough to tell what a
   * file over the limit is (a Liquibase changelog says so in its first lines) without reading it.
   */
  public Optional<byte[]> readCandidatePrefix(String path, int max) {
    ObjectId blob = blobAt(candidate, path);
    if (blob == null) {
      return Optional.empty();
    }
    try (ObjectReader reader = repo.newObjectReader();
         java.io.InputStream in = reader.open(blob, Constants.OBJ_BLOB).openStream()) {
      return Optional.of(in.readNBytes(max));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    repo.close();
  }

  private java.util.OptionalLong overLimit(RevCommit commit, String path) {
    ObjectId blob = blobAt(commit, path);
    if (blob == null) {
      return java.util.OptionalLong.empty();
    }
    byte[] held = BLOBS.getIfPresent(blob);
    if (held != null) {
      return held.length > limits.maxFileBytes() ? java.util.OptionalLong.of(held.length) : java.util.OptionalLong.empty();
    }
    try (ObjectReader reader = repo.newObjectReader()) {
      long size = reader.getObjectSize(blob, Constants.OBJ_BLOB);
      return size > limits.maxFileBytes() ? java.util.OptionalLong.of(size) : java.util.OptionalLong.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Optional<byte[]> read(RevCommit commit, String path) {
    ObjectId blob = blobAt(commit, path);
    if (blob == null) {
      return Optional.empty();
    }
    try (ObjectReader reader = repo.newObjectReader()) {
      return blob(reader, blob);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<CommitInfo> walkCommits() {
    List<CommitInfo> newestFirst = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repo)) {
      walk.sort(RevSort.TOPO);
      walk.markStart(walk.parseCommit(candidate));
      if (baseline != null) {
        walk.markUninteresting(walk.parseCommit(baseline));
      }
      for (RevCommit c : walk) {
        if (newestFirst.size() == limits.maxCommits()) {
          commitsTruncated = true;
          break;
        }
        List<String> parents = new ArrayList<>();
        for (RevCommit p : c.getParents()) {
          parents.add(p.name());
        }
        var author = c.getAuthorIdent();
        newestFirst.add(new CommitInfo(c.name(), parents, author.getName(), author.getEmailAddress(),
            author.getWhenAsInstant(), c.getShortMessage()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Collections.reverse(newestFirst);
    return List.copyOf(newestFirst);
  }

  private List<FileChange> diff(RevTree oldTree, RevTree newTree) {
    try (ObjectReader reader = repo.newObjectReader();
         DiffFormatter formatter = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
      formatter.setRepository(repo);
      formatter.setDetectRenames(true);
      formatter.setPathFilter(PathFilter.ALL);
      List<DiffEntry> entries = formatter.scan(iterator(reader, oldTree), iterator(reader, newTree));
      List<FileChange> changes = new ArrayList<>(entries.size());
      for (DiffEntry entry : entries) {
        changes.add(toChange(reader, entry));
      }
      changes.sort((a, b) -> a.path().compareTo(b.path()));
      return List.copyOf(changes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static AbstractTreeIterator iterator(ObjectReader reader, RevTree tree) throws IOException {
    return tree == null ? new EmptyTreeIterator() : new CanonicalTreeParser(null, reader, tree);
  }

  private FileChange toChange(ObjectReader reader, DiffEntry entry) throws IOException {
    FileChange.Type type = FileChange.Type.valueOf(entry.getChangeType().name());
    String oldPath = type == FileChange.Type.ADD ? null : entry.getOldPath();
    String newPath = type == FileChange.Type.DELETE ? null : entry.getNewPath();
    if (type == FileChange.Type.DELETE) {
      return new FileChange(type, oldPath, null, false, 0, null, List.of());
    }
    if (entry.getNewMode() == FileMode.GITLINK || entry.getOldMode() == FileMode.GITLINK) {
      return new FileChange(type, oldPath, newPath, false, 0, "submodule", List.of());
    }
    ObjectId newId = entry.getNewId().toObjectId();
    Optional<byte[]> newRead = blob(reader, newId);
    if (newRead.isEmpty()) {
      return new FileChange(type, oldPath, newPath, false, reader.getObjectSize(newId, Constants.OBJ_BLOB), "too-large", List.of());
    }
    byte[] newBytes = newRead.get();
    long newSize = newBytes.length;
    byte[] oldBytes = new byte[0];
    ObjectId oldBlob = ObjectId.zeroId(); // nothing before: every line is added
    if (oldPath != null) {
      ObjectId oldId = entry.getOldId().toObjectId();
      Optional<byte[]> oldRead = ObjectId.zeroId().equals(oldId) ? Optional.empty() : blob(reader, oldId);
      if (oldRead.isPresent()) {
        oldBytes = oldRead.get();
        oldBlob = oldId;
      }
    }
    // The lines are those of the sides' text views (TextView): UTF-16 and UTF-32 text as UTF-8, a binary side as its
    // printable runs, so a NUL the author put before a key does not hide the key's line. Binary stays binary for
    // every reader but the secrets scan (hasText() is false).
    TextView.Read oldSide = TextView.read(oldBytes);
    TextView.Read newSide = TextView.read(newBytes);
    boolean binary = newSide.kind() == TextView.Kind.BINARY || oldSide.kind() == TextView.Kind.BINARY;
    byte[] before = oldSide.text();
    byte[] after = newSide.text();
    // Until its lines are asked for, the change holds both contents: weighed with the range's views, so a range
    // cached for the evaluation's other probes counts what it really keeps alive.
    views.bytes.addAndGet(256L + before.length + after.length);
    DiffKey key = new DiffKey(oldBlob, newId);
    return new FileChange(type, oldPath, newPath, binary, newSize, null,
        new LazyLines(after, () -> ADDED_LINES.get(key, k -> addedLines(before, after))));
  }

  private static List<AddedLine> addedLines(byte[] oldBytes, byte[] newBytes) {
    RawText after = new RawText(newBytes);
    List<AddedLine> added = new ArrayList<>();
    if (oldBytes.length == 0) {
      for (int i = 0; i < after.size(); i++) {
        added.add(new AddedLine(i + 1, after.getString(i)));
      }
      return List.copyOf(added);
    }
    EditList edits = LineDiff.diff(new RawText(oldBytes), after); // JGit's histogram diff, cheaper (see LineDiff)
    for (Edit edit : edits) {
      for (int i = edit.getBeginB(); i < edit.getEndB(); i++) {
        added.add(new AddedLine(i + 1, after.getString(i)));
      }
    }
    return List.copyOf(added);
  }

  @SuppressWarnings("unchecked")
  private <T> T memo(String name, Supplier<T> compute) {
    Object value = views.memo.get(name);
    if (value == null) {
      // Computed outside the map so a slow diff does not block other keys; a rare double compute is harmless.
      value = compute.get();
      if (value instanceof List<?> list) {
        views.bytes.addAndGet(64L + 160L * list.size()); // file changes, commits, paths: small records each
      }
      Object previous = views.memo.putIfAbsent(name, value);
      if (previous != null) {
        value = previous;
      } else if (key != null) {
        RANGES.asMap().computeIfPresent(key, (k, v) -> v); // weighs the views again, now that they hold more
      }
    }
    return (T) value;
  }
}
