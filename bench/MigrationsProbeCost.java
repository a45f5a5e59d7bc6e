import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.probes.api.RepoConfig;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.ServerSettings;
import dev.tollgate.probes.migration.MigrationSafetyProbe;
import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.runtime.CheckExecutor;
import dev.tollgate.probes.runtime.ProbeRunner;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * CPU of the migrations probe per check, warm, on real deploys (a list of {@code git-dir commit parent} lines): what
 * bench/migrations-frameworks-cost.sh runs once with this checkout's classes and once with a base revision's, in
 * alternation, to compare them side by side. Uses only API both have.
 *
 * <p>Usage: {@code java -cp <classes>:<deps>:bench/out/classes MigrationsProbeCost CHECKS.txt [runs]}
 */
public final class MigrationsProbeCost {
  public static void main(String[] args) throws Exception {
    List<String> lines = Files.readAllLines(Path.of(args[0])).stream().filter(l -> !l.isBlank()).toList();
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    double[] perRun = new double[runs];
    for (int i = -2; i < runs; i++) { // two warm-up rounds
      long c0 = mx.getCurrentThreadCpuTime();
      for (String l : lines) {
        String[] f = l.strip().split("\\s+");
        try (ChangeSet changes = ChangeSet.open(new FileRepositoryBuilder().setGitDir(new File(f[0])).setMustExist(true)
            .build(), f[1], f[2], ChangeSet.Limits.DEFAULT)) {
          RepoConfig cfg = CheckExecutor.readRepoConfig(changes);
          RuleContext ctx = new RuleContext(changes, new DeployTarget("default", f[0], "staging", f[1], f[2]), cfg,
              DeployHistory.empty(), ServerSettings.empty().forEnvironment("staging"), clock);
          new ProbeRunner(10_000).run(new MigrationSafetyProbe(), ctx);
        }
      }
      if (i >= 0) {
        perRun[i] = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / lines.size();
      }
    }
    Arrays.sort(perRun);
    System.out.printf(Locale.ROOT, "%.1f%n", perRun[runs / 2]);
  }
}
