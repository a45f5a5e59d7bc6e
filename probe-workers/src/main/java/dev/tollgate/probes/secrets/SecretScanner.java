package dev.tollgate.probes.secrets;

import dev.tollgate.probes.api.ReadLimit;
import dev.tollgate.probes.repo.AddedLine;
import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.repo.CommitInfo;
import dev.tollgate.probes.repo.FileChange;
import dev.tollgate.probes.repo.TextView;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The secret-scanning engine shared by the {@code secrets} probe and {@code tollgate scan-secrets}: scans whole
 * files or the lines each commit of a range added, applies the repository's allowlists and baseline, and returns
 * redacted findings only. Thread-safe: one scanner may scan many files at once.
 */
public final class SecretScanner {
  private final RuleBook book;
  private final TextScanner text;
  private final RepoSecretsConfig config;
  private final Fingerprints fingerprints;

  /**
   * @param fingerprintKey the operator's key for fingerprints, or null for the built-in one
   */
  public SecretScanner(RuleBook book, RepoSecretsConfig config, byte[] fingerprintKey) {
    this.book = Objects.requireNonNull(book, "book");
    this.text = new TextScanner(book);
    this.config = Objects.requireNonNull(config, "config");
    this.fingerprints = new Fingerprints(fingerprintKey == null ? Fingerprints.DEFAULT_KEY : fingerprintKey);
  }

  /** The rules this scanner applies. */
  public RuleBook rules() {
    return book;
  }

  /**
   * Scans one whole file, read as {@link TextView} reads it (UTF-16 and UTF-32 as text, a binary's printable runs).
   * Allowlisted paths give nothing; baseline-accepted findings are dropped.
   *
   * @param path path relative to the scan root, {@code /}-separated
   */
  public List<SecretFinding> scanFile(String path, byte[] content) {
    if (config.pathAllowed(path)) {
      return List.of();
    }
    byte[] view = TextView.of(content);
    return redact(path, null, text.scan(path, view, view.length, null, config));
  }

