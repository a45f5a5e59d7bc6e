package dev.tollgate.probes.migration;

import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.migration.sql.Problem;
import dev.tollgate.probes.migration.sql.SqlScript;
import dev.tollgate.probes.migration.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognizes migration files by name and content and reads them into {@link Migration}s with the framework's
 * transaction model (migration-rules.md §4):
 *
 * <ul>
 *   <li>Flyway on PostgreSQL: the file is one transaction, unless {@code .sql.conf} says
 *       {@code executeInTransaction=false} or every statement is one Flyway runs outside a transaction (its parser's
 *       list: CREATE/DROP INDEX CONCURRENTLY, REINDEX SCHEMA/DATABASE/SYSTEM, VACUUM, CREATE/DROP DATABASE or
 *       TABLESPACE, ALTER SYSTEM, DISCARD ALL; ALTER TYPE ADD VALUE before PostgreSQL 12). A file mixing both is
 *       refused unless {@code mixed=true}, and then runs without a transaction.</li>
 *   <li>Liquibase: each changeset is one transaction unless {@code runInTransaction:false}.</li>
 *   <li>golang-migrate on PostgreSQL: a multi-statement file is sent as one query, which PostgreSQL runs as one
 *       implicit transaction; a single statement runs alone.</li>
 *   <li>dbmate: each migration in a transaction unless {@code -- migrate:up transaction:false}.</li>
 *   <li>Plain SQL: statement by statement; explicit BEGIN ... COMMIT blocks are transactions.</li>
 *   <li>MySQL: DDL commits implicitly, so nothing is atomic whatever the framework says.</li>
 * </ul>
 */
final class MigrationReader {
  private static final Pattern FLYWAY = Pattern.compile("([VU])(\\d+(?:[._]\\d+)*)__.*\\.sql", Pattern.CASE_INSENSITIVE);
  private static final Pattern FLYWAY_REPEATABLE = Pattern.compile("R__.*\\.sql", Pattern.CASE_INSENSITIVE);
  private static final Pattern GOLANG = Pattern.compile("(\\d+)_.*\\.(up|down)\\.sql", Pattern.CASE_INSENSITIVE);
  private static final Pattern LIQUIBASE_SQL_HEADER = Pattern.compile("(?m)\\A\\s*--\\s*liquibase\\s+formatted\\s+sql",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern CHANGESET = Pattern.compile("^\\s*--\\s*changeset\\s+(\\S+?):(\\S+)(.*)$",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern ROLLBACK = Pattern.compile("^\\s*--\\s*rollback\\s?(.*)$", Pattern.CASE_INSENSITIVE);
  private static final Pattern DBMATE = Pattern.compile("^\\s*--\\s*migrate:(up|down)\\b(.*)$", Pattern.CASE_INSENSITIVE);
  private static final Pattern DBMATE_MARKER = Pattern.compile("(?im)^\\s*--\\s*migrate:up\\b");
  private static final Pattern VERSION_PREFIX = Pattern.compile("(\\d+)_.*");

  private MigrationReader() {}

  /** What a file name alone says. */
  record Guess(Framework framework, MigrationKind kind, String version, boolean needsContent) {}

  /**
   * Classifies a path by name. {@code .sql}, {@code .xml}, {@code .yaml}/{@code .yml} files that may be Liquibase or
   * dbmate need their content ({@code needsContent}); other files are not migrations (null).
   */
  static Guess guess(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    String lower = name.toLowerCase(Locale.ROOT);
    // Every path of both trees is asked, nearly all of them not SQL: the three name patterns all end in \.sql
    // (ASCII case-insensitive), so no other name can match them.
    if (!lower.endsWith(".sql")) {
      return lower.endsWith(".xml") || lower.endsWith(".yaml") || lower.endsWith(".yml")
          ? new Guess(null, MigrationKind.UP, null, true) : null;
    }
    Matcher m = FLYWAY.matcher(name);
    if (m.matches()) {
      boolean undo = m.group(1).equalsIgnoreCase("U");
      return new Guess(Framework.FLYWAY, undo ? MigrationKind.UNDO : MigrationKind.UP, m.group(2).replace('_', '.'), false);
    }
    if (FLYWAY_REPEATABLE.matcher(name).matches()) {
      return new Guess(Framework.FLYWAY, MigrationKind.REPEATABLE, null, false);
    }
    m = GOLANG.matcher(name);
    if (m.matches()) {
      return new Guess(Framework.GOLANG_MIGRATE, m.group(2).equalsIgnoreCase("up") ? MigrationKind.UP : MigrationKind.DOWN,
          m.group(1), false);
    }
    return new Guess(null, MigrationKind.UP, null, true); // a .sql file of no framework by name: its content decides
  }

  /** True when content shows a Liquibase changelog or a dbmate migration. */
  static boolean looksLikeMigration(String path, String text) {
    String lower = path.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".sql")) {
      return liquibaseFormatted(text) || isDbmate(text);
    }
    if (lower.endsWith(".xml")) {
      return text.contains("<databaseChangeLog");
    }
    return text.contains("databaseChangeLog:");
  }

