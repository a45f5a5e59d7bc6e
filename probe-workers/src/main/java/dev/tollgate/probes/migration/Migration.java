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
  private final List<Unread> unread;
  private final List<Acknowledgement> acknowledgements;
  private final String wayBack;
  private final String id;
  private final List<String> after;

  Migration(String path, Framework framework, MigrationKind kind, String version, Dialect dialect, List<TransactionUnit> units,
      List<Problem> problems, boolean flywayMixed, SqlScript downSection) {
    this(path, framework, kind, version, dialect, units, problems, flywayMixed, downSection, List.of(), List.of(), null, null,
        List.of());
  }

  private Migration(String path, Framework framework, MigrationKind kind, String version, Dialect dialect,
      List<TransactionUnit> units, List<Problem> problems, boolean flywayMixed, SqlScript downSection, List<Unread> unread,
      List<Acknowledgement> acknowledgements, String wayBack, String id, List<String> after) {
    this.path = path;
    this.framework = framework;
    this.kind = kind;
    this.version = version;
    this.dialect = dialect;
    this.units = List.copyOf(units);
    this.problems = List.copyOf(problems);
    this.flywayMixed = flywayMixed;
    this.downSection = downSection;
    this.unread = List.copyOf(unread);
    this.acknowledgements = List.copyOf(acknowledgements);
    this.wayBack = wayBack;
    this.id = id;
    this.after = List.copyOf(after);
  }

  /**
   * A migration of a framework whose files are not SQL (Rails, Django, Alembic, ...), as a reader of
   * {@link dev.tollgate.probes.migration.framework} built it: its operations rendered as the SQL the framework runs, in
   * the framework's transaction units, so every rule applies unchanged.
   *
   * @param version the framework's version or revision id (orders pending migrations), null when it has none
   * @param problems SQL the reader rendered or found (an {@code execute} string) that does not parse
   * @param unread expressions the reader could not turn into statements: reported, never dropped
   * @param acknowledgements lines the author marked as reviewed in the framework's own way ({@code safety_assured})
   * @param wayBack how the framework reverses it ({@code def down}, a reversible {@code change}), null when it cannot
   * @param id the framework's name for it when others refer to it ({@code app.0012_x}, an Alembic revision), else null
   * @param after ids of migrations that must run before it (Django dependencies, Alembic down_revision)
   */
  public static Migration ofFramework(String path, Framework framework, String version, Dialect dialect,
      List<TransactionUnit> units, List<Problem> problems, List<Unread> unread, List<Acknowledgement> acknowledgements,
      String wayBack, String id, List<String> after) {
    return new Migration(path, framework, MigrationKind.UP, version, dialect, units, problems, false, null, unread,
        acknowledgements, wayBack, id, after);
  }

  /** The same migration with other units (the new changesets of a changelog this deploy appends to). */
  Migration withUnits(List<TransactionUnit> newUnits) {
    return new Migration(path, framework, kind, version, dialect, newUnits, problems, flywayMixed, downSection, unread,
        acknowledgements, wayBack, id, after);
  }

  /** The same migration with other unread expressions (those a changelog this deploy modifies did not have before). */
  Migration withUnread(List<Unread> newUnread) {
    return new Migration(path, framework, kind, version, dialect, units, problems, flywayMixed, downSection, newUnread,
        acknowledgements, wayBack, id, after);
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

  /** What a framework reader could not read (an unknown method, an interpolated string): each one is a finding. */
  public List<Unread> unread() {
    return unread;
  }

  /** Line ranges the author acknowledged in the framework's own way (Rails {@code safety_assured}). */
  public List<Acknowledgement> acknowledgements() {
    return acknowledgements;
  }

  /**
   * How a framework migration is reversed ({@code def down}, Django's reversible operations), when it can be; empty
   * for SQL files (their way back is a separate down/undo file: {@link MigrationSet#counterpart}).
   */
  public Optional<String> wayBack() {
    return Optional.ofNullable(wayBack);
  }

  /** The framework's id for it (Django {@code app.0012_x}, an Alembic revision), else null. */
  public String id() {
    return id;
  }

  /** Ids of the migrations that run before it (Django dependencies, Alembic down_revision): orders pending ones. */
  public List<String> after() {
    return after;
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
