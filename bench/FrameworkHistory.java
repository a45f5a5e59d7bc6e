import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RepoConfig;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.ServerSettings;
import dev.tollgate.probes.migration.Framework;
import dev.tollgate.probes.migration.MigrationSafetyProbe;
import dev.tollgate.probes.migration.framework.FrameworkReader;
import dev.tollgate.probes.migration.framework.FrameworkReaders;
import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.runtime.CheckExecutor;
import dev.tollgate.probes.runtime.ProbeOutcome;
import dev.tollgate.probes.runtime.ProbeRunner;
import java.io.File;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The migrations probe over a real application's history (issue #17, validation): every non-merge commit that adds a
 * migration of one of {@code --frameworks} is checked as a deploy from its parent (the running release) to itself
 * (the candidate), exactly as the worker checks it. Prints, per framework, how many migrations were read, how many
 * commits were blocked and by which rules, and what could not be read (with reasons); one JSON line per commit goes to
 * the output file for reading the flags.
 *
 * <p>Usage: {@code java -cp <probe-workers classpath>:bench/out FrameworkHistory REPO.git NAME MAX OUT.jsonl
 * [FRAMEWORK,...]}
 */
public final class FrameworkHistory {
  private static final Pattern READ = Pattern.compile("(\\d+) ([A-Za-z .-]+?) migrations?");

