package dev.tollgate.probes.secrets;

import dev.tollgate.probes.api.ReadLimit;
import dev.tollgate.probes.repo.AddedLine;
import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.repo.CommitInfo;
import dev.tollgate.probes.repo.FileChange;
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
  /** Bytes read before binary detection gives up looking for a NUL (git's own heuristic). */
  private static final int BINARY_PROBE = 8000;

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
   * Scans one whole file. Binary files and allowlisted paths give nothing; baseline-accepted findings are dropped.
   *
   * @param path path relative to the scan root, {@code /}-separated
   */
  public List<SecretFinding> scanFile(String path, byte[] content) {
    if (config.pathAllowed(path) || isBinary(content)) {
      return List.of();
    }
    return redact(path, null, text.scan(path, content, content.length, null, config));
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
        if (f.binary() || f.addedLines().isEmpty()) {
          continue;
        }
        long size = f.addedLines().stream().mapToLong(l -> l.text().length() + 1L).sum();
        if (!c.reserve(size)) {
          c.warnings.add(new ScanWarning(null, commit.id(), "scan stopped at the total limit of " + maxTotalBytes
              + " bytes in commit " + commit.shortId() + ": it and " + (commits.size() - i - 1)
              + " newer commit(s) were not fully scanned", ReadLimit.TOTAL_BYTES));
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

  /** True when the first 8000 bytes hold a NUL, as git decides. Eight bytes per step: this runs on every file. */
  static boolean isBinary(byte[] content) {
    int n = Math.min(content.length, BINARY_PROBE);
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      long v = (long) LONGS.get(content, i);
      if (((v - 0x0101010101010101L) & ~v & 0x8080808080808080L) != 0) {
        return true; // some byte of v is zero
      }
    }
    for (; i < n; i++) {
      if (content[i] == 0) {
        return true;
      }
    }
    return false;
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

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

  /** Counts bytes against the limit, keeps the first finding per fingerprint, gathers warnings. */
  private final class Collector {
    private final long maxTotalBytes;
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
      if (cut || bytes + size > maxTotalBytes) {
        cut = true;
        return false;
      }
      bytes += size;
      files++;
      return true;
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
      return new ScanReport(new ArrayList<>(byFingerprint.values()), warnings, bytes, files);
    }
  }
}
