package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.framework.FrameworkReader;
import dev.tollgate.probes.migration.framework.FrameworkReaders;
import dev.tollgate.probes.migration.framework.MigrationSource;
import dev.tollgate.probes.migration.framework.RepoFiles;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The engine of {@code tollgate lint-migrations}: lints files as standalone migrations (framework inferred from name
 * and content — SQL tools, and every framework of {@code FrameworkReaders} — dialect given or detected per file) with
 * the same rules as the probe. No repository, so no old-code
 * evidence and no edited-migration check. Never throws for bad SQL: it becomes an {@code unparseable-sql} finding.
 */
public final class MigrationLinter {
  /** One finding of one file. {@code severity} is {@code error}, {@code warning} or {@code info}. */
  public record Finding(String rule, int line, String severity, String message, String fix) {}

  /** The result for one file: unsafe when any error-severity finding applies. */
  public record FileReport(String file, boolean unsafe, List<Finding> findings, int statements, String framework,
      String dialect) {
    public FileReport {
      findings = List.copyOf(findings);
    }
  }

  private final MigrationSettings settings;
  private final List<MigrationRule> rules;

  /**
   * @param dialect {@code postgresql}, {@code mysql} or {@code auto} (null: auto)
   * @param pgVersion target PostgreSQL major version, null for the default
   * @throws IllegalArgumentException for an unknown dialect or a version out of range
   */
  public MigrationLinter(String dialect, Integer pgVersion) {
    String d = dialect == null ? "auto" : dialect.strip().toLowerCase(Locale.ROOT);
    if (!d.equals("auto")) {
      Dialect.parse(d);
    }
    if (pgVersion != null && (pgVersion < 9 || pgVersion > 40)) {
      throw new IllegalArgumentException("--pg-version: expected a PostgreSQL major version such as 16, got " + pgVersion);
    }
    this.settings = MigrationSettings.defaults().withDialect(d, pgVersion);
    List<MigrationRule> list = new ArrayList<>();
    for (Rule r : new MigrationSafetyProbe().rules()) {
      // migration/read-incomplete reads the repository range; a file given here is read whole, so it has nothing to say.
      if (r instanceof MigrationRule m) {
        list.add(m);
      }
    }
    this.rules = List.copyOf(list);
  }

  /**
   * Lints one file's content.
   *
   * @param file the name shown in reports (its file name decides the framework: V1__x.sql, 1_x.up.sql, ...)
   */
  public FileReport lint(String file, String content) {
    Dialect dialect = settings.configuredDialect() != null ? settings.configuredDialect() : DialectDetector.fromContent(content);
    String path = file.replace('\\', '/');
    String lower = path.toLowerCase(Locale.ROOT);
    FrameworkReader reader = FrameworkReaders.claiming(path, content);
    if (reader != null) {
      Migration fm = reader.read(new MigrationSource(path, content, settings.configuredDialect(), settings, RepoFiles.disk()));
      if (fm == null) {
        return new FileReport(file, false, List.of(), 0, "none", dialect.id());
      }
      return report(file, fm);
    }
    if ((lower.endsWith(".xml") || lower.endsWith(".yaml") || lower.endsWith(".yml"))
        && !MigrationReader.looksLikeMigration(path, content)) {
      // An XML/YAML file that is not a Liquibase changelog (pom.xml, docker-compose.yml): not a migration.
      return new FileReport(file, false, List.of(), 0, "none", dialect.id());
    }
    Migration m = MigrationReader.read(path, content, dialect, settings, sidecar(path), true,
        LiquibaseChangelog.Tree.NONE);
    if (m == null) {
      // Not a .sql/.xml/.yaml name: lint it as plain SQL anyway, the user asked for it.
      m = MigrationReader.read(path + ".sql", content, dialect, settings, null, true,
          LiquibaseChangelog.Tree.NONE);
      m = new Migration(path, m.framework(), m.kind(), m.version(), m.dialect(), m.units(), m.problems(), m.flywayMixed(),
          m.downSection().orElse(null));
    }
    return report(file, m);
  }

  private FileReport report(String file, Migration m) {
    MigrationSet set = MigrationSet.standalone(m, settings);
    List<Finding> findings = new ArrayList<>();
    boolean unsafe = false;
    for (MigrationRule rule : rules) {
      for (RuleViolation v : Acknowledgements.apply(set, rule, rule.check(set))) {
        Severity sev = v.severity() != null ? v.severity() : rule.severity();
        unsafe |= sev == Severity.BLOCK;
        findings.add(new Finding(rule.id().value(), v.line(), switch (sev) {
          case BLOCK, UNKNOWN -> "error";
          case WARN -> "warning";
          case INFO -> "info";
        }, v.message() != null ? v.message() : rule.summary(), v.fix() != null ? v.fix() : rule.help()));
      }
    }
    findings.sort(Comparator.comparingInt(Finding::line).thenComparing(Finding::rule));
    return new FileReport(file, unsafe, findings, set.statements().size(), m.framework().name().toLowerCase(Locale.ROOT),
        m.dialect().id());
  }

  /** Flyway's {@code .sql.conf} next to the file, when the CLI can read it. */
  private static String sidecar(String path) {
    try {
      java.nio.file.Path conf = java.nio.file.Path.of(path + ".conf");
      return java.nio.file.Files.isRegularFile(conf) ? java.nio.file.Files.readString(conf) : null;
    } catch (java.io.IOException | RuntimeException e) {
      return null; // no sidecar: Flyway's defaults apply
    }
  }
}
