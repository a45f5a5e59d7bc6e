package dev.tollgate.deploy.bench;

import dev.tollgate.contracts.check.CheckRequested;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.probes.api.ServerSettings;
import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.repo.RepoSnapshots;
import dev.tollgate.probes.runtime.CheckExecutor;
import dev.tollgate.probes.runtime.ProbeRegistry;
import dev.tollgate.probes.runtime.ProbeRunner;
import dev.tollgate.probes.testing.FixtureRepo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * What the worker's range check (issue #19: the candidate must descend from the baseline) costs next to the checks it
 * guards, side by side in one JVM and measured in thread CPU time (so a busy machine distorts it less than wall time):
 * each round runs the five production probes' checks of one evaluation of the load bench's repository (the range
 * check included, cached after the first probe as in production), then the check's uncached work alone: one ancestry
 * walk in the already open repository, which each new evaluation pays once. A second repository with a 1,000-commit range shows
 * the walk where it is longest.
 *
 * <p>Run: {@code bench/run-java.sh dev.tollgate.deploy.bench.RangeCheckCost [rounds]}.
 */
public final class RangeCheckCost {
  private RangeCheckCost() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    Path tmp = Files.createTempDirectory("tollgate-rangecheck");
    FixtureRepo repo = BenchRepo.create(tmp.resolve("repo"));
    FixtureRepo long1000 = FixtureRepo.create(tmp.resolve("long")).commit("a.txt", "0").deployed();
    for (int i = 1; i <= 1000; i++) {
      long1000.commit("a.txt", Integer.toString(i));
    }
    ProbeRegistry registry = ProbeRegistry.production();
    CheckExecutor executor = new CheckExecutor(registry, RepoSnapshots.localOnly(ChangeSet.Limits.DEFAULT),
        new ProbeRunner(200), ServerSettings.empty(), Clock.systemUTC(), "bench");
    long[] evaluation = new long[rounds];
    long[] walk = new long[rounds];
    long[] longWalk = new long[rounds];
    // Open as the check's change set already has them: the range check walks in that repository, it does not open one.
    try (Repository shop = RepoSnapshots.openLocal(repo.dir().toString());
         Repository longRepo = RepoSnapshots.openLocal(long1000.dir().toString())) {
    for (int warm = 0; warm < 2; warm++) {
      for (int r = 0; r < rounds; r++) {
        long t0 = cpu.getCurrentThreadCpuTime();
        for (ProbeId probe : registry.ids()) {
          executor.execute(CheckRequested.of("b", "b", repo.target("staging"), probe, Instant.now().plusSeconds(600),
              Instant.now(), null));
        }
        long t1 = cpu.getCurrentThreadCpuTime();
        ancestry(shop, repo);
        long t2 = cpu.getCurrentThreadCpuTime();
        ancestry(longRepo, long1000);
        long t3 = cpu.getCurrentThreadCpuTime();
        evaluation[r] = t1 - t0;
        walk[r] = t2 - t1;
        longWalk[r] = t3 - t2;
      }
    }
    }
    double e = median(evaluation);
    double w = median(walk);
    double l = median(longWalk);
    System.out.printf(Locale.ROOT, "five checks of one evaluation (50-file change): %8.3f ms CPU (median of %d)%n", e, rounds);
    System.out.printf(Locale.ROOT, "range check, uncached, same range:              %8.3f ms CPU = %.2f%% of the evaluation%n",
        w, 100 * w / e);
    System.out.printf(Locale.ROOT, "range check, uncached, a 1,000-commit range:    %8.3f ms CPU%n", l);
    System.exit(0);
  }

  /** What the range check does once per new evaluation: a walk from the candidate back to the baseline. */
  static boolean ancestry(Repository r, FixtureRepo repo) throws Exception {
    try (RevWalk w = new RevWalk(r)) {
      return w.isMergedInto(w.parseCommit(ObjectId.fromString(repo.baseline())), w.parseCommit(ObjectId.fromString(repo.head())));
    }
  }

  static double median(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2] / 1e6;
  }
}
