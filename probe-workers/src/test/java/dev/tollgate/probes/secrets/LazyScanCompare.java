package dev.tollgate.probes.secrets;

import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.repo.CommitInfo;
import dev.tollgate.probes.repo.DiffState;
import dev.tollgate.probes.repo.FileChange;
import dev.tollgate.probes.repo.RepoSnapshots;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The range scan that skips diffs (issue #24) against the one that diffs every file, on real histories: the range of
 * each of the newest {@code commits} commits of each repository (its first parent as baseline) is scanned both ways,
 * the skipping scan first (so its skips are real: both read the same shared views of the range), and findings,
 * warnings, bytes and files scanned must be equal. Also under a small total limit, so the limit's cut is compared
 * where it falls inside ranges. Exits non-zero on any difference. Run: {@code bench/diff-compare.sh}.
 */
public final class LazyScanCompare {
  private LazyScanCompare() {}

  /** What one range gave: files with text, of them the ones whose diff was skipped, and a difference or null. */
  record Result(int textFiles, int skipped, String difference) {}

  private static final SecretScanner LAZY = new SecretScanner(RuleBook.standard(), RepoSecretsConfig.none(), null);

  /** Scans {@code changes} both ways under {@code maxTotalBytes}; the lazy scan runs first. */
  static Result compare(ChangeSet changes, long maxTotalBytes) {
    ScanReport lazy = LAZY.scanRange(changes, maxTotalBytes);
    int text = 0;
    int skipped = 0;
    for (CommitInfo c : changes.commits()) {
      for (FileChange f : changes.filesOf(c)) {
        if (f.hasText() && !f.binary()) {
          text++;
          skipped += DiffState.diffRan(f) ? 0 : 1;
        }
      }
    }
    ScanReport every = diffingEveryFile(changes, maxTotalBytes);
    String a = render(every);
    String b = render(lazy);
    return new Result(text, skipped, a.equals(b) ? null : "diffing every file:\n" + a + "\nskipping:\n" + b);
  }

  /**
   * The scan as before issue #24, the reference the lazy one is held to: once every file's added lines are computed,
   * no file offers its new side before the diff, and the scanner diffs and scans every file.
   */
  static ScanReport diffingEveryFile(ChangeSet changes, long maxTotalBytes) {
    for (CommitInfo c : changes.commits()) {
      changes.filesOf(c).forEach(FileChange::addedLines);
    }
    return LAZY.scanRange(changes, maxTotalBytes);
  }

  /** Everything a report says, figures included (which makes the lazy report count its skipped files). */
  static String render(ScanReport r) {
    return r.findings() + "\n" + r.warnings() + "\nbytes=" + r.bytesScanned() + " files=" + r.filesScanned();
  }

  public static void main(String[] args) throws IOException {
    int commits = Integer.parseInt(args[0]);
    long ranges = 0;
    long files = 0;
    long skipped = 0;
    long differences = 0;
    long absent = 0;
    for (int i = 1; i < args.length; i++) {
      long[] repo = compareRepo(new File(args[i]), commits);
      System.out.println(summary(args[i], repo));
      ranges += repo[0];
      files += repo[1];
      skipped += repo[2];
      differences += repo[3];
      absent += repo[4];
    }
    System.out.println(summary("secret scan, lazy vs every file diffed, all", new long[] {ranges, files, skipped, differences, absent})
        + (differences == 0 ? ": IDENTICAL findings, warnings and figures" : ""));
    System.exit(differences == 0 ? 0 : 1);
  }

  /** Ranges, text files, skipped diffs, differences of the newest {@code commits} commits of {@code gitDir}. */
  private static long[] compareRepo(File gitDir, int commits) throws IOException {
    List<String> newest = new ArrayList<>();
    try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir).setMustExist(true).build();
         RevWalk walk = new RevWalk(repo)) {
      walk.markStart(walk.parseCommit(repo.resolve("HEAD")));
      for (RevCommit c : walk) {
        if (newest.size() == commits) {
          break;
        }
        newest.add(c.name());
      }
    }
    return compareCommits(gitDir, newest);
  }

  /**
   * Compares the range of each commit (its first parent as baseline, none for a root) both ways; returns ranges, text
   * files, skipped diffs, differences and ranges left out because the repository lacks one of their objects (a
   * partial mirror), and prints each difference.
   */
  public static long[] compareCommits(File gitDir, List<String> commits) throws IOException {
    long[] out = new long[5];
    for (String id : commits) {
      String baseline;
      try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir).setMustExist(true).build();
           RevWalk walk = new RevWalk(repo)) {
        RevCommit c = walk.parseCommit(repo.resolve(id));
        baseline = c.getParentCount() == 0 ? null : c.getParent(0).name();
      }
      // The default limit, and one small enough to cut inside many ranges (the bound and the exact size differ there).
      for (long limit : new long[] {SecretsScan.DEFAULT_MAX_TOTAL_BYTES, 4_000}) {
        // Views of a range are shared by its change sets of the same limits: another file limit (by one byte) gives
        // the second comparison views whose diffs have not run yet.
        ChangeSet.Limits limits = limit == 4_000 ? new ChangeSet.Limits((1 << 20) + 1, 1000) : ChangeSet.Limits.DEFAULT;
        try (ChangeSet cs = ChangeSet.open(RepoSnapshots.openLocal(gitDir.getPath()), id, baseline, limits)) {
          Result r;
          try {
            r = compare(cs, limit);
          } catch (java.io.UncheckedIOException e) {
            if (!(e.getCause() instanceof org.eclipse.jgit.errors.MissingObjectException)) {
              throw e;
            }
            out[4] += limit == SecretsScan.DEFAULT_MAX_TOTAL_BYTES ? 1 : 0; // a partial mirror: neither scan can read it
            continue;
          }
          if (limit == SecretsScan.DEFAULT_MAX_TOTAL_BYTES) {
            out[0]++;
            out[1] += r.textFiles();
            out[2] += r.skipped();
          }
          if (r.difference() != null) {
            out[3]++;
            System.out.println("  DIFFERENT " + id + " limit " + limit + ":\n" + r.difference());
          }
        }
      }
    }
    return out;
  }

  /** One line of figures. */
  public static String summary(String label, long[] r) {
    return String.format(Locale.ROOT, "%s: %d ranges (x2 limits), %d text files, %d diffs skipped (%.0f %%), %s%s",
        label, r[0], r[1], r[2], 100.0 * r[2] / Math.max(1, r[1]), r[3] == 0 ? "0 different" : "DIFFERENT in " + r[3] + " scans",
        r.length > 4 && r[4] > 0 ? " (" + r[4] + " ranges not compared: objects absent from the repository)" : "");
  }
}
