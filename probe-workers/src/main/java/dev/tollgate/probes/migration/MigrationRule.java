package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import java.util.List;

/**
 * Base of the migration rules: the rule reads the shared {@link MigrationSet} (parsed once per deploy), so the same
 * rule code serves the gate (a repository range) and the CLI (standalone files).
 */
abstract class MigrationRule implements Rule {
  private final RuleId id;
  private final Severity severity;
  private final String summary;
  private final String help;

  MigrationRule(String kebab, Severity severity, String summary, String help) {
    this.id = RuleId.of("migration/" + kebab);
    this.severity = severity;
    this.summary = summary;
    this.help = help;
  }

  @Override
  public final RuleId id() {
    return id;
  }

  @Override
  public final Severity severity() {
    return severity;
  }

  @Override
  public final String summary() {
    return summary;
  }

  @Override
  public final String help() {
    return help;
  }

  @Override
  public final List<RuleViolation> check(RuleContext ctx) {
    MigrationSet set = MigrationSet.of(ctx);
    return Acknowledgements.apply(set, this, check(set));
  }

  /** The rule over one set of migrations. */
  abstract List<RuleViolation> check(MigrationSet set);

  /** A violation at the statement's first line. */
  static RuleViolation at(MigrationStatement s, String message, String fix) {
    return RuleViolation.at(s.path(), s.line(), message).withFix(fix);
  }

  /** {@code `name`} for messages. */
  static String q(Object name) {
    return "`" + name + "`";
  }

  /**
   * A name as PostgreSQL SQL spells it, for fix texts that show SQL to run: bare when PostgreSQL would read it back
   * unchanged (lower case, no special characters), else in double quotes (an embedded quote doubled).
   */
  static String pg(dev.tollgate.probes.migration.sql.Name name) {
    return name.schema() == null ? pgPart(name.name()) : pgPart(name.schema()) + "." + pgPart(name.name());
  }

  private static String pgPart(String part) {
    return part.matches("[a-z_][a-z0-9_$]*") ? part : "\"" + part.replace("\"", "\"\"") + "\"";
  }
}
