package dev.tollgate.deploy.bench;

import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.repo.CommitInfo;
import dev.tollgate.probes.repo.RepoSnapshots;
import dev.tollgate.probes.testing.FixtureRepo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the commit range of a result (lead time) costs a worker on a check whose probe does not walk the commits itself
 * (calendar, migrations): the walk of (baseline, candidate] on a fresh change set, as a check opens one, beside what every
 * check does anyway (open the change set, read {@code .tollgate.yml} at the candidate). Ranges of 10, 100 and 1,000
 * commits of a real git repository; wall and this thread's CPU time, medians of 50 runs after 10 warm-up runs.
 *
 * <p>Run: {@code bench/run-java.sh dev.tollgate.deploy.bench.RangeCostBench}.
 */
public final class RangeCostBench {
  private RangeCostBench() {}

  public static void main(String[] args) throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Path tmp = Files.createTempDirectory("tollgate-range-bench");
    for (int commits : List.of(10, 100, 1000)) {
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("r" + commits)).commit("a.txt", "0")
          .commit(".tollgate.yml", "version: 1\n").deployed();
      for (int i = 1; i <= commits; i++) {
        repo.commit("src/file" + (i % 50) + ".txt", "change " + i);
      }
      long[][] base = run(mx, () -> {
        try (ChangeSet c = open(repo)) {
          c.readCandidateText(".tollgate.yml");
        }
      });
      long[][] walk = run(mx, () -> {
        try (ChangeSet c = open(repo)) {
          c.readCandidateText(".tollgate.yml");
          List<CommitInfo> list = c.commits();
          if (list.size() != Math.min(commits, 1000)) {
            throw new IllegalStateException("read " + list.size());
          }
        }
      });
      System.out.printf(Locale.ROOT, "%4d commits: open + .tollgate.yml %.2f ms wall / %.2f ms CPU; with the range walk %.2f ms"
          + " / %.2f ms CPU; the walk adds %.2f ms CPU (x%.2f)%n", commits, median(base[0]), median(base[1]), median(walk[0]),
          median(walk[1]), median(walk[1]) - median(base[1]), median(walk[1]) / median(base[1]));
    }
  }

  static ChangeSet open(FixtureRepo repo) {
    return ChangeSet.open(RepoSnapshots.openLocal(repo.dir().toString()), repo.head(), repo.baseline(), ChangeSet.Limits.DEFAULT);
  }

  /** Wall and CPU nanoseconds of 50 runs after 10 warm-up runs. */
  static long[][] run(ThreadMXBean mx, Runnable check) {
    for (int i = 0; i < 10; i++) {
      check.run();
    }
    long[][] out = new long[2][50];
    for (int i = 0; i < 50; i++) {
      long w = System.nanoTime();
      long c = mx.getCurrentThreadCpuTime();
      check.run();
      out[0][i] = System.nanoTime() - w;
      out[1][i] = mx.getCurrentThreadCpuTime() - c;
    }
    return out;
  }

  static double median(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return s[s.length / 2] / 1e6;
  }
}
