package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.Acknowledgement;
import dev.tollgate.probes.migration.Framework;
import dev.tollgate.probes.migration.Migration;
import dev.tollgate.probes.migration.TransactionUnit;
import dev.tollgate.probes.migration.Unread;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.migration.sql.Problem;
import dev.tollgate.probes.migration.sql.SqlScript;
import dev.tollgate.probes.migration.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@link Migration} a {@link FrameworkReader} read: each operation becomes the SQL the framework runs for it
 * ({@link #sql}), parsed by the probe's SQL front end, on the line of the operation in the source file, inside the
 * transaction units the framework uses ({@link #unit}).
 *
 * <pre>
 * MigrationBuilder b = new MigrationBuilder(source, Framework.RAILS, "20240101120000", Dialect.POSTGRESQL);
 * b.unit("Rails runs this migration in one transaction", 1, true);
 * b.sql("ALTER TABLE " + b.ident("users") + " DROP COLUMN " + b.ident("nickname"), 7);
 * b.unread(9, "backfill_nicknames", "a method the probe does not know", Unread.Kind.SCHEMA);
 * return b.build();
 * </pre>
 *
 * On MySQL every unit is non-transactional whatever the framework says: MySQL commits each DDL statement implicitly.
 */
public final class MigrationBuilder {
  private final MigrationSource source;
  private final Framework framework;
  private final String version;
  private final Dialect dialect;
  private final List<TransactionUnit> units = new ArrayList<>();
  private final List<Problem> problems = new ArrayList<>();
  private final List<Unread> unread = new ArrayList<>();
  private final List<Acknowledgement> acknowledgements = new ArrayList<>();
  private final List<String> after = new ArrayList<>();
  private String wayBack;
  private String id;
  private String unitLabel;
  private int unitLine = 1;
  private boolean unitTransactional;
  private List<Statement> current;

  /**
   * @param version orders pending migrations of the framework (a timestamp, a number), null when it has none
   * @param dialect the dialect the framework's SQL is rendered and parsed in
   */
  public MigrationBuilder(MigrationSource source, Framework framework, String version, Dialect dialect) {
    this.source = source;
    this.framework = framework;
    this.version = version;
    this.dialect = dialect;
  }

  /** The dialect statements are rendered in. */
  public Dialect dialect() {
    return dialect;
  }

  /**
   * Starts a transaction unit: the statements that follow commit together when {@code transactional} (and the dialect
   * has transactional DDL), else each commits on its own.
   *
   * @param label what the unit is, for messages ({@code Rails runs this migration in one transaction})
   */
  public MigrationBuilder unit(String label, int line, boolean transactional) {
    close();
    unitLabel = label;
    unitLine = Math.max(1, line);
    unitTransactional = transactional && dialect == Dialect.POSTGRESQL;
    current = new ArrayList<>();
    return this;
  }

  /** True when the current unit is one transaction. */
  public boolean inTransaction() {
    return current != null && unitTransactional;
  }

  /** Adds the statements of {@code sql} (one or more, rendered by the reader) on line {@code line} of the source. */
  public List<Statement> sql(String sql, int line) {
    SqlScript script = SqlScript.parse(sql, 0, sql.length(), Math.max(1, line), dialect);
    return add(script);
  }

  /**
   * Adds the statements of SQL written in the source file itself, between {@code from} and {@code to} (an
   * {@code execute <<~SQL} heredoc, a {@code RunSQL} string), so their lines are the file's.
   */
  public List<Statement> sqlAt(int from, int to, int firstLine) {
    String text = source.text();
    int f = Math.max(0, Math.min(from, text.length()));
    int t = Math.max(f, Math.min(to, text.length()));
    SqlScript script = SqlScript.parse(text, f, t, Math.max(1, firstLine), dialect);
    return add(script);
  }

  private List<Statement> add(SqlScript script) {
    if (current == null) {
      unit("file", 1, false);
    }
    problems.addAll(script.problems());
    List<Statement> added = new ArrayList<>();
    for (Statement s : script.statements()) {
      // Explicit BEGIN/COMMIT inside rendered SQL cannot change the framework's own transaction model.
      if (!(s.command() instanceof Command.Transaction)) {
        current.add(s);
        added.add(s);
      }
    }
    return added;
  }

  /** Records an expression the reader could not read (reported by {@code migration/unreadable-migration}). */
  public MigrationBuilder unread(int line, String excerpt, String reason, Unread.Kind kind) {
    unread.add(new Unread(line, excerpt, reason, kind));
    return this;
  }

  /** Records lines the author acknowledged in the framework's own way (Rails {@code safety_assured}). */
  public MigrationBuilder acknowledged(String marker, int line, int fromLine, int toLine) {
    acknowledgements.add(new Acknowledgement(marker, line, fromLine, toLine));
    return this;
  }

  /** How the framework reverses this migration ({@code def down}); not calling it means it has no way back. */
  public MigrationBuilder wayBack(String how) {
    this.wayBack = how;
    return this;
  }

  /** The framework's id of this migration, and the ids it runs after (for ordering pending migrations). */
  public MigrationBuilder id(String migrationId, List<String> runsAfter) {
    this.id = migrationId;
    this.after.clear();
    this.after.addAll(runsAfter);
    return this;
  }

  /** The statements added so far, in order (readers use it to look back, e.g. at a table created earlier). */
  public List<Statement> statements() {
    List<Statement> all = new ArrayList<>();
    units.forEach(u -> all.addAll(u.statements()));
    if (current != null) {
      all.addAll(current);
    }
    return all;
  }

  /** The migration. */
  public Migration build() {
    close();
    return Migration.ofFramework(source.path(), framework, version, dialect, units, problems, unread, acknowledgements,
        wayBack, id, after);
  }

  private void close() {
    if (current != null && !current.isEmpty()) {
      units.add(new TransactionUnit(unitLabel, unitLine, unitTransactional, current, null));
    }
    current = null;
  }

  /** An identifier quoted as the framework quotes it ({@code "users"}; MySQL {@code `users`}). */
  public String ident(String name) {
    if (dialect == Dialect.MYSQL) {
      return "`" + name.replace("`", "``") + "`";
    }
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /** A possibly schema-qualified name ({@code audit.events}), each part quoted. */
  public String qualified(String name) {
    int dot = name.indexOf('.');
    return dot < 0 ? ident(name) : ident(name.substring(0, dot)) + "." + ident(name.substring(dot + 1));
  }

  /** A SQL string literal. */
  public static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
