package dev.tollgate.deploy.bench;

import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RepoConfig;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.ServerSettings;
import dev.tollgate.probes.migration.MigrationSafetyProbe;
import dev.tollgate.probes.migration.MigrationSet;
import dev.tollgate.probes.migration.framework.FrameworkReaders;
import dev.tollgate.probes.migration.framework.Lookalikes;
import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.repo.RepoSnapshots;
import dev.tollgate.probes.runtime.CheckExecutor;
import dev.tollgate.probes.runtime.ProbeOutcome;
import dev.tollgate.probes.runtime.ProbeRunner;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * Runs the migrations probe over a real application's history (issue #17 validation): every first-parent commit that
 * adds a migration file of a framework the probe reads is evaluated as a deploy of that commit over its parent, with
 * the application's code at the parent as the running release. Prints one line per finding and totals per framework,
 * rule and severity. Data stays outside the repository (the mirrors are fetched with the search tool's fetch).
 *
 * <pre>
 * bench/frameworks.sh /work/.mirror/rubygems+rubygems.org/repo [maxCommits] [out.tsv]
 * </pre>
 */
public final class FrameworkHistory {
  private FrameworkHistory() {}

  public static void main(String[] args) throws Exception {
    String gitDir = args[0];
    int max = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    PrintStream tsv = args.length > 2 ? new PrintStream(Files.newOutputStream(Path.of(args[2])), true, StandardCharsets.UTF_8)
        : null;
    MigrationSafetyProbe probe = new MigrationSafetyProbe();
    ProbeRunner runner = new ProbeRunner(10_000);
    List<String[]> commits = new ArrayList<>(); // {commit, parent}
    try (Repository repo = RepoSnapshots.openLocal(gitDir); RevWalk walk = new RevWalk(repo);
        DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
      diff.setRepository(repo);
      walk.setFirstParent(true);
      walk.markStart(walk.parseCommit(repo.resolve("HEAD")));
      for (RevCommit c : walk) {
        if (c.getParentCount() < 1) {
          continue;
        }
        boolean adds = false;
        for (DiffEntry e : diff.scan(c.getParent(0).getTree(), c.getTree())) {
          if (e.getChangeType() == DiffEntry.ChangeType.ADD && (FrameworkReaders.claiming(e.getNewPath()) != null
              || Lookalikes.mayLookLike(e.getNewPath()) && e.getNewPath().matches(".*(migration\\.sql|/versions/.*\\.py)$"))) {
            adds = true;
            break;
          }
        }
        if (adds) {
          commits.add(new String[] {c.name(), c.getParent(0).name()});
          if (commits.size() >= max) {
            break;
          }
        }
      }
    }
    Map<String, Integer> byRule = new TreeMap<>();
    Map<String, Integer> read = new TreeMap<>();
    int flaggedCommits = 0;
    int blockingCommits = 0;
    int migrations = 0;
    long nanos = 0;
    for (String[] c : commits) {
      try (ChangeSet changes = ChangeSet.open(RepoSnapshots.openLocal(gitDir), c[0], c[1], ChangeSet.Limits.DEFAULT)) {
        RepoConfig config = CheckExecutor.readRepoConfig(changes);
        RuleContext ctx = new RuleContext(changes, new DeployTarget("bench", gitDir, "production", c[0], c[1]), config,
            DeployHistory.empty(), ServerSettings.empty(), Clock.systemUTC());
        long t0 = System.nanoTime();
        if (System.getenv("PROFILE") != null) {
          MigrationSet.of(ctx);
          long t1 = System.nanoTime();
          MigrationSet.of(ctx).oldCode().filesSearched();
          long t2 = System.nanoTime();
          System.out.printf(Locale.ROOT, "profile %s set %.0f ms, old code %.0f ms%n", c[0].substring(0, 10), (t1 - t0) / 1e6,
              (t2 - t1) / 1e6);
        }
        ProbeOutcome out = runner.run(probe, ctx);
        nanos += System.nanoTime() - t0;
        MigrationSet set = MigrationSet.of(ctx);
        migrations += set.pending().size();
        set.pending().forEach(m -> read.merge(m.framework().displayName(), 1, Integer::sum));
        boolean flagged = false;
        boolean blocking = false;
        for (Finding f : out.findings()) {
          if (f.severity() == Severity.INFO) {
            continue;
          }
          flagged = true;
          blocking |= f.severity() == Severity.BLOCK;
          byRule.merge(f.severity() + " " + f.ruleId(), 1, Integer::sum);
          String line = String.join("\t", c[0].substring(0, 10), f.severity().toString(), f.ruleId(),
              f.file() + ":" + f.line(), f.message().replace('\n', ' '));
          System.out.println(line);
          if (tsv != null) {
            tsv.println(line);
          }
        }
        flaggedCommits += flagged ? 1 : 0;
        blockingCommits += blocking ? 1 : 0;
      } catch (RuntimeException e) {
        System.out.println(c[0].substring(0, 10) + "\tERROR\t" + e);
      }
    }
    System.out.printf(Locale.ROOT, "%n%s: %d commits adding migrations, %d migrations read %s, %d commits flagged (%d blocking),"
        + " probe %.1f ms per commit%n", gitDir, commits.size(), migrations, read, flaggedCommits, blockingCommits,
        commits.isEmpty() ? 0.0 : nanos / 1e6 / commits.size());
    byRule.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %5d %s%n", v, k));
    System.exit(0);
  }
}
