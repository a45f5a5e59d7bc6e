package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The DDL that ORMs' schema builders run, rendered in the migration's dialect: one place for the SQL shapes the
 * readers of Laravel, Knex, Sequelize, TypeORM's QueryRunner, EF Core and Ecto share (each reader maps its own types
 * and defaults into a {@link Column}). The statements are what the framework sends, so the probe's rules judge them as
 * they judge hand-written SQL.
 */
final class Ddl {
  /**
   * A column as a schema builder defines it.
   *
   * @param type the SQL type, already mapped by the reader ({@code varchar(255)}, {@code bigserial})
   * @param nullable null when the definition says nothing (the database's default: nullable)
   * @param defaultSql the default as SQL ({@code 'x'}, {@code 0}, {@code CURRENT_TIMESTAMP}), else null
   * @param extra appended as written ({@code PRIMARY KEY}, {@code GENERATED ALWAYS AS (...) STORED}, {@code AFTER x})
   */
  record Column(String name, String type, Boolean nullable, String defaultSql, String extra) {
    Column withNullable(Boolean n) {
      return new Column(name, type, n, defaultSql, extra);
    }

    Column withDefault(String d) {
      return new Column(name, type, nullable, d, extra);
    }

    Column withExtra(String e) {
      return new Column(name, type, nullable, defaultSql, extra == null || extra.isEmpty() ? e : extra + " " + e);
    }

    Column withType(String t) {
      return new Column(name, t, nullable, defaultSql, extra);
    }
  }

  private final MigrationBuilder b;

  Ddl(MigrationBuilder b) {
    this.b = b;
  }

  Dialect dialect() {
    return b.dialect();
  }

  boolean mysql() {
    return b.dialect() == Dialect.MYSQL;
  }

  String q(String name) {
    return b.qualified(name);
  }

  String definition(Column c) {
    StringBuilder s = new StringBuilder(b.ident(c.name())).append(' ').append(c.type());
    if (c.nullable() != null) {
      s.append(c.nullable() ? " NULL" : " NOT NULL");
    }
    if (c.defaultSql() != null) {
      s.append(" DEFAULT ").append(c.defaultSql());
    }
    if (c.extra() != null && !c.extra().isEmpty()) {
      s.append(' ').append(c.extra());
    }
    return s.toString();
  }

  String addColumn(String table, Column c) {
    return "ALTER TABLE " + q(table) + " ADD COLUMN " + definition(c);
  }

  String dropColumns(String table, List<String> columns) {
    return "ALTER TABLE " + q(table) + " " + columns.stream().map(c -> "DROP COLUMN " + b.ident(c))
        .collect(Collectors.joining(", "));
  }

  String renameColumn(String table, String from, String to) {
    return "ALTER TABLE " + q(table) + " RENAME COLUMN " + b.ident(from) + " TO " + b.ident(to);
  }

  String renameTable(String from, String to) {
    return mysql() ? "RENAME TABLE " + q(from) + " TO " + q(to) : "ALTER TABLE " + q(from) + " RENAME TO " + b.ident(to);
  }

  String dropTable(String table, boolean ifExists) {
    return "DROP TABLE " + (ifExists ? "IF EXISTS " : "") + q(table);
  }

  String createTable(String table, List<Column> columns, List<String> constraints, boolean ifNotExists) {
    List<String> parts = new ArrayList<>();
    columns.forEach(c -> parts.add(definition(c)));
    parts.addAll(constraints);
    return "CREATE TABLE " + (ifNotExists ? "IF NOT EXISTS " : "") + q(table) + " (" + String.join(", ", parts) + ")";
  }

  /**
   * A changed column definition: PostgreSQL alters type, nullability and default one by one (each only when the
   * definition says), MySQL restates the whole column with MODIFY.
   *
   * @param typeChanged whether the new definition names a type (PostgreSQL then runs ALTER COLUMN ... TYPE)
   */
  List<String> changeColumn(String table, Column c, boolean typeChanged) {
    List<String> out = new ArrayList<>();
    if (mysql()) {
      out.add("ALTER TABLE " + q(table) + " MODIFY COLUMN " + definition(c));
      return out;
    }
    String col = "ALTER TABLE " + q(table) + " ALTER COLUMN " + b.ident(c.name()) + " ";
    if (typeChanged && c.type() != null) {
      out.add(col + "TYPE " + c.type());
    }
    if (c.nullable() != null) {
      out.add(col + (c.nullable() ? "DROP NOT NULL" : "SET NOT NULL"));
    }
    if (c.defaultSql() != null) {
      out.add(col + (c.defaultSql().equals("NULL") ? "DROP DEFAULT" : "SET DEFAULT " + c.defaultSql()));
    }
    return out;
  }

