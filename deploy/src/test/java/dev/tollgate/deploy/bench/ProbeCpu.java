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
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/**
 * Median thread-CPU time per check of every production probe on the load bench's repository, warm: CPU time rather
 * than wall time, because the bench machines are shared. {@code bench/cpu-compare.sh OTHER_CHECKOUT} runs it on two
 * builds alternately, for a side-by-side ratio. Usage: {@code ProbeCpu [runs]}.
 */
public final class ProbeCpu {
  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 150;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    FixtureRepo repo = BenchRepo.create(Files.createTempDirectory("cpu").resolve("repo"));
    ProbeRegistry registry = ProbeRegistry.production();
    CheckExecutor ex = new CheckExecutor(registry, RepoSnapshots.localOnly(ChangeSet.Limits.DEFAULT), new ProbeRunner(200),
        ServerSettings.empty(), Clock.systemUTC(), "cpu");
    double total = 0;
    StringBuilder line = new StringBuilder();
    for (ProbeId p : registry.ids()) {
      CheckRequested check = CheckRequested.of("c", "c", repo.target("staging"), p, Instant.now().plusSeconds(3600), Instant.now(), null);
      for (int i = 0; i < runs; i++) {
        ex.execute(check);
      }
      double[] cpu = new double[runs];
      for (int i = 0; i < runs; i++) {
        long c0 = mx.getCurrentThreadCpuTime();
        ex.execute(check);
        cpu[i] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
      }
      Arrays.sort(cpu);
      total += cpu[runs / 2];
      line.append(String.format(Locale.ROOT, "%s %.2f  ", p, cpu[runs / 2]));
    }
    System.out.printf(Locale.ROOT, "%s total %.2f ms CPU (median per check)%n", line, total);
    System.exit(0);
  }
}