  public static void main(String[] args) throws Exception {
    Path gitDir = Path.of(args[0]);
    String name = args[1];
    int max = Integer.parseInt(args[2]);
    Path out = Path.of(args[3]);
    Set<Framework> wanted = EnumSet.noneOf(Framework.class);
    for (String f : (args.length > 4 ? args[4] : "LARAVEL,KNEX,TYPEORM,SEQUELIZE,EF_CORE,ECTO,GOOSE,SQITCH,FLYWAY_JAVA")
        .split(",")) {
      wanted.add(Framework.valueOf(f.strip()));
    }
    List<String[]> commits = new ArrayList<>(); // {commit, parent, files}
    Map<Framework, Integer> added = new TreeMap<>();
    try (Repository repo = open(gitDir); RevWalk walk = new RevWalk(repo)) {
      walk.markStart(walk.parseCommit(repo.resolve("HEAD")));
      for (RevCommit c : walk) {
        if (c.getParentCount() != 1 || commits.size() >= max) {
          continue;
        }
        RevCommit parent = walk.parseCommit(c.getParent(0));
        List<String> files = new ArrayList<>();
        try (TreeWalk tw = new TreeWalk(repo)) {
          tw.addTree(parent.getTree());
          tw.addTree(c.getTree());
          tw.setRecursive(true);
          tw.setFilter(TreeFilter.ANY_DIFF);
          for (DiffEntry d : DiffEntry.scan(tw)) {
            if (d.getChangeType() != DiffEntry.ChangeType.ADD) {
              continue;
            }
            String path = d.getNewPath();
            FrameworkReader r = FrameworkReaders.claiming(path);
            if (r == null || !wanted.contains(r.framework()) && !anyWanted(path, wanted)) {
              continue;
            }
            String text = text(repo, d);
            FrameworkReader confirmed = text == null ? null : FrameworkReaders.confirmed(path, text);
            if (confirmed != null && wanted.contains(confirmed.framework())) {
              files.add(confirmed.framework() + ":" + path);
              added.merge(confirmed.framework(), 1, Integer::sum);
            }
          }
        } catch (Exception e) {
          continue; // a commit whose objects this mirror lacks
        }
        if (!files.isEmpty()) {
          commits.add(new String[] {c.getName(), parent.getName(), String.join(" ", files)});
        }
      }
    }
    Map<String, Integer> read = new TreeMap<>();
    Map<String, Integer> blockedBy = new TreeMap<>();
    Map<String, Integer> warnedBy = new TreeMap<>();
    Map<String, Integer> unread = new TreeMap<>();
    Map<String, Integer> unparseable = new TreeMap<>();
    int blocked = 0;
    int errors = 0;
    long nanos = 0;
    Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    try (PrintWriter jsonl = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
      for (String[] c : commits) {
        long t0 = System.nanoTime();
        ProbeOutcome o;
        try (ChangeSet changes = ChangeSet.open(open(gitDir), c[0], c[1], ChangeSet.Limits.DEFAULT)) {
          RepoConfig cfg = CheckExecutor.readRepoConfig(changes);
          DeployTarget target = new DeployTarget("default", gitDir.toString(), "staging", c[0], c[1]);
          RuleContext ctx = new RuleContext(changes, target, cfg, DeployHistory.empty(),
              ServerSettings.empty().forEnvironment("staging"), clock);
          o = new ProbeRunner(10_000).run(new MigrationSafetyProbe(), ctx);
        } catch (RuntimeException e) {
          errors++;
          jsonl.println("{\"commit\":\"" + c[0] + "\",\"error\":" + q(String.valueOf(e)) + "}");
          continue;
        }
        nanos += System.nanoTime() - t0;
        Matcher m = READ.matcher(o.reason() == null ? "" : o.reason());
        while (m.find()) {
          read.merge(m.group(2), Integer.parseInt(m.group(1)), Integer::sum);
        }
        boolean anyBlock = false;
        StringBuilder fs = new StringBuilder();
        for (Finding f : o.findings()) {
          String rule = f.ruleId();
          if (f.severity() == Severity.BLOCK) {
            anyBlock = true;
            blockedBy.merge(rule, 1, Integer::sum);
          } else if (f.severity() == Severity.WARN) {
            warnedBy.merge(rule, 1, Integer::sum);
          }
          if (rule.equals("migration/unreadable-migration")) {
            int paren = f.message().indexOf("` (");
            String reason = paren < 0 ? f.message() : f.message().substring(paren + 3, f.message().indexOf("):",
                paren) < 0 ? f.message().length() : f.message().indexOf("):", paren));
            unread.merge(f.severity() + " " + reason, 1, Integer::sum);
          }
          if (rule.equals("migration/unparseable-sql")) {
            unparseable.merge(f.file().replaceAll(".*/", "").replaceAll("^[0-9_.-]+", "…"), 1, Integer::sum);
          }
          fs.append(fs.length() == 0 ? "" : ",").append("{\"rule\":").append(q(rule)).append(",\"severity\":")
              .append(q(String.valueOf(f.severity()))).append(",\"file\":").append(q(f.file())).append(",\"line\":")
              .append(f.line()).append(",\"message\":").append(q(f.message())).append('}');
        }
        if (anyBlock) {
          blocked++;
        }
        jsonl.println("{\"commit\":" + q(c[0]) + ",\"files\":" + q(c[2]) + ",\"status\":" + q(String.valueOf(o.status()))
            + ",\"reason\":" + q(o.reason()) + ",\"findings\":[" + fs + "]}");
      }
    }
    System.out.printf(Locale.ROOT, "%s: %d commits add %s; checked %d (cap %d), %d errors, %.0f ms per check%n", name,
        commits.size(), added, commits.size() - errors, max, errors, commits.isEmpty() ? 0.0
            : nanos / 1e6 / Math.max(1, commits.size() - errors));
    System.out.println("  migrations read: " + read);
    System.out.println("  commits with a blocking finding: " + blocked);
    System.out.println("  blocking findings by rule: " + blockedBy);
    System.out.println("  warnings by rule: " + warnedBy);
    System.out.println("  unread, by severity and reason: " + unread);
    System.out.println("  unparseable SQL, by file: " + unparseable);
  }

  private static boolean anyWanted(String path, Set<Framework> wanted) {
    for (FrameworkReader r : FrameworkReaders.ALL) {
      if (wanted.contains(r.framework()) && r.claims(path)) {
        return true;
      }
    }
    return false;
  }

  private static Repository open(Path gitDir) throws Exception {
    return new FileRepositoryBuilder().setGitDir(new File(gitDir.toString())).setMustExist(true).build();
  }

  private static String text(Repository repo, DiffEntry d) throws Exception {
    ObjectLoader l = repo.open(d.getNewId().toObjectId());
    if (l.getSize() > (1 << 20)) {
      return null;
    }
    return new String(l.getBytes(), StandardCharsets.UTF_8);
  }

  private static String q(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> b.append(ch < 0x20 ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
      }
    }
    return b.append('"').toString();
  }
}