  String setNotNull(String table, String column, boolean notNull, String mysqlType) {
    if (mysql()) {
      return "ALTER TABLE " + q(table) + " MODIFY COLUMN " + b.ident(column) + " "
          + (mysqlType == null ? "text" : mysqlType) + (notNull ? " NOT NULL" : " NULL");
    }
    return "ALTER TABLE " + q(table) + " ALTER COLUMN " + b.ident(column) + (notNull ? " SET NOT NULL" : " DROP NOT NULL");
  }

  String setDefault(String table, String column, String defaultSql) {
    return "ALTER TABLE " + q(table) + " ALTER COLUMN " + b.ident(column)
        + (defaultSql == null ? " DROP DEFAULT" : " SET DEFAULT " + defaultSql);
  }

  /**
   * @param where a partial index predicate as SQL, else null
   * @param using an index method ({@code gin}), else null
   */
  String createIndex(String name, String table, List<String> columns, boolean unique, boolean concurrently,
      String using, String where) {
    String cols = columns.stream().map(this::indexColumn).collect(Collectors.joining(", "));
    return "CREATE " + (unique ? "UNIQUE " : "") + "INDEX " + (concurrently && !mysql() ? "CONCURRENTLY " : "")
        + b.ident(name) + " ON " + q(table) + (using == null || mysql() ? "" : " USING " + using) + " (" + cols + ")"
        + (where == null || mysql() ? "" : " WHERE " + where);
  }

  /** An index column: a name is quoted, an expression ({@code lower(email)}, {@code email DESC}) kept as written. */
  private String indexColumn(String c) {
    return c.matches("[A-Za-z_][A-Za-z0-9_$]*") ? b.ident(c) : c;
  }

  String dropIndex(String name, String table, boolean concurrently, boolean ifExists) {
    if (mysql()) {
      return "ALTER TABLE " + q(table == null ? "unknown" : table) + " DROP INDEX " + b.ident(name);
    }
    return "DROP INDEX " + (concurrently ? "CONCURRENTLY " : "") + (ifExists ? "IF EXISTS " : "") + b.ident(name);
  }

  String addForeignKey(String table, String name, List<String> columns, String refTable, List<String> refColumns,
      String onDelete, boolean notValid) {
    return "ALTER TABLE " + q(table) + " ADD " + (name == null ? "" : "CONSTRAINT " + b.ident(name) + " ")
        + "FOREIGN KEY (" + idents(columns) + ") REFERENCES " + q(refTable) + " (" + idents(refColumns) + ")"
        + (onDelete == null ? "" : " ON DELETE " + onDelete) + (notValid && !mysql() ? " NOT VALID" : "");
  }

  String dropForeignKey(String table, String name) {
    return "ALTER TABLE " + q(table) + (mysql() ? " DROP FOREIGN KEY " : " DROP CONSTRAINT ") + b.ident(name);
  }

  String addUnique(String table, String name, List<String> columns) {
    return "ALTER TABLE " + q(table) + " ADD " + (name == null ? "" : "CONSTRAINT " + b.ident(name) + " ") + "UNIQUE ("
        + idents(columns) + ")";
  }

  String addPrimaryKey(String table, String name, List<String> columns) {
    return "ALTER TABLE " + q(table) + " ADD " + (name == null || mysql() ? "" : "CONSTRAINT " + b.ident(name) + " ")
        + "PRIMARY KEY (" + idents(columns) + ")";
  }

  String addCheck(String table, String name, String expression, boolean notValid) {
    return "ALTER TABLE " + q(table) + " ADD CONSTRAINT " + b.ident(name) + " CHECK (" + expression + ")"
        + (notValid && !mysql() ? " NOT VALID" : "");
  }

  String dropConstraint(String table, String name) {
    return "ALTER TABLE " + q(table) + " DROP CONSTRAINT " + b.ident(name);
  }

  String dropPrimaryKey(String table, String name) {
    return mysql() ? "ALTER TABLE " + q(table) + " DROP PRIMARY KEY" : dropConstraint(table, name);
  }

  String idents(List<String> names) {
    return names.stream().map(b::ident).collect(Collectors.joining(", "));
  }
}
