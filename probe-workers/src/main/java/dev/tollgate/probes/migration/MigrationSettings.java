package dev.tollgate.probes.migration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code migrations} section, from the server's {@code tollgate.yml} (operators' defaults) overlaid by the
 * repository's {@code .tollgate.yml} (the repository knows its own database). Strict: an unknown key is a problem
 * reported as a finding, because a typo that silently turns a check off is worse than a failed deploy.
 *
 * <pre>
 * migrations:
 *   dialect: postgresql          # postgresql | mysql | mariadb | auto (default auto: detected from the repository)
 *   postgresVersion: 16          # target server major version (default 18)
 *   paths: [db/sql]              # directories of plain .sql migrations (Flyway/Liquibase/... are found by name)
 *   exclude: [legacy/]           # path prefixes never treated as migrations
 *   lockTimeoutSetByRole: false  # true when the migration role has lock_timeout set (ALTER ROLE ... SET lock_timeout)
 *   utcSessionTimeZone: false    # true when migrations run with TimeZone=UTC (timestamp -> timestamptz is then free)
 *   flyway: {mixed: false, transactionalLock: true}
 *   oldCode: {exclude: [docs/], includeTests: false}
 *   notMigrations:               # repository: files that look like migrations of a framework but are not
 *     tools/fixtures/migrations/: "test data for our importer, never run against a database"
 *   notChecked: block            # block (default) | warn: a migration of a framework the probe does not read;
 *                                # only the operators may say warn (a repository may only tighten)
 *   acknowledgements: report     # report | warn: blocking findings inside Rails safety_assured stay blocking
 *                                # (report) or become warnings (warn); operators only, tollgate.yml
 * </pre>
 */
