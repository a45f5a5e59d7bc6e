package dev.tollgate.probes.repo;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
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

  private final Repository repo;
  private final RevCommit candidate;
  private final RevCommit baseline;
  private final Limits limits;
  private final Map<String, Object> memo = new ConcurrentHashMap<>();

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
  }

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
    try (TreeWalk walk = new TreeWalk(repo)) {
      walk.addTree(commit.getTree());
      walk.setRecursive(true);
      while (walk.next()) {
        if (walk.getFileMode(0) != FileMode.GITLINK) {
          paths.add(walk.getPathString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Collections.sort(paths);
    return List.copyOf(paths);
  }

  /** Content of {@code path} at the candidate, empty when absent or larger than the file limit. */
  public Optional<byte[]> readCandidate(String path) {
    return read(candidate, path);
  }

  /** Content of {@code path} at the baseline, empty when absent, no baseline, or too large. */
  public Optional<byte[]> readBaseline(String path) {
    return baseline == null ? Optional.empty() : read(baseline, path);
  }

  /** UTF-8 text of {@code path} at the candidate. */
  public Optional<String> readCandidateText(String path) {
    return readCandidate(path).map(b -> new String(b, StandardCharsets.UTF_8));
  }

  /** UTF-8 text of {@code path} at the baseline. */
  public Optional<String> readBaselineText(String path) {
    return readBaseline(path).map(b -> new String(b, StandardCharsets.UTF_8));
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
    try (TreeWalk walk = TreeWalk.forPath(repo, path, candidate.getTree())) {
      if (walk == null || walk.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
        return Optional.empty();
      }
      try (ObjectReader reader = repo.newObjectReader();
           java.io.InputStream in = reader.open(walk.getObjectId(0), Constants.OBJ_BLOB).openStream()) {
        return Optional.of(in.readNBytes(max));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    repo.close();
  }

  private java.util.OptionalLong overLimit(RevCommit commit, String path) {
    try (TreeWalk walk = TreeWalk.forPath(repo, path, commit.getTree())) {
      if (walk == null || walk.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
        return java.util.OptionalLong.empty();
      }
      try (ObjectReader reader = repo.newObjectReader()) {
        long size = reader.getObjectSize(walk.getObjectId(0), Constants.OBJ_BLOB);
        return size > limits.maxFileBytes() ? java.util.OptionalLong.of(size) : java.util.OptionalLong.empty();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Optional<byte[]> read(RevCommit commit, String path) {
    try (TreeWalk walk = TreeWalk.forPath(repo, path, commit.getTree())) {
      if (walk == null || walk.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
        return Optional.empty();
      }
      ObjectId blob = walk.getObjectId(0);
      try (ObjectReader reader = repo.newObjectReader()) {
        if (reader.getObjectSize(blob, Constants.OBJ_BLOB) > limits.maxFileBytes()) {
          return Optional.empty();
        }
        return Optional.of(reader.open(blob, Constants.OBJ_BLOB).getBytes());
      }
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
    long newSize = reader.getObjectSize(newId, Constants.OBJ_BLOB);
    if (newSize > limits.maxFileBytes()) {
      return new FileChange(type, oldPath, newPath, false, newSize, "too-large", List.of());
    }
    byte[] newBytes = reader.open(newId, Constants.OBJ_BLOB).getBytes();
    byte[] oldBytes = new byte[0];
    ObjectId oldBlob = ObjectId.zeroId(); // nothing before: every line is added
    if (oldPath != null) {
      ObjectId oldId = entry.getOldId().toObjectId();
      if (!ObjectId.zeroId().equals(oldId) && reader.getObjectSize(oldId, Constants.OBJ_BLOB) <= limits.maxFileBytes()) {
        oldBytes = reader.open(oldId, Constants.OBJ_BLOB).getBytes();
        oldBlob = oldId;
      }
    }
    if (RawText.isBinary(newBytes) || RawText.isBinary(oldBytes)) {
      return new FileChange(type, oldPath, newPath, true, newSize, null, List.of());
    }
    byte[] before = oldBytes;
    DiffKey key = new DiffKey(oldBlob, newId);
    return new FileChange(type, oldPath, newPath, false, newSize, null,
        new LazyLines(() -> ADDED_LINES.get(key, k -> addedLines(before, newBytes))));
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
    EditList edits = DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM)
        .diff(RawTextComparator.DEFAULT, new RawText(oldBytes), after);
    for (Edit edit : edits) {
      for (int i = edit.getBeginB(); i < edit.getEndB(); i++) {
        added.add(new AddedLine(i + 1, after.getString(i)));
      }
    }
    return List.copyOf(added);
  }

  @SuppressWarnings("unchecked")
  private <T> T memo(String key, Supplier<T> compute) {
    Object value = memo.get(key);
    if (value == null) {
      // Computed outside the map so a slow diff does not block other keys; a rare double compute is harmless.
      value = compute.get();
      Object previous = memo.putIfAbsent(key, value);
      if (previous != null) {
        value = previous;
      }
    }
    return (T) value;
  }
}
