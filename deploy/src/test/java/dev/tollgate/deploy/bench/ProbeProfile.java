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
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

/** Time of each production probe on the load bench's repository, in process, warm: {@code bench/run-java.sh ...ProbeProfile}. */
public final class ProbeProfile {
  private ProbeProfile() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    FixtureRepo repo = BenchRepo.create(Files.createTempDirectory("tollgate-profile").resolve("repo"));
    ProbeRegistry registry = ProbeRegistry.production();
    CheckExecutor executor = new CheckExecutor(registry, RepoSnapshots.localOnly(ChangeSet.Limits.DEFAULT), new ProbeRunner(200),
        ServerSettings.empty(), Clock.systemUTC(), "profile");
    for (ProbeId probe : registry.ids()) {
      CheckRequested check = CheckRequested.of("p", "p", repo.target("staging"), probe, Instant.now().plusSeconds(600), Instant.now(), null);
      for (int i = 0; i < runs / 2; i++) {
        executor.execute(check);
      }
      long start = System.nanoTime();
      for (int i = 0; i < runs; i++) {
        executor.execute(check);
      }
      System.out.printf(Locale.ROOT, "%-10s %7.2f ms per check (warm, %d runs)%n", probe, (System.nanoTime() - start) / 1e6 / runs, runs);
    }
    System.exit(0);
  }
}
