package dev.tollgate.probes.migration.sql;

import java.util.List;

/**
 * What one statement does: the statement model. Rules (and the rollback probe) switch on these types; none reads
 * raw SQL text. Statements outside the model become {@link Other} (with their leading keywords) and statements that
 * cannot be read become {@link Invalid}.
 */
public sealed interface Command {
  /** {@code ALTER TABLE [IF EXISTS] [ONLY] t action, ...}; MySQL ALGORITHM=/LOCK= are lifted out of the actions. */
  record AlterTable(Name table, boolean ifExists, List<AlterAction> actions, String algorithm, String lock) implements Command {
    public AlterTable {
      actions = List.copyOf(actions);
    }

    /**
     * MySQL: {@code ALGORITHM=INSTANT}, or {@code ALGORITHM=INPLACE, LOCK=NONE}. The server then refuses the
     * statement instead of silently falling back to a blocking table copy, so lock rules treat it as asserted safe.
     */
    public boolean mysqlAssertedOnline() {
      return "INSTANT".equals(algorithm) || ("INPLACE".equals(algorithm) && "NONE".equals(lock));
    }
  }

  /**
   * {@code CREATE [TEMP|UNLOGGED] TABLE [IF NOT EXISTS] t (...)}, {@code ... AS query}, {@code ... PARTITION OF p}.
   */
  record CreateTable(Name table, boolean temporary, boolean unlogged, boolean ifNotExists, List<ColumnDef> columns,
      List<TableConstraint> constraints, boolean asQuery, Name partitionOf) implements Command {
    public CreateTable {
      columns = List.copyOf(columns);
      constraints = List.copyOf(constraints);
    }
  }

  /**
   * {@code CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON t [USING m] (...)}.
   *
   * @param name null when unnamed
   * @param kind {@code INDEX}, {@code UNIQUE}, {@code FULLTEXT} or {@code SPATIAL}
   * @param partial has a WHERE clause
   */
  record CreateIndex(Name name, Name table, String kind, boolean concurrently, boolean ifNotExists, String method,
      List<String> columns, boolean partial, String algorithm, String lock) implements Command {
    public CreateIndex {
      columns = List.copyOf(columns);
    }

    public boolean unique() {
      return "UNIQUE".equals(kind);
    }
  }

  /** {@code DROP INDEX [CONCURRENTLY] [IF EXISTS] n, ... [CASCADE]}; MySQL {@code DROP INDEX n ON t}. */
  record DropIndex(List<Name> names, Name table, boolean concurrently, boolean ifExists, boolean cascade,
      String algorithm, String lock) implements Command {
    public DropIndex {
      names = List.copyOf(names);
    }
  }

  /**
   * {@code DROP <type> [IF EXISTS] a, b [CASCADE]} for tables, views, schemas, databases, types, functions and the
   * rest. {@code type} is upper-case, e.g. {@code TABLE}, {@code VIEW}, {@code MATERIALIZED VIEW}, {@code SCHEMA},
   * {@code DATABASE}, {@code TYPE}.
   */
  record Drop(String type, List<Name> names, boolean ifExists, boolean cascade, boolean temporary) implements Command {
    public Drop {
      names = List.copyOf(names);
    }
  }

  /** MySQL {@code RENAME TABLE a TO b, c TO d}. */
  record RenameTables(List<Rename> renames) implements Command {
    public RenameTables {
      renames = List.copyOf(renames);
    }
  }

  /** One rename pair. */
  record Rename(Name from, Name to) {}

  /**
   * {@code ALTER <type> n RENAME TO m} for non-table objects: SCHEMA, VIEW, MATERIALIZED VIEW, INDEX, SEQUENCE, TYPE,
   * DOMAIN, FUNCTION, DATABASE.
   */
  record AlterRename(String type, Name name, String newName) implements Command {}

  /**
   * {@code ALTER TYPE t ADD VALUE [IF NOT EXISTS] 'v' [BEFORE|AFTER 'w']}, {@code ALTER TYPE t RENAME VALUE 'a' TO 'b'}
   * and other ALTER TYPE forms ({@code action} {@code OTHER}).
   */
  record AlterType(Name type, TypeAction action, String value, String newValue, boolean ifNotExists) implements Command {}

  /** What an ALTER TYPE does. */
  enum TypeAction { ADD_VALUE, RENAME_VALUE, OTHER }

  /** {@code CREATE TYPE t AS ENUM (...)} ({@code enumValues} empty for other kinds of type). */
  record CreateType(Name type, boolean isEnum, List<String> enumValues) implements Command {
    public CreateType {
      enumValues = List.copyOf(enumValues);
    }
  }

  /** {@code CREATE DOMAIN d AS t [CHECK (...)]}. */
  record CreateDomain(Name name, boolean hasCheck) implements Command {}

  /** {@code ALTER DOMAIN d ...}; {@code addConstraint} for ADD [CONSTRAINT], with its NOT VALID. */
  record AlterDomain(Name name, boolean addConstraint, boolean notValid) implements Command {}

