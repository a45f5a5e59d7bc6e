package dev.tollgate.probes.rollback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Durations;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.ConfigValues;
import dev.tollgate.probes.api.RepoConfig;
import dev.tollgate.probes.api.RuleContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rollback probe's settings for one evaluation (docs/rollback.md). Operators set the policy per environment in
 * the server's {@code tollgate.yml} ({@code environments.<env>.rollback}, else {@code defaults.rollback}); the
 * repository's {@code .tollgate.yml} declares facts about itself (paths that are not deploy manifests, forward-only
 * migrations with their reason, its own moving tags) and may only tighten the policy.
 *
 * <pre>
 * # tollgate.yml (server)                      # .tollgate.yml (repository)
 * environments:                                rollback:
 *   production:                                  exclude: ["**&#47;src/test/**"]
 *     rollback:                                  forwardOnly:
 *       budget: 120s                               db/V42__drop_legacy.sql: "archived to s3://..., see OPS-1207"
 *       estimateFrom: 5                          movingTags: [prod-current]
 *       blastRadius: {commits: 25, files: 100, migrations: 3}
 *       progressDeadline: 600s                 environments:
 *       floatingTags: info                       production:
 *                                                  rollback: {budget: 90s}   # only tightens
 * </pre>
 *
 * Never throws: problems are collected and reported by {@link InvalidRollbackConfigRule} (fail closed), so one typo
 * fails the probe with its name instead of an exception.
 */
final class RollbackSettings {
  static final Duration DEFAULT_BUDGET = Duration.ofSeconds(120);
  static final int DEFAULT_ESTIMATE_FROM = 5;
  static final int DEFAULT_MAX_COMMITS = 25;
  static final int DEFAULT_MAX_FILES = 100;
  static final int DEFAULT_MAX_MIGRATIONS = 3;
  /** Kubernetes' own default for {@code progressDeadlineSeconds}. */
  static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofSeconds(600);

  /** Policy keys: the server's section, and the repository's (tighten only; estimateFrom is the operators'). */
  static final Set<String> SERVER_KEYS = Set.of("budget", "estimateFrom", "blastRadius", "progressDeadline", "floatingTags");
  static final Set<String> REPO_POLICY_KEYS = Set.of("budget", "blastRadius", "progressDeadline", "floatingTags");
  static final Set<String> REPO_KEYS;
  static final Set<String> BLAST_KEYS = Set.of("commits", "files", "migrations");

  static {
    Set<String> keys = new TreeSet<>(REPO_POLICY_KEYS);
    keys.addAll(Set.of("exclude", "forwardOnly", "movingTags"));
    REPO_KEYS = Set.copyOf(keys);
  }

  private static final Object KEY = new Object();

  /** One problem; {@code server} when it is in the operators' file (no repository path to point at). */
  record Problem(String message, boolean server) {}

  private final List<Problem> problems = new ArrayList<>();
  private Duration budget = DEFAULT_BUDGET;
  private int estimateFrom = DEFAULT_ESTIMATE_FROM;
  private int maxCommits = DEFAULT_MAX_COMMITS;
  private int maxFiles = DEFAULT_MAX_FILES;
  private int maxMigrations = DEFAULT_MAX_MIGRATIONS;
  private Duration progressDeadline = DEFAULT_PROGRESS_DEADLINE;
  private Severity floatingTags = Severity.INFO;
  private final List<PathPattern> exclude = new ArrayList<>();
  private final Map<PathPattern, String> forwardOnly = new LinkedHashMap<>();
  private final List<PathPattern> movingTags = new ArrayList<>();

  private RollbackSettings() {}

  /** The settings of this evaluation, read once per context and shared by the probe's rules. */
  static RollbackSettings of(RuleContext ctx) {
    return ctx.shared(KEY, () -> read(ctx.server().section("rollback"), ctx.repoConfig(), ctx.target().environment()));
  }

  /** Server settings over defaults, then the repository's declarations and tightenings for {@code environment}. */
  static RollbackSettings read(JsonNode server, RepoConfig repo, String environment) {
    RollbackSettings s = new RollbackSettings();
    s.readServer(server, environment);
    s.readRepo(repo, environment);
    return s;
  }

  /** Problems in the operators' section for {@code environment}, each naming its key (tollgate config validate). */
  static List<String> validateServer(JsonNode server, String environment) {
    RollbackSettings s = new RollbackSettings();
    s.readServer(server, environment);
    return s.problems.stream().map(Problem::message).toList();
  }