  /** {@code --liquibase formatted sql} as the first line (only the head of the file is looked at). */
  static boolean liquibaseFormatted(String text) {
    return LIQUIBASE_SQL_HEADER.matcher(firstLines(text)).find();
  }

  /** A dbmate {@code -- migrate:up} marker near the top. */
  private static boolean isDbmate(String text) {
    return DBMATE_MARKER.matcher(firstLines(text)).find();
  }

  private static String firstLines(String text) {
    return text.length() > 4000 ? text.substring(0, 4000) : text;
  }

  /**
   * Reads a migration.
   *
   * @param plain treat an unrecognized {@code .sql} file as a plain migration (configured directory, or the CLI)
   * @param flywayConf content of the Flyway {@code <file>.conf} sidecar, or null
   * @param tree the repository's files a Liquibase changelog's includes and sqlFiles are looked up in
   * @return null when the file is not a migration
   */
  static Migration read(String path, String text, Dialect dialect, MigrationSettings settings, String flywayConf,
      boolean plain, LiquibaseChangelog.Tree tree) {
    Guess g = guess(path);
    if (g == null) {
      return null;
    }
    String lower = path.toLowerCase(Locale.ROOT);
    if (g.framework() == Framework.FLYWAY) {
      return flyway(path, text, dialect, settings, g, flywayConf);
    }
    if (g.framework() == Framework.GOLANG_MIGRATE) {
      return golang(path, text, dialect, g);
    }
    if (lower.endsWith(".xml") || lower.endsWith(".yaml") || lower.endsWith(".yml")) {
      if (!looksLikeMigration(path, text)) {
        return null;
      }
      return LiquibaseChangelog.read(path, text, dialect, lower.endsWith(".xml"), tree);
    }
    if (liquibaseFormatted(text)) {
      return liquibaseSql(path, text, dialect);
    }
    if (isDbmate(text)) {
      return dbmate(path, text, dialect);
    }
    if (!plain) {
      return null;
    }
    SqlScript script = SqlScript.parse(text, dialect);
    String version = null;
    Matcher vm = VERSION_PREFIX.matcher(path.substring(path.lastIndexOf('/') + 1));
    if (vm.matches()) {
      version = vm.group(1);
    }
    return new Migration(path, Framework.PLAIN, MigrationKind.UP, version, dialect,
        explicitUnits(script.statements(), dialect, "file"), script.problems(), false, null);
  }

  private static Migration flyway(String path, String text, Dialect dialect, MigrationSettings settings, Guess g,
      String conf) {
    SqlScript script = SqlScript.parse(text, dialect);
    List<Statement> statements = withoutTransactionControl(script.statements());
    boolean confOff = conf != null && Pattern.compile("(?mi)^\\s*executeInTransaction\\s*=\\s*false\\s*$").matcher(conf).find();
    boolean mixed = false;
    boolean transactional;
    if (dialect == Dialect.MYSQL) {
      transactional = false;
    } else if (confOff) {
      transactional = false;
    } else {
      boolean anyNonTx = false;
      boolean anyTx = false;
      for (Statement s : statements) {
        if (flywayNonTransactional(s.command(), settings.postgresVersion())) {
          anyNonTx = true;
        } else if (!(s.command() instanceof Command.Invalid)) {
          anyTx = true;
        }
      }
      mixed = anyNonTx && anyTx;
      // A mixed file is refused unless mixed=true, and then the whole script runs without a transaction.
      transactional = !anyNonTx || (mixed && !Boolean.TRUE.equals(settings.flywayMixed()));
    }
    List<TransactionUnit> units = transactional
        ? List.of(new TransactionUnit("Flyway runs this file in one transaction", 1, true, statements, null))
        : explicitUnits(script.statements(), dialect, "file");
    return new Migration(path, Framework.FLYWAY, g.kind(), g.version(), dialect, units, script.problems(), mixed, null);
  }