  /** Scans the lines one commit added to one file. */
  List<SecretFinding> scanAdded(String path, String commit, List<AddedLine> lines) {
    if (config.pathAllowed(path) || lines.isEmpty()) {
      return List.of();
    }
    StringBuilder b = new StringBuilder();
    int[] numbers = new int[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) {
        b.append('\n');
      }
      b.append(lines.get(i).text());
      numbers[i] = lines.get(i).number();
    }
    byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
    return redact(path, commit, text.scan(path, bytes, bytes.length, numbers, config));
  }

  /**
   * Scans a deploy range: the added lines of every commit in (baseline, candidate], oldest first, so each secret is
   * attributed to the commit that introduced it even when a later commit removed it; on a first deploy also the
   * whole candidate tree. Stops reading when {@code maxTotalBytes} is reached, and says so in a warning.
   */
  public ScanReport scanRange(ChangeSet changes, long maxTotalBytes) {
    Collector c = new Collector(maxTotalBytes);
    List<CommitInfo> commits = changes.commits();
    for (int i = 0; i < commits.size() && !c.cut; i++) {
      CommitInfo commit = commits.get(i);
      for (FileChange f : changes.filesOf(commit)) {
        if (f.type() == FileChange.Type.DELETE || "submodule".equals(f.skipped()) || config.pathAllowed(f.path())) {
          continue;
        }
        if (f.skipped() != null) {
          c.tooLarge(f.path(), commit.id(), f.size(), changes.limits().maxFileBytes());
          continue;
        }
        if (movedIntoView(f)) {
          // Its lines are not added, but they were not scanned where they were: the whole file is new to the scan.
          Optional<byte[]> moved = changes.readAt(commit.id(), f.path());
          if (moved.isEmpty()) {
            c.tooLarge(f.path(), commit.id(), f.size(), changes.limits().maxFileBytes());
          } else if (!c.reserve(moved.get().length)) {
            c.warnings.add(cutWarning(maxTotalBytes, commit, commits.size() - i - 1));
            break;
          } else {
            byte[] view = TextView.of(moved.get());
            c.add(redact(f.path(), commit.id(), text.scan(f.path(), view, view.length, null, config)));
          }
          continue;
        }
        byte[] newSide = f.newSideBeforeDiff();
        if (newSide != null && !text.mayMatchLines(f.path(), newSide)) {
          // No line of the new side can give a finding, so none of the added lines can: their diff is not needed for
          // findings, only their size is, for the limit; the collector computes it only when the limit is near.
          if (!c.reserveUnscanned(f, newSide.length)) {
            c.warnings.add(cutWarning(maxTotalBytes, commit, commits.size() - i - 1));
            break;
          }
          continue;
        }
        if (f.addedLines().isEmpty()) {
          continue;
        }
        if (!c.reserve(addedBytes(f.addedLines()))) {
          c.warnings.add(cutWarning(maxTotalBytes, commit, commits.size() - i - 1));
          break;
        }
        c.add(scanAdded(f.path(), commit.id(), f.addedLines()));
      }
    }
    if (changes.commitsTruncated()) {
      // The walk keeps the newest commits: a credential added and removed again in the oldest ones is not seen.
      c.warnings.add(new ScanWarning(null, null, "the range has more than " + changes.limits().maxCommits()
          + " commits: only the newest " + changes.limits().maxCommits() + " were scanned, the older ones were not"
          + (changes.firstDeploy() ? " (a first deploy's range is the whole history)" : ""), ReadLimit.COMMITS));
    }
    if (changes.firstDeploy() && !c.cut) {
      for (String path : changes.candidatePaths()) {
        if (config.pathAllowed(path)) {
          continue;
        }
        Optional<byte[]> content = changes.readCandidate(path);
        if (content.isEmpty()) {
          c.tooLarge(path, null, -1, changes.limits().maxFileBytes());
          continue;
        }
        if (!c.reserve(content.get().length)) {
          c.warnings.add(new ScanWarning(null, null, "scan stopped at the total limit of " + maxTotalBytes
              + " bytes: part of the candidate tree was not scanned", ReadLimit.TOTAL_BYTES));
          break;
        }
        c.add(scanFile(path, content.get()));
      }
    }
    return c.report();
  }

  /**
   * True when {@code f} renames or copies a file from where the scan did not look at all of it: an allowlisted path, or
   * a path a path-limited rule (a {@code .env} rule) did not apply to and the new one does. Its unchanged lines are no
   * added lines, so an author could otherwise move a fixture's key into what ships.
   */
  private boolean movedIntoView(FileChange f) {
    if ((f.type() != FileChange.Type.RENAME && f.type() != FileChange.Type.COPY) || f.oldPath().equals(f.newPath())) {
      return false;
    }
    if (config.pathAllowed(f.oldPath())) {
      return true;
    }
    for (int r : book.pathLimited()) {
      PathGlob paths = book.rule(r).paths();
      if (paths != null && paths.matches(f.newPath()) && !paths.matches(f.oldPath())) {
        return true;
      }
    }
    return false;
  }

  private static ScanWarning cutWarning(long maxTotalBytes, CommitInfo commit, int newer) {
    return new ScanWarning(null, commit.id(), "scan stopped at the total limit of " + maxTotalBytes + " bytes in commit "
        + commit.shortId() + ": it and " + newer + " newer commit(s) were not fully scanned", ReadLimit.TOTAL_BYTES);
  }

  /** What the added lines count against the total limit: their characters and a line break each. */
  private static long addedBytes(List<AddedLine> lines) {
    long size = 0;
    for (AddedLine l : lines) {
      size += l.text().length() + 1L;
    }
    return size;
  }

  private List<SecretFinding> redact(String path, String commit, List<TextScanner.Candidate> found) {
    if (found.isEmpty()) {
      return List.of();
    }
    List<SecretFinding> out = new ArrayList<>(found.size());
    for (TextScanner.Candidate cand : found) {
      SecretRule rule = book.rule(cand.rule());
      KnownExample example = cand.example();
      String id = example == null ? rule.id().value() : ExampleCredentialRule.ID.value();
      String fp = fingerprints.of(id, path, cand.value());
      if (config.accepted(fp)) {
        continue;
      }
      out.add(new SecretFinding(id, example == null ? rule.severity() : ExampleCredentialRule.SEVERITY,
          example == null ? rule.description() : ExampleCredentialRule.describe(example), path, cand.line(), commit, fp,
          Fingerprints.preview(cand.value()), ValueCheck.normalize(cand.value()).length()));
    }
    return out;
  }

  /**
   * Counts bytes against the limit, keeps the first finding per fingerprint, gathers warnings.
   *
   * <p>A file whose added lines were not scanned (no line of it can give a finding) counts its exact added size as
   * well, but computed late: while the bytes counted plus an upper bound of every such file's size stay within the
   * limit, the exact total does too, and no file is cut; only when a file would pass that bound are the sizes
   * computed (their diffs run), so the limit cuts at exactly the file it always cut at. The figures of the report
   * compute them when read.
   */
  private final class Collector {
    private final long maxTotalBytes;
    /** Files reserved by an upper bound of their added size, whose exact size is not counted yet. */
    private final List<FileChange> unsized = new ArrayList<>();
    /** The sum of those bounds. */
    private long unsizedBound;
    private final Map<String, SecretFinding> byFingerprint = new LinkedHashMap<>();
    private final List<ScanWarning> warnings = new ArrayList<>();
    private final Set<String> warnedFiles = new HashSet<>();
    private long bytes;
    private int files;
    private boolean cut;

    Collector(long maxTotalBytes) {
      this.maxTotalBytes = maxTotalBytes;
    }

    boolean reserve(long size) {
      if (!cut && bytes + unsizedBound + size <= maxTotalBytes) {
        bytes += size;
        files++;
        return true;
      }
      settle();
      if (cut || bytes + size > maxTotalBytes) {
        cut = true;
        return false;
      }
      bytes += size;
      files++;
      return true;
    }

    /**
     * Reserves the added lines of {@code f}, not scanned, whose new side has {@code newSideBytes} bytes: by the bound
     * while the limit is far (no diff), else by their exact size, as {@link #reserve} would.
     */
    boolean reserveUnscanned(FileChange f, long newSideBytes) {
      // Each added line is a line of the new side: at most its bytes in characters (a UTF-8 or Latin-1 decoding
      // never gives more), plus its line break, plus one for a last line without one.
      long bound = newSideBytes + 1;
      if (!cut && bytes + unsizedBound + bound <= maxTotalBytes) {
        unsized.add(f);
        unsizedBound += bound;
        return true;
      }
      List<AddedLine> lines = f.addedLines();
      return lines.isEmpty() || reserve(addedBytes(lines));
    }

    /** Counts the exact size of the files reserved by a bound (runs their diffs). */
    private void settle() {
      for (FileChange f : unsized) {
        long size = addedBytes(f.addedLines());
        if (size > 0) {
          bytes += size;
          files++;
        }
      }
      unsized.clear();
      unsizedBound = 0;
    }

    void add(List<SecretFinding> found) {
      for (SecretFinding f : found) {
        byFingerprint.putIfAbsent(f.fingerprint(), f);
      }
    }

    void tooLarge(String path, String commit, long size, long limit) {
      if (warnedFiles.add(path)) {
        warnings.add(new ScanWarning(path, commit, "not scanned: larger than the file limit of " + limit + " bytes"
            + (size > 0 ? " (" + size + " bytes)" : ""), ReadLimit.FILE_SIZE));
      }
    }

    ScanReport report() {
      if (unsized.isEmpty()) {
        return new ScanReport(new ArrayList<>(byFingerprint.values()), warnings, bytes, files);
      }
      // The figures only: the gate reads findings and warnings, so its scans never compute these sizes.
      return new ScanReport(new ArrayList<>(byFingerprint.values()), warnings, () -> {
        settle();
        return new ScanReport.Read(bytes, files);
      });
    }
  }
}