  // ---------------------------------------------------------------- accessors

  List<Problem> problems() {
    return problems;
  }

  /** The longest a rollback may take: the estimate above it warns. */
  Duration budget() {
    return budget;
  }

  /** How many recent successful deploys the rollback time estimate uses. */
  int estimateFrom() {
    return estimateFrom;
  }

  int maxCommits() {
    return maxCommits;
  }

  int maxFiles() {
    return maxFiles;
  }

  int maxMigrations() {
    return maxMigrations;
  }

  /** The longest {@code progressDeadlineSeconds} a Deployment may have. */
  Duration progressDeadline() {
    return progressDeadline;
  }

  /** How a floating version tag ({@code 17-jre}) weighs. */
  Severity floatingTags() {
    return floatingTags;
  }

  /** True when {@code path} is not to be read as a deploy manifest. */
  boolean excluded(String path) {
    for (PathPattern p : exclude) {
      if (p.matches(path)) {
        return true;
      }
    }
    return false;
  }

  /** The declared reason why {@code key} (a path, or {@code path#author:id}) is forward-only. */
  Optional<String> forwardOnly(String key) {
    for (Map.Entry<PathPattern, String> e : forwardOnly.entrySet()) {
      if (e.getKey().regex() == null ? e.getKey().text().equals(key) : e.getKey().matches(key)) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  /** The repository's own moving tag names. */
  List<PathPattern> movingTags() {
    return movingTags;
  }

  // ---------------------------------------------------------------- reading

  private void readServer(JsonNode section, String environment) {
    if (section.isMissingNode() || section.isNull()) {
      return;
    }
    String where = "server tollgate.yml rollback (environment " + environment + ")";
    if (!section.isObject()) {
      problems.add(new Problem(where + ": expected a mapping", true));
      return;
    }
    knownKeys(section, SERVER_KEYS, where + ": ", true);
    readPolicy(section, where + ": ", true, false);
    JsonNode n = section.path("estimateFrom");
    if (!n.isMissingNode()) {
      Integer v = positive(n, where + ": estimateFrom", 100, true);
      if (v != null) {
        estimateFrom = v;
      }
    }
  }

  private void readRepo(RepoConfig repo, String environment) {
    JsonNode top = repo.section("rollback");
    if (!top.isMissingNode() && !top.isNull()) {
      if (!top.isObject()) {
        problems.add(new Problem("rollback: expected a mapping", false));
      } else {
        knownKeys(top, REPO_KEYS, "rollback.", false);
        readPolicy(top, "rollback.", false, true);
        for (String p : strings(top.path("exclude"), "rollback.exclude")) {
          exclude.add(PathPattern.of(p));
        }
        for (String p : strings(top.path("movingTags"), "rollback.movingTags")) {
          movingTags.add(PathPattern.of(p));
        }
        readForwardOnly(top.path("forwardOnly"));
      }
    }
    readRepoPolicy(repo.section("defaults").path("rollback"), "defaults.rollback", true);
    // Every environment's section is validated, not only the target's: a typo in staging is found now.
    for (Map.Entry<String, JsonNode> e : repo.section("environments").properties()) {
      readRepoPolicy(e.getValue().path("rollback"), "environments." + e.getKey() + ".rollback",
          e.getKey().equals(environment));
    }
  }

  private void readRepoPolicy(JsonNode section, String key, boolean applies) {
    if (section.isMissingNode() || section.isNull()) {
      return;
    }
    if (!section.isObject()) {
      problems.add(new Problem(key + ": expected a mapping", false));
      return;
    }
    knownKeys(section, REPO_POLICY_KEYS, key + ".", false);
    readPolicy(section, key + ".", false, applies);
  }

  /**
   * The keys both sides may set. The server's values replace the defaults; the repository's only tighten (the
   * smaller budget and thresholds, the stricter weight), and are only validated when {@code apply} is false.
   */
  private void readPolicy(JsonNode section, String prefix, boolean server, boolean apply) {
    boolean replace = server;
    JsonNode b = section.path("budget");
    if (!b.isMissingNode()) {
      Duration d = duration(b, prefix + "budget", server);
      if (d != null && (replace || apply)) {
        budget = replace ? d : min(budget, d);
      }
    }
    JsonNode pd = section.path("progressDeadline");
    if (!pd.isMissingNode()) {
      Duration d = duration(pd, prefix + "progressDeadline", server);
      if (d != null && (replace || apply)) {
        progressDeadline = replace ? d : min(progressDeadline, d);
      }
    }
    JsonNode ft = section.path("floatingTags");
    if (!ft.isMissingNode()) {
      Severity s = switch (ft.asText("").toLowerCase(Locale.ROOT)) {
        case "info" -> Severity.INFO;
        case "warn" -> Severity.WARN;
        case "block" -> Severity.BLOCK;
        default -> null;
      };
      if (s == null || !ft.isTextual()) {
        problems.add(new Problem(prefix + "floatingTags: expected info, warn or block" + ConfigValues.got(ft, server), server));
      } else if (replace || apply) {
        floatingTags = replace || rank(s) > rank(floatingTags) ? s : floatingTags;
      }
    }
    JsonNode br = section.path("blastRadius");
    if (!br.isMissingNode()) {
      if (!br.isObject()) {
        problems.add(new Problem(prefix + "blastRadius: expected a mapping with commits, files and/or migrations", server));
        return;
      }
      knownKeys(br, BLAST_KEYS, prefix + "blastRadius.", server);
      Integer c = br.has("commits") ? positive(br.get("commits"), prefix + "blastRadius.commits", 1_000_000, server) : null;
      Integer f = br.has("files") ? positive(br.get("files"), prefix + "blastRadius.files", 1_000_000, server) : null;
      Integer m = br.has("migrations") ? positive(br.get("migrations"), prefix + "blastRadius.migrations", 1_000_000, server)
          : null;
      if (replace || apply) {
        if (c != null) {
          maxCommits = replace ? c : Math.min(maxCommits, c);
        }
        if (f != null) {
          maxFiles = replace ? f : Math.min(maxFiles, f);
        }
        if (m != null) {
          maxMigrations = replace ? m : Math.min(maxMigrations, m);
        }
      }
    }
  }

  private void readForwardOnly(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      problems.add(new Problem("rollback.forwardOnly: expected a mapping from a migration path (or glob, or"
          + " path#author:id for a Liquibase changeset) to the reason it has no way back", false));
      return;
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String key = e.getKey().strip();
      JsonNode reason = e.getValue();
      if (key.isEmpty()) {
        problems.add(new Problem("rollback.forwardOnly: an entry has an empty path", false));
      } else if (!reason.isTextual() || reason.asText().isBlank()) {
        // The reason is the point: "forward-only" without one is a waiver nobody can review.
        problems.add(new Problem("rollback.forwardOnly." + key + ": expected the reason this migration has no way back"
            + " (a non-empty text)", false));
      } else {
        forwardOnly.put(PathPattern.of(key), reason.asText().strip());
      }
    }
  }

  private List<String> strings(JsonNode node, String key) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (!node.isArray()) {
      problems.add(new Problem(key + ": expected a list of texts", false));
      return out;
    }
    for (JsonNode item : node) {
      if (!item.isTextual() || item.asText().isBlank()) {
        problems.add(new Problem(key + ": expected non-empty texts", false));
      } else {
        out.add(item.asText().strip());
      }
    }
    return out;
  }

  private Duration duration(JsonNode node, String key, boolean server) {
    try {
      Duration d = Durations.parse(node.isValueNode() ? node.asText() : node.toString(), key);
      if (d.isZero() || d.isNegative()) {
        problems.add(new Problem(key + ": expected a positive duration" + ConfigValues.got(node, server), server));
        return null;
      }
      return d;
    } catch (IllegalArgumentException e) {
      problems.add(new Problem(server ? e.getMessage() : key + ": expected a duration such as 30s, 5m or PT30S", server));
      return null;
    }
  }

  private Integer positive(JsonNode node, String key, int max, boolean server) {
    if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < 1 || node.intValue() > max) {
      problems.add(new Problem(key + ": expected a whole number from 1 to " + max + ConfigValues.got(node, server), server));
      return null;
    }
    return node.intValue();
  }

  private void knownKeys(JsonNode node, Set<String> known, String prefix, boolean server) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        problems.add(new Problem(prefix + k + ": unknown key (known: " + new TreeSet<>(known) + ")", server));
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static int rank(Severity s) {
    return switch (s) {
      case INFO -> 0;
      case WARN -> 1;
      default -> 2;
    };
  }
}
