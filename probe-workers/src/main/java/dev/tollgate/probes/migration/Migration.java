package dev.tollgate.probes.migration;

import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.migration.sql.Problem;
import dev.tollgate.probes.migration.sql.SqlScript;
import dev.tollgate.probes.migration.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One migration file (or, for a Liquibase changelog, the changesets of one file that this deploy applies), parsed
 * once: its framework, direction, version, dialect and its statements grouped into {@link TransactionUnit}s the way
 * the framework runs them.
 */
public final class Migration {
  private final String path;
  private final Framework framework;
  private final MigrationKind kind;
  private final String version;
  private final Dialect dialect;
  private final List<TransactionUnit> units;
  private final List<Problem> problems;
  private final boolean flywayMixed;
  private final SqlScript downSection;

  Migration(String path, Framework framework, MigrationKind kind, String version, Dialect dialect, List<TransactionUnit> units,
      List<Problem> problems, boolean flywayMixed, SqlScript downSection) {
    this.path = path;
    this.framework = framework;
    this.kind = kind;
    this.version = version;
    this.dialect = dialect;
    this.units = List.copyOf(units);
    this.problems = List.copyOf(problems);
    this.flywayMixed = flywayMixed;
    this.downSection = downSection;
  }

  /** Repository path (or the file as given to the CLI). */
  public String path() {
    return path;
  }

  public Framework framework() {
    return framework;
  }

  public MigrationKind kind() {
    return kind;
  }

  /** Version as written ({@code 2.1}, {@code 20240101120000}), null for repeatable and plain files. */
  public String version() {
    return version;
  }

  public Dialect dialect() {
    return dialect;
  }

  /** Transaction units in execution order. */
  public List<TransactionUnit> units() {
    return units;
  }

  /** Every executed statement, in order. */
  public List<Statement> statements() {
    List<Statement> all = new ArrayList<>();
    for (TransactionUnit u : units) {
      all.addAll(u.statements());
    }
    return all;
  }

  /** What could not be read. */
  public List<Problem> problems() {
    return problems;
  }

  /**
   * A Flyway PostgreSQL file that mixes statements Flyway runs outside a transaction (CONCURRENTLY, VACUUM, ...) with
   * ordinary ones: refused at deploy time unless {@code mixed=true}, and then not atomic.
   */
  public boolean flywayMixed() {
    return flywayMixed;
  }

  /** The down section kept in the same file (dbmate {@code -- migrate:down}), if any. */
  public Optional<SqlScript> downSection() {
    return Optional.ofNullable(downSection);
  }

  /** Changesets of a Liquibase migration, in order. */
  public List<Changeset> changesets() {
    return units.stream().map(TransactionUnit::changeset).filter(c -> c != null).toList();
  }

  @Override
  public String toString() {
    return path + " (" + framework + " " + kind + (version == null ? "" : " " + version) + ", " + dialect.id() + ")";
  }
}