  /** Flyway's PostgreSQL parser runs these outside a transaction (PostgreSQLParser.detectCanExecuteInTransaction). */
  static boolean flywayNonTransactional(Command c, int pgVersion) {
    if (c instanceof Command.CreateIndex ci) {
      return ci.concurrently();
    }
    if (c instanceof Command.DropIndex di) {
      return di.concurrently();
    }
    if (c instanceof Command.Reindex r) {
      return r.target().equals("SCHEMA") || r.target().equals("DATABASE") || r.target().equals("SYSTEM");
    }
    if (c instanceof Command.Vacuum) {
      return true;
    }
    if (c instanceof Command.Drop d) {
      return d.type().equals("DATABASE") || d.type().equals("TABLESPACE");
    }
    if (c instanceof Command.AlterType at) {
      return at.action() == Command.TypeAction.ADD_VALUE && pgVersion < 12;
    }
    if (c instanceof Command.Other o) {
      return o.keywords().equals("CREATE DATABASE") || o.keywords().equals("CREATE TABLESPACE")
          || o.keywords().equals("ALTER SYSTEM") || o.keywords().equals("DISCARD ALL") || o.keywords().equals("CREATE SUBSCRIPTION")
          || o.keywords().equals("DROP SUBSCRIPTION");
    }
    return false;
  }

  /** Statements PostgreSQL refuses inside a transaction block (ERROR 25001), whatever the tool. */
  static boolean cannotRunInTransaction(Command c, int pgVersion) {
    if (c instanceof Command.Reindex r) {
      return r.concurrently() || !r.target().equals("INDEX") && !r.target().equals("TABLE");
    }
    if (c instanceof Command.AlterTable at) {
      return at.actions().stream().anyMatch(a -> a instanceof dev.tollgate.probes.migration.sql.AlterAction.DetachPartition d
          && d.concurrently());
    }
    return flywayNonTransactional(c, pgVersion);
  }

  private static Migration golang(String path, String text, Dialect dialect, Guess g) {
    SqlScript script = SqlScript.parse(text, dialect);
    List<Statement> all = script.statements();
    boolean explicit = all.stream().anyMatch(s -> s.command() instanceof Command.Transaction);
    List<TransactionUnit> units;
    if (dialect == Dialect.POSTGRESQL && !explicit && all.size() > 1) {
      // The postgres driver sends the file as one simple query: PostgreSQL runs it as one implicit transaction.
      units = List.of(new TransactionUnit("golang-migrate sends this file as one multi-statement query, which PostgreSQL runs as one transaction", 1, true,
          all, null));
    } else {
      units = explicitUnits(all, dialect, "file");
    }
    return new Migration(path, Framework.GOLANG_MIGRATE, g.kind(), g.version(), dialect, units, script.problems(), false, null);
  }

  private static Migration dbmate(String path, String text, Dialect dialect) {
    String[] lines = text.split("\n", -1);
    int upStart = -1;
    int upEnd = text.length();
    int downStart = -1;
    int upLine = 1;
    int downLine = 1;
    boolean transaction = true;
    int offset = 0;
    for (int i = 0; i < lines.length; i++) {
      Matcher m = DBMATE.matcher(lines[i]);
      if (m.find()) {
        if (m.group(1).equalsIgnoreCase("up")) {
          upStart = offset + lines[i].length() + 1;
          upLine = i + 2;
          transaction = !m.group(2).replace(" ", "").toLowerCase(Locale.ROOT).contains("transaction:false");
        } else {
          if (upStart >= 0 && upEnd == text.length()) {
            upEnd = offset;
          }
          downStart = offset + lines[i].length() + 1;
          downLine = i + 2;
        }
      }
      offset += lines[i].length() + 1;
    }
    if (upStart < 0) {
      upStart = 0;
    }
    upStart = Math.min(upStart, text.length());
    upEnd = Math.max(upStart, Math.min(upEnd, text.length()));
    SqlScript up = SqlScript.parse(text, upStart, upEnd, upLine, dialect);
    SqlScript down = downStart < 0 ? null
        : SqlScript.parse(text, Math.min(downStart, text.length()), text.length(), downLine, dialect);
    List<Statement> stmts = up.statements();
    List<TransactionUnit> units = transaction && dialect == Dialect.POSTGRESQL
        ? List.of(new TransactionUnit("dbmate runs this migration in one transaction", upLine, true,
            withoutTransactionControl(stmts), null))
        : explicitUnits(stmts, dialect, "migrate:up");
    String name = path.substring(path.lastIndexOf('/') + 1);
    Matcher vm = VERSION_PREFIX.matcher(name);
    return new Migration(path, Framework.DBMATE, MigrationKind.UP, vm.matches() ? vm.group(1) : null, dialect, units,
        up.problems(), false, down);
  }