public record MigrationSettings(String dialectSetting, int postgresVersion, List<String> paths, List<String> exclude,
    boolean lockTimeoutSetByRole, boolean utcSessionTimeZone, Boolean flywayMixed, Boolean flywayTransactionalLock,
    List<String> oldCodeExclude, boolean oldCodeIncludeTests, boolean acknowledgementsWarn, boolean notCheckedBlocks,
    Map<String, String> notMigrations, List<String> problems) {
  /** PostgreSQL major version assumed when none is configured: the current release. */
  public static final int DEFAULT_POSTGRES_VERSION = 18;

  private static final Set<String> KEYS = Set.of("dialect", "postgresVersion", "paths", "exclude", "lockTimeoutSetByRole",
      "utcSessionTimeZone", "flyway", "oldCode", "notMigrations", "notChecked", "acknowledgements");
  private static final Set<String> FLYWAY_KEYS = Set.of("mixed", "transactionalLock");
  private static final Set<String> OLD_CODE_KEYS = Set.of("exclude", "includeTests");

  public MigrationSettings {
    paths = List.copyOf(paths);
    exclude = List.copyOf(exclude);
    oldCodeExclude = List.copyOf(oldCodeExclude);
    notMigrations = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(notMigrations));
    problems = List.copyOf(problems);
  }

  /** Defaults: dialect detected, PostgreSQL {@value #DEFAULT_POSTGRES_VERSION}. */
  public static MigrationSettings defaults() {
    return new MigrationSettings("auto", DEFAULT_POSTGRES_VERSION, List.of(), List.of(), false, false, null, null, List.of(),
        false, false, false, Map.of(), List.of());
  }

  /** The dialect when configured, null for {@code auto}. */
  public Dialect configuredDialect() {
    return dialectSetting.equals("auto") ? null : Dialect.parse(dialectSetting);
  }

  /** These settings for the CLI's {@code --dialect} and {@code --pg-version}. */
  public MigrationSettings withDialect(String dialect, Integer pgVersion) {
    return new MigrationSettings(dialect == null ? dialectSetting : dialect, pgVersion == null ? postgresVersion : pgVersion,
        paths, exclude, lockTimeoutSetByRole, utcSessionTimeZone, flywayMixed, flywayTransactionalLock, oldCodeExclude,
        oldCodeIncludeTests, acknowledgementsWarn, notCheckedBlocks, notMigrations, problems);
  }

  /** These settings with Flyway's {@code mixed} as found in the repository's Flyway or Spring configuration. */
  MigrationSettings withFlywayMixed(Boolean mixed) {
    return new MigrationSettings(dialectSetting, postgresVersion, paths, exclude, lockTimeoutSetByRole, utcSessionTimeZone,
        mixed, flywayTransactionalLock, oldCodeExclude, oldCodeIncludeTests, acknowledgementsWarn, notCheckedBlocks,
        notMigrations, problems);
  }

  /**
   * The reason {@code .tollgate.yml} gives for {@code path} not being a migration (a {@code notMigrations} entry that
   * is the path, a directory prefix ending in {@code /}, or a glob with {@code *}), else null.
   */
  public String notMigrationReason(String path) {
    for (Map.Entry<String, String> e : notMigrations.entrySet()) {
      if (PathMatch.matches(e.getKey(), path)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** Reads the server section, then the repository section over it. Problems are collected, never thrown. */
  public static MigrationSettings read(JsonNode server, String serverSource, JsonNode repo, String repoSource) {
    Builder b = new Builder();
    b.apply(server, serverSource, true);
    b.apply(repo, repoSource, false);
    return b.build();
  }

  private static final class Builder {
    String dialect = "auto";
    int pgVersion = DEFAULT_POSTGRES_VERSION;
    List<String> paths = new ArrayList<>();
    List<String> exclude = new ArrayList<>();
    boolean lockTimeoutSetByRole;
    boolean utc;
    Boolean mixed;
    Boolean transactionalLock;
    List<String> oldCodeExclude = new ArrayList<>();
    boolean includeTests;
    boolean acknowledgementsWarn;
    /** Not read is not checked: blocks unless the operators downgrade it (a repository cannot). */
    boolean notCheckedBlocks = true;
    Map<String, String> notMigrations = new java.util.LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    /** Whether the section being read is the operators' (values echoed in problems) or a repository's (never). */
    boolean server;

    void apply(JsonNode node, String source, boolean fromServer) {
      if (node == null || node.isMissingNode() || node.isNull()) {
        return;
      }
      server = fromServer;
      String where = source + " migrations.";
      if (!node.isObject()) {
        problems.add(source + " migrations: expected a mapping");
        return;
      }
      unknownKeys(node, KEYS, where);
      if (node.has("dialect")) {
        String d = node.get("dialect").asText().strip().toLowerCase(Locale.ROOT);
        if (d.equals("auto")) {
          dialect = d;
        } else {
          try {
            Dialect.parse(d);
            dialect = d;
          } catch (IllegalArgumentException e) {
            problems.add(where + "dialect: expected postgresql, mysql, mariadb or auto"
                + dev.tollgate.probes.api.ConfigValues.got(node.get("dialect").asText(), server));
          }
        }
      }
      if (node.has("postgresVersion")) {
        JsonNode v = node.get("postgresVersion");
        int version = v.isNumber() ? v.asInt() : parseMajor(v.asText());
        if (version < 9 || version > 40) {
          problems.add(where + "postgresVersion: expected a major version such as 16"
              + dev.tollgate.probes.api.ConfigValues.got(v, server));
        } else {
          pgVersion = version;
        }
      }
      paths.addAll(strings(node.get("paths"), where + "paths"));
      exclude.addAll(strings(node.get("exclude"), where + "exclude"));
      lockTimeoutSetByRole = bool(node.get("lockTimeoutSetByRole"), where + "lockTimeoutSetByRole", lockTimeoutSetByRole);
      utc = bool(node.get("utcSessionTimeZone"), where + "utcSessionTimeZone", utc);
      JsonNode flyway = node.path("flyway");
      if (!flyway.isMissingNode()) {
        if (!flyway.isObject()) {
          problems.add(where + "flyway: expected a mapping");
        } else {
          unknownKeys(flyway, FLYWAY_KEYS, where + "flyway.");
          if (flyway.has("mixed")) {
            mixed = bool(flyway.get("mixed"), where + "flyway.mixed", false);
          }
          if (flyway.has("transactionalLock")) {
            transactionalLock = bool(flyway.get("transactionalLock"), where + "flyway.transactionalLock", true);
          }
        }
      }
      if (node.has("notChecked")) {
        String v = node.get("notChecked").asText().strip().toLowerCase(Locale.ROOT);
        if (!v.equals("warn") && !v.equals("block")) {
          problems.add(where + "notChecked: expected warn or block, got " + node.get("notChecked"));
        } else {
          // The operators decide; the repository may only tighten their policy: block stays block.
          notCheckedBlocks = fromServer ? v.equals("block") : notCheckedBlocks || v.equals("block");
        }
      }
      if (node.has("acknowledgements")) {
        String v = node.get("acknowledgements").asText().strip().toLowerCase(Locale.ROOT);
        if (!v.equals("report") && !v.equals("warn")) {
          problems.add(where + "acknowledgements: expected report or warn, got " + node.get("acknowledgements"));
        } else if (!fromServer && v.equals("warn")) {
          // An in-code acknowledgement is the deploy author's own word: only the operators may accept it.
          problems.add(where + "acknowledgements: only the operators' tollgate.yml may set warn (a repository can only"
              + " tighten the policy)");
        } else {
          acknowledgementsWarn = fromServer && v.equals("warn") || acknowledgementsWarn && !v.equals("report");
        }
      }
      JsonNode declared = node.path("notMigrations");
      if (!declared.isMissingNode() && !declared.isNull()) {
        if (!declared.isObject()) {
          problems.add(where + "notMigrations: expected a mapping from a path (a file, a directory ending in /, or a"
              + " glob) to the reason it is not a migration");
        } else {
          for (Map.Entry<String, JsonNode> e : declared.properties()) {
            String key = e.getKey().strip();
            String reason = e.getValue().isValueNode() ? e.getValue().asText().strip() : "";
            if (key.isEmpty()) {
              problems.add(where + "notMigrations: an entry has an empty path");
            } else if (reason.isEmpty()) {
              // The reason is the point: a declaration nobody can review would be a silent way to skip checks.
              problems.add(where + "notMigrations." + key + ": expected the reason this is not a migration (a non-empty"
                  + " text)");
            } else {
              notMigrations.put(key.startsWith("./") ? key.substring(2) : key, reason);
            }
          }
        }
      }
      JsonNode oldCode = node.path("oldCode");
      if (!oldCode.isMissingNode()) {
        if (!oldCode.isObject()) {
          problems.add(where + "oldCode: expected a mapping");
        } else {
          unknownKeys(oldCode, OLD_CODE_KEYS, where + "oldCode.");
          oldCodeExclude.addAll(strings(oldCode.get("exclude"), where + "oldCode.exclude"));
          includeTests = bool(oldCode.get("includeTests"), where + "oldCode.includeTests", includeTests);
        }
      }
    }

    private static int parseMajor(String text) {
      try {
        return Integer.parseInt(text.strip().split("\\.")[0]);
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    private void unknownKeys(JsonNode node, Set<String> known, String where) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!known.contains(k)) {
          problems.add(where + k + ": unknown key (known: " + known.stream().sorted().toList() + ")");
        }
      }
    }

    private List<String> strings(JsonNode node, String where) {
      List<String> out = new ArrayList<>();
      if (node == null || node.isNull()) {
        return out;
      }
      if (!node.isArray()) {
        problems.add(where + ": expected a list of paths");
        return out;
      }
      for (JsonNode n : node) {
        String s = n.asText().strip();
        if (!s.isEmpty()) {
          out.add(s.startsWith("./") ? s.substring(2) : s);
        }
      }
      return out;
    }

    private boolean bool(JsonNode node, String where, boolean fallback) {
      if (node == null || node.isNull()) {
        return fallback;
      }
      if (!node.isBoolean()) {
        problems.add(where + ": expected true or false" + dev.tollgate.probes.api.ConfigValues.got(node, server));
        return fallback;
      }
      return node.booleanValue();
    }

    MigrationSettings build() {
      return new MigrationSettings(dialect, pgVersion, paths, exclude, lockTimeoutSetByRole, utc, mixed, transactionalLock,
          oldCodeExclude, includeTests, acknowledgementsWarn, notCheckedBlocks, notMigrations, problems);
    }
  }
}
