package dev.tollgate.deploy.bench;

import dev.tollgate.contracts.check.CheckRequested;
import dev.tollgate.contracts.evaluation.DeployTarget;
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
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Thread-CPU time of a whole fresh evaluation in the probe workers (#24): every production probe's check, one after the
 * other on this thread, on a candidate of the load bench's repository never evaluated before (its diffs, blobs and
 * views not cached; the baseline's are, as in a running gate). Medians over {@code runs} candidates after
 * {@code warmup} ones. {@code CLASS=FreshProbeCpu bench/cpu-compare.sh OTHER_CHECKOUT} runs it on two builds
 * alternately. Usage:
 * {@code FreshProbeCpu [runs] [warmup]}.
 */
public final class FreshProbeCpu {
  private FreshProbeCpu() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    FixtureRepo repo = BenchRepo.create(Files.createTempDirectory("fresh-cpu").resolve("repo"));
    List<String> candidates = BenchRepo.candidates(repo, warmup + runs);
    ProbeRegistry registry = ProbeRegistry.production();
    CheckExecutor ex = new CheckExecutor(registry, RepoSnapshots.localOnly(ChangeSet.Limits.DEFAULT), new ProbeRunner(200),
        ServerSettings.empty(), Clock.systemUTC(), "fresh-cpu");
    DeployTarget base = repo.target("staging");
    double[] cpu = new double[runs];
    for (int k = 0; k < warmup + runs; k++) {
      DeployTarget target = new DeployTarget(base.tenant(), base.repository(), base.environment(), candidates.get(k), base.baseline());
      long c0 = mx.getCurrentThreadCpuTime();
      for (ProbeId p : registry.ids()) {
        ex.execute(CheckRequested.of("e" + k, "e" + k, target, p, Instant.now().plusSeconds(3600), Instant.now(), null));
      }
      if (k >= warmup) {
        cpu[k - warmup] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
      }
    }
    Arrays.sort(cpu);
    System.out.printf(Locale.ROOT, "fresh evaluation, all %d probes: median %.2f ms CPU, p90 %.2f ms (%d candidates after %d)%n",
        registry.ids().size(), cpu[runs / 2], cpu[runs * 9 / 10], runs, warmup);
    System.exit(0);
  }
}