  private static Migration liquibaseSql(String path, String text, Dialect dialect) {
    List<TransactionUnit> units = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    int offset = 0;
    int csStart = -1;
    int csLine = 0;
    String author = null;
    String id = null;
    String attrs = "";
    StringBuilder rollback = null;
    for (int i = 0; i <= lines.length; i++) {
      Matcher m = i < lines.length ? CHANGESET.matcher(lines[i]) : null;
      boolean header = m != null && m.find();
      if ((header || i == lines.length) && csStart >= 0) {
        int csEnd = Math.min(offset, text.length());
        units.add(liquibaseUnit(text, csStart, csEnd, csLine, author, id, attrs, rollback, dialect, problems));
      }
      if (i == lines.length) {
        break;
      }
      if (header) {
        author = m.group(1);
        id = m.group(2);
        attrs = m.group(3).toLowerCase(Locale.ROOT);
        csStart = offset + lines[i].length() + 1;
        csLine = i + 1;
        rollback = null;
      } else if (csStart >= 0) {
        Matcher r = ROLLBACK.matcher(lines[i]);
        if (r.find()) {
          rollback = rollback == null ? new StringBuilder() : rollback.append('\n');
          rollback.append(r.group(1));
        }
      }
      offset += lines[i].length() + 1;
    }
    return new Migration(path, Framework.LIQUIBASE, MigrationKind.UP, null, dialect, units, problems, false, null);
  }

  private static TransactionUnit liquibaseUnit(String text, int from, int to, int headerLine, String author, String id,
      String attrs, StringBuilder rollback, Dialect dialect, List<Problem> problems) {
    from = Math.min(from, text.length());
    to = Math.max(from, to);
    SqlScript script = SqlScript.parse(text, from, to, headerLine + 1, dialect);
    problems.addAll(script.problems());
    String compact = attrs.replace(" ", "");
    boolean runInTx = !compact.contains("runintransaction:false");
    boolean runOnChange = compact.contains("runonchange:true");
    // Formatted SQL never gets a generated rollback: Liquibase cannot reverse raw SQL.
    Changeset cs = new Changeset(author, id, headerLine, runInTx, runOnChange, rollback == null ? null : rollback.toString(),
        collapse(text.substring(from, to)), false);
    List<Statement> stmts = withoutTransactionControl(script.statements());
    boolean tx = runInTx && dialect == Dialect.POSTGRESQL;
    return new TransactionUnit(tx ? "Liquibase runs changeset " + cs.key() + " in one transaction" : "changeset " + cs.key(), headerLine,
        tx, stmts, cs);
  }

  /** Whitespace-collapsed text: how changeset bodies are compared across versions. */
  static String collapse(String s) {
    return s.strip().replaceAll("\\s+", " ");
  }

  /**
   * Units for statements no framework wraps: autocommit runs between explicit BEGIN ... COMMIT blocks. On MySQL
   * every DDL commits implicitly, so only a block of plain DML stays one transaction.
   */
  static List<TransactionUnit> explicitUnits(List<Statement> statements, Dialect dialect, String label) {
    List<TransactionUnit> units = new ArrayList<>();
    List<Statement> current = new ArrayList<>();
    boolean inBlock = false;
    int blockLine = 1;
    for (Statement s : statements) {
      if (s.command() instanceof Command.Transaction t) {
        if (t.op() == Command.TxOp.BEGIN && !inBlock) {
          if (!current.isEmpty()) {
            units.add(new TransactionUnit(label, current.get(0).line(), false, current, null));
          }
          current = new ArrayList<>();
          inBlock = true;
          blockLine = s.line();
        } else if ((t.op() == Command.TxOp.COMMIT || t.op() == Command.TxOp.ROLLBACK) && inBlock) {
          units.add(new TransactionUnit("the BEGIN block at line " + blockLine + " is one transaction", blockLine, dialect == Dialect.POSTGRESQL, current,
              null));
          current = new ArrayList<>();
          inBlock = false;
        }
        continue;
      }
      current.add(s);
    }
    if (!current.isEmpty()) {
      units.add(inBlock
          ? new TransactionUnit("the BEGIN block at line " + blockLine + " (never committed) is one transaction", blockLine,
              dialect == Dialect.POSTGRESQL, current, null)
          : new TransactionUnit(label, current.get(0).line(), false, current, null));
    }
    return units;
  }

  private static List<Statement> withoutTransactionControl(List<Statement> statements) {
    List<Statement> out = new ArrayList<>(statements.size());
    for (Statement s : statements) {
      if (!(s.command() instanceof Command.Transaction)) {
        out.add(s);
      }
    }
    return out;
  }
}