  /**
   * {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE} (and MySQL TRIGGER/EVENT bodies). The body is stored, not executed
   * at migration time, so its statements are not part of the script.
   *
   * @param kind {@code FUNCTION}, {@code PROCEDURE}, {@code TRIGGER} (MySQL) or {@code EVENT}
   */
  record CreateRoutine(Name name, String kind) implements Command {}

  /**
   * PostgreSQL {@code DO [LANGUAGE l] $$ ... $$}: the block runs now, so its SQL statements follow it in the
   * script as statements whose {@link Statement#enclosingBlock()} is this one.
   *
   * @param dynamicSql the block runs {@code EXECUTE 'sql'}/{@code format(...)}: SQL that cannot be read statically
   */
  record DoBlock(String language, boolean dynamicSql) implements Command {}

  /** PostgreSQL {@code CREATE [OR REPLACE] [CONSTRAINT] TRIGGER n ... ON t}. */
  record CreateTrigger(Name name, Name table) implements Command {}

  /** {@code REINDEX [(options)] {INDEX|TABLE|SCHEMA|DATABASE|SYSTEM} [CONCURRENTLY] n}. */
  record Reindex(String target, Name name, boolean concurrently) implements Command {}

  /** {@code VACUUM [FULL] [(options)] [t, ...]}. */
  record Vacuum(boolean full, List<Name> tables) implements Command {
    public Vacuum {
      tables = List.copyOf(tables);
    }
  }

  /** {@code CLUSTER [t [USING idx]]}. */
  record Cluster(Name table) implements Command {}

  /** {@code REFRESH MATERIALIZED VIEW [CONCURRENTLY] v [WITH [NO] DATA]}. */
  record RefreshMaterializedView(Name view, boolean concurrently, boolean withNoData) implements Command {}

  /** PostgreSQL {@code LOCK [TABLE] t, ... [IN mode MODE]} (mode null means ACCESS EXCLUSIVE); MySQL {@code LOCK TABLES}. */
  record LockTables(List<Name> tables, String mode) implements Command {
    public LockTables {
      tables = List.copyOf(tables);
    }
  }

  /** {@code TRUNCATE [TABLE] t, ... [CASCADE]}. */
  record Truncate(List<Name> tables, boolean cascade) implements Command {
    public Truncate {
      tables = List.copyOf(tables);
    }
  }

  /** {@code UPDATE t SET ... [WHERE ...] [LIMIT n]}: {@code where} null without WHERE. */
  record Update(Name table, List<String> columns, Expr where, RowFilter filter) implements Command {
    public Update {
      columns = List.copyOf(columns);
    }
  }

  /** {@code DELETE FROM t [WHERE ...] [LIMIT n]}: {@code where} null without WHERE. */
  record Delete(Name table, Expr where, RowFilter filter) implements Command {}

  /**
   * How many rows an UPDATE/DELETE touches, as far as its text tells: the difference between a batched backfill and a
   * whole-table one.
   */
  enum RowFilter {
    /** No WHERE: every row. */
    NONE,
    /** Equality or IN-list on a key-like column ({@code id}, {@code *_id}, {@code uuid}): a few rows. */
    KEY,
    /** A bounded range ({@code BETWEEN}, or both a lower and an upper bound on one column): one batch. */
    RANGE,
    /** A LIMIT (MySQL {@code UPDATE ... LIMIT}, or in a subquery/CTE that picks the rows): one batch. */
    LIMIT,
    /** Any other WHERE (e.g. {@code WHERE status IS NULL}): potentially the whole table. */
    OTHER
  }

  /** {@code INSERT INTO t [(cols)] VALUES ... | SELECT ...}. */
  record Insert(Name table, List<String> columns, boolean fromQuery, Expr body) implements Command {
    public Insert {
      columns = List.copyOf(columns);
    }
  }

  /**
   * A session setting: {@code SET [SESSION|LOCAL|GLOBAL] name = value}, MySQL {@code SET @@session.name = v, b = w},
   * PostgreSQL {@code SELECT set_config('name', 'v', is_local)}. Names are lower-case without {@code @@} or
   * scope prefixes (user variables keep their {@code @}); values unquoted.
   *
   * @param scope {@code SESSION} (default), {@code LOCAL} (to the end of the transaction) or {@code GLOBAL}
   */
  record SetVariable(String scope, java.util.Map<String, String> values) implements Command {
    public SetVariable {
      values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }

    /** The value given to {@code name} (lower-case), or null. */
    public String value(String name) {
      return values.get(name);
    }
  }

  /** Transaction control. */
  record Transaction(TxOp op) implements Command {}

  /** What a transaction-control statement does. */
  enum TxOp { BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE, ROLLBACK_TO }

  /** {@code CREATE [OR REPLACE] [MATERIALIZED] VIEW v AS ...}. */
  record CreateView(Name name, boolean materialized, boolean orReplace, boolean withNoData) implements Command {}

  /** A statement this model keeps only by its leading keywords, e.g. {@code CREATE EXTENSION}, {@code GRANT}, {@code SELECT}. */
  record Other(String keywords) implements Command {}

  /** A statement that could not be read; {@code reason} says why. */
  record Invalid(String reason) implements Command {}
}
