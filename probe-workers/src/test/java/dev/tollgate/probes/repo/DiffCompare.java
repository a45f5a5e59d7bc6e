package dev.tollgate.probes.repo;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * Differential check and cost of {@link LineDiff} against JGit's histogram diff on real histories: every modified text
 * file (same path, both sides regular files of at most 1 MiB, neither binary) of the newest {@code commits} commits of
 * each repository against its first parent. Every edit list must be equal (so are the added lines and their numbers,
 * which {@code ChangeSet} reads from them); then both diff the same pairs, alternately, and the thread CPU time of each
 * is reported with the ratio. Run: {@code bench/diff-compare.sh [commits] GIT_DIR...}.
 */
public final class DiffCompare {
  private static final DiffAlgorithm JGIT = DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM);
  private static final long MAX_FILE_BYTES = 1 << 20;

  private DiffCompare() {}

  /** An old and a new content of one file. */
  public record Pair(byte[] a, byte[] b) {}

  public static void main(String[] args) throws IOException {
    int commits = Integer.parseInt(args[0]);
    List<Pair> all = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      List<Pair> pairs = new ArrayList<>();
      int[] counts = read(new File(args[i]), commits, pairs);
      System.out.printf(Locale.ROOT, "%s: %d commits, %d modified text file pairs (%d binary, too large or absent skipped); %s%n",
          args[i], counts[0], pairs.size(), counts[1], compare(pairs));
      all.addAll(pairs);
    }
    System.out.println(time(all));
    System.out.println(differing == 0 ? "IDENTICAL on every pair" : "DIFFERENT on " + differing + " pairs");
    System.exit(differing == 0 ? 0 : 1);
  }

  private static long differing;

  /** Compares both diffs on every pair; says how many added lines there were and how many pairs differ. */
  public static String compare(List<Pair> pairs) {
    long addedLines = 0;
    long different = 0;
    for (Pair p : pairs) {
      EditList expected = JGIT.diff(RawTextComparator.DEFAULT, new RawText(p.a()), new RawText(p.b()));
      EditList actual = LineDiff.diff(new RawText(p.a()), new RawText(p.b()));
      if (!expected.equals(actual)) {
        different++;
        System.out.println("  DIFFERENT: " + expected + " vs " + actual);
      }
      addedLines += expected.stream().mapToLong(e -> e.getLengthB()).sum();
    }
    differing += different;
    return String.format(Locale.ROOT, "%d added lines; %d identical, %d different", addedLines, pairs.size() - different, different);
  }

  /** The modified text file pairs of each of {@code commits} (ids) against its first parent. */
  public static List<Pair> pairs(File gitDir, List<String> commits) throws IOException {
    List<Pair> pairs = new ArrayList<>();
    try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir).setMustExist(true).build();
         ObjectReader reader = repo.newObjectReader();
         RevWalk walk = new RevWalk(reader)) {
      for (String id : commits) {
        addPairs(reader, walk, walk.parseCommit(ObjectId.fromString(id)), pairs);
      }
    }
    return pairs;
  }

  /** The pairs of the newest {@code commits} commits; returns {commits read, files skipped}. */
  static int[] read(File gitDir, int commits, List<Pair> pairs) throws IOException {
    int seen = 0;
    int skipped = 0;
    try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir).setMustExist(true).build();
         ObjectReader reader = repo.newObjectReader();
         RevWalk walk = new RevWalk(reader)) {
      walk.markStart(walk.parseCommit(repo.resolve(Constants.HEAD)));
      for (RevCommit c : walk) {
        if (seen++ == commits) {
          break;
        }
        if (c.getParentCount() == 0) {
          continue;
        }
        skipped += addPairs(reader, walk, c, pairs);
      }
    }
    return new int[] {Math.min(seen, commits), skipped};
  }

  /** Adds the modified text file pairs of {@code c} against its first parent; returns how many files it skipped. */
  private static int addPairs(ObjectReader reader, RevWalk walk, RevCommit c, List<Pair> pairs) throws IOException {
    int skipped = 0;
    try (TreeWalk tw = new TreeWalk(reader)) {
      tw.addTree(walk.parseCommit(c.getParent(0)).getTree());
      tw.addTree(c.getTree());
      tw.setRecursive(true);
      tw.setFilter(TreeFilter.ANY_DIFF);
      while (tw.next()) {
        if (tw.getFileMode(0).getObjectType() != Constants.OBJ_BLOB || tw.getFileMode(1).getObjectType() != Constants.OBJ_BLOB
            || tw.getFileMode(0) == FileMode.GITLINK || tw.getFileMode(1) == FileMode.GITLINK) {
          continue; // added, deleted, or not a file on one side
        }
        byte[] a = blob(reader, tw.getObjectId(0));
        byte[] b = blob(reader, tw.getObjectId(1));
        if (a == null || b == null || RawText.isBinary(a) || RawText.isBinary(b)) {
          skipped++;
          continue;
        }
        pairs.add(new Pair(a, b));
      }
    }
    return skipped;
  }

  private static byte[] blob(ObjectReader reader, ObjectId id) throws IOException {
    try {
      return reader.getObjectSize(id, Constants.OBJ_BLOB) > MAX_FILE_BYTES ? null : reader.open(id, Constants.OBJ_BLOB).getBytes();
    } catch (MissingObjectException e) {
      return null; // a snapshot may leave its largest objects out
    }
  }

  /** Thread CPU of JGit and of LineDiff over all pairs, alternately, after two warm-up rounds; medians of 5 rounds. */
  public static String time(List<Pair> pairs) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long bytes = pairs.stream().mapToLong(p -> p.a().length + p.b().length).sum();
    double[] jgit = new double[5];
    double[] ours = new double[5];
    long sink = 0;
    for (int round = -2; round < 5; round++) {
      long t0 = mx.getCurrentThreadCpuTime();
      for (Pair p : pairs) {
        sink += JGIT.diff(RawTextComparator.DEFAULT, new RawText(p.a()), new RawText(p.b())).size();
      }
      long t1 = mx.getCurrentThreadCpuTime();
      for (Pair p : pairs) {
        sink += LineDiff.diff(new RawText(p.a()), new RawText(p.b())).size();
      }
      long t2 = mx.getCurrentThreadCpuTime();
      if (round >= 0) {
        jgit[round] = (t1 - t0) / 1e6;
        ours[round] = (t2 - t1) / 1e6;
      }
    }
    Arrays.sort(jgit);
    Arrays.sort(ours);
    return String.format(Locale.ROOT, "diff alone, %d pairs (%.1f MB), CPU per round (median of 5, alternating): JGit %.0f ms,"
        + " LineDiff %.0f ms: %.2fx (%d edits)%n", pairs.size(), bytes / 1e6, jgit[2], ours[2], ours[2] / jgit[2], sink);
  }
}
