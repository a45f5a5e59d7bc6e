package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.Framework;
import dev.tollgate.probes.migration.Migration;
import dev.tollgate.probes.migration.OrmModel;
import dev.tollgate.probes.migration.Unread;
import dev.tollgate.probes.migration.framework.PythonReader.Assign;
import dev.tollgate.probes.migration.framework.PythonReader.Block;
import dev.tollgate.probes.migration.framework.PythonReader.Call;
import dev.tollgate.probes.migration.framework.PythonReader.ClassDef;
import dev.tollgate.probes.migration.framework.PythonReader.Const;
import dev.tollgate.probes.migration.framework.PythonReader.ExprStmt;
import dev.tollgate.probes.migration.framework.PythonReader.FuncDef;
import dev.tollgate.probes.migration.framework.PythonReader.Name;
import dev.tollgate.probes.migration.framework.PythonReader.Node;
import dev.tollgate.probes.migration.framework.PythonReader.Num;
import dev.tollgate.probes.migration.framework.PythonReader.Other;
import dev.tollgate.probes.migration.framework.PythonReader.Seq;
import dev.tollgate.probes.migration.framework.PythonReader.Str;
import dev.tollgate.probes.migration.framework.PythonReader.Value;
import dev.tollgate.probes.migration.framework.PythonReader.With;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Alembic revisions ({@code versions/<rev>_<slug>.py} of any Alembic script directory): the {@code op.*} operations
 * of {@code upgrade()} rendered as the SQL Alembic runs, {@code batch_alter_table} blocks,
 * {@code autocommit_block()} as the transaction model, and SQLAlchemy models ({@code __tablename__},
 * {@code Table(...)}) for the old-code check. docs/rules/migration/alembic.md.
 */
public final class AlembicReader implements FrameworkReader {
  private static final Set<String> HARMLESS = Set.of("get_bind", "get_context", "print", "log", "info", "debug",
      "warning", "inline_literal", "f", "implementation_for", "invoke", "exit", "quit", "sleep");

  @Override
  public Framework framework() {
    return Framework.ALEMBIC;
  }

  @Override
  public boolean claims(String path) {
    return path.endsWith(".py") && path.contains("versions/") && !path.endsWith("__init__.py")
        && path.matches("(.*/)?versions/[^/]+\\.py") && !path.contains("site-packages/");
  }

  @Override
  public boolean claimsContent(String path, String text) {
    return path.endsWith(".py") && isAlembic(text);
  }

  private static boolean isAlembic(String text) {
    return (text.contains("from alembic import") || text.contains("import alembic")) && text.contains("def upgrade");
  }

  @Override
  public Migration read(MigrationSource source) {
    if (!isAlembic(source.text()) && !(source.text().contains("revision") && source.text().contains("def upgrade"))) {
      return null; // a Python file in a versions/ directory that is not an Alembic revision
    }
    Dialect dialect = source.dialectOr(Dialect.POSTGRESQL);
    PythonReader.Result r = PythonReader.read(source.text());
    Map<String, Value> names = new HashMap<>();
    Map<String, FuncDef> functions = new LinkedHashMap<>();
    for (Node n : r.nodes()) {
      if (n instanceof Assign a) {
        names.put(a.target(), a.value());
      } else if (n instanceof FuncDef f) {
        functions.put(f.name(), f);
      }
    }
    String revision = names.get("revision") instanceof Str s ? s.value() : null;
    List<String> after = new ArrayList<>();
    Value down = names.get("down_revision");
    if (down instanceof Str s) {
      after.add(s.value());
    } else if (down instanceof Seq seq) {
      seq.items().forEach(x -> {
        if (x instanceof Str s) {
          after.add(s.value());
        }
      });
    }
    MigrationBuilder b = new MigrationBuilder(source, Framework.ALEMBIC, null, dialect);
    b.id(revision, after);
    if (r.error() != null) {
      b.unread(r.errorLine(), source.fileName(), "Python the probe cannot read: " + r.error(), Unread.Kind.SCHEMA);
    }
    FuncDef upgrade = functions.get("upgrade");
    if (upgrade == null) {
      if (r.error() == null) {
        b.unread(1, source.fileName(), "no upgrade() function", Unread.Kind.SCHEMA);
      }
      return b.build();
    }
    String label = "Alembic runs this revision in a transaction (with the upgrade's other revisions unless"
        + " transaction_per_migration)";
    b.unit(label, upgrade.line(), true);
    Ops ops = new Ops(b, names, functions, label, upgrade.line());
    ops.read(upgrade.body(), null);
    FuncDef downgrade = functions.get("downgrade");
    if (downgrade != null && downgrade.body().stream().anyMatch(n -> !(n instanceof Other o) || !o.text().startsWith("pass"))) {
      b.wayBack("its `downgrade()` function");
    }
    return b.build();
  }

  /** Reads {@code upgrade()}: the operations, in their transaction units. */
  private static final class Ops {
    private final MigrationBuilder b;
    private final boolean pg;
    private final Map<String, Value> names;
    private final Map<String, FuncDef> functions;
    private final String label;
    private final int line;
    private final Set<String> inlining = new HashSet<>();
    private final Set<String> connections = new HashSet<>(Set.of("op.get_bind()", "connection", "conn", "bind"));

    Ops(MigrationBuilder b, Map<String, Value> names, Map<String, FuncDef> functions, String label, int line) {
      this.b = b;
      this.pg = b.dialect() == Dialect.POSTGRESQL;
      this.names = new HashMap<>(names);
      this.functions = functions;
      this.label = label;
      this.line = line;
    }

    /** @param batch the table of an enclosing {@code batch_alter_table} block and its variable, else null */
    void read(List<Node> nodes, String[] batch) {
      for (Node n : nodes) {
        if (n instanceof ExprStmt e && e.value() instanceof Call c) {
          call(c, batch);
        } else if (n instanceof Assign a) {
          names.put(a.target(), a.value());
          if (a.value() instanceof Call c && (c.func().endsWith("get_bind") || c.func().endsWith("connection"))) {
            connections.add(a.target());
          } else if (a.value() instanceof Call c && c.func().contains("execute")) {
            call(c, batch); // result = conn.execute(...)
          }
        } else if (n instanceof With w) {
          with(w, batch);
        } else if (n instanceof Block bl) {
          // Conditions and loops: the body is read as if it ran; arguments taken from a loop variable are
          // unreadable and reported as such.
          read(bl.body(), batch);
        } else if (n instanceof ExprStmt e && !(e.value() instanceof Str)) {
          b.unread(e.line(), e.text(), "Python the probe does not follow", Unread.Kind.SCHEMA);
        }
      }
    }

    /** True when the statements (or what they call) contain {@code text} in a call. */
    private static boolean mentions(List<Node> nodes, String text) {
      for (Node n : nodes) {
        String t = n instanceof ExprStmt e ? e.text() : n instanceof Assign a ? a.text() : "";
        if (t.contains(text)) {
          return true;
        }
        if (n instanceof Block bl && mentions(bl.body(), text) || n instanceof With w && mentions(w.body(), text)) {
          return true;
        }
      }
      return false;
    }

    private void with(With w, String[] batch) {
      if (w.context() instanceof Call c && c.func().endsWith("autocommit_block")) {
        // Alembic commits the migration's transaction, runs the block in autocommit, then begins a new one.
        b.unit("autocommit_block(): each statement commits on its own", w.line(), false);
        read(w.body(), batch);
        b.unit(label + ", after autocommit_block()", w.endLine(), true);
        return;
      }
      if (w.context() instanceof Call c && c.func().endsWith("batch_alter_table")) {
        String table = str(resolve(c.param("table_name", 0)));
        if (table == null) {
          b.unread(c.line(), c.text(), "arguments the probe cannot read statically", Unread.Kind.SCHEMA);
          return;
        }
        if (c.kw("recreate") instanceof Str s && s.value().equals("always")) {
          b.unread(c.line(), c.text(), "recreate=\"always\" copies the whole table into a new one (a rewrite under lock),"
              + " which the probe does not model", Unread.Kind.SCHEMA);
        }
        read(w.body(), new String[] {table, w.as() == null ? "batch_op" : w.as()});
        return;
      }
      read(w.body(), batch); // with op.get_context()...: the body runs
    }

    private Value resolve(Value v) {
      if (v instanceof Call c && c.func().equals("op.f") && c.arg(0) instanceof Str name) {
        return name; // op.f("ix_x"): a name already converted by the naming convention (what autogenerate writes)
      }
      return v instanceof Name n && names.containsKey(n.dotted()) ? names.get(n.dotted()) : v;
    }

    private void call(Call c, String[] batch) {
      String func = c.func();
      String recv = func.contains(".") ? func.substring(0, func.lastIndexOf('.')) : null;
      String name = c.simpleName();
      if (name.equals("execute") || name.equals("exec_driver_sql")) {
        if (recv != null && (recv.equals("op") || connections.contains(recv) || recv.endsWith("get_bind()")
            || recv.endsWith("connection"))) {
          execute(c);
        } else {
          b.unread(c.line(), c.text(), "application code run by the migration", Unread.Kind.DATA);
        }
        return;
      }
      if (batch != null && batch[1].equals(recv)) {
        op(c, name, batch[0], true);
        return;
      }
      if ("op".equals(recv)) {
        op(c, name, null, false);
        return;
      }
      if (recv == null && functions.containsKey(name)) {
        FuncDef f = functions.get(name);
        if (!f.params().isEmpty() || !inlining.add(name)) {
          boolean schema = mentions(f.body(), "op.") || mentions(f.body(), "execute");
          b.unread(c.line(), c.text(), schema ? "calls `" + name + "`, a function of the revision with arguments that runs"
              + " operations the probe reads only in place" : "calls `" + name + "`, a function of the revision that runs"
              + " no schema operation", schema ? Unread.Kind.SCHEMA : Unread.Kind.DATA);
          return;
        }
        read(f.body(), batch);
        inlining.remove(name);
        return;
      }
      if (HARMLESS.contains(name) || recv != null && (recv.startsWith("logger") || recv.startsWith("log")
          || recv.equals("print"))) {
        return;
      }
      b.unread(c.line(), c.text(), recv == null ? "a function the probe does not know" : "application code run by the"
          + " migration", recv == null ? Unread.Kind.SCHEMA : Unread.Kind.DATA);
    }

    private void execute(Call c) {
      Value v = resolve(c.param("sqltext", 0));
      if (v instanceof Call t && (t.simpleName().equals("text") || t.simpleName().equals("literal_column"))) {
        v = resolve(t.arg(0));
      }
      if (v instanceof Call core && core.text().matches("(?s).*\\b(update|insert|delete|select)\\s*\\(.*")) {
        // A SQLAlchemy Core statement (table.update().values(...)): data, not schema.
        b.unread(c.line(), c.text(), "a SQLAlchemy Core data statement", Unread.Kind.DATA);
        return;
      }
      if (!(v instanceof Str s) || s.formatted()) {
        b.unread(c.line(), c.text(), "SQL the probe cannot see (not a string literal)", Unread.Kind.SCHEMA);
        return;
      }
      String text = s.value();
      if (text.contains(":") && text.matches("(?s).*[^:]:[a-zA-Z_]\\w*.*") || text.contains("%s") || text.contains("%(")) {
        // Bound parameters (:name, %s) are values.
        b.sql(text.replaceAll("(?<!:):[a-zA-Z_]\\w*|%\\([^)]*\\)s|%s", "'tollgate_param'"), s.line());
      } else if (s.from() >= 0) {
        b.sqlAt(s.from(), s.to(), s.line());
      } else {
        b.sql(text, s.line());
      }
    }

    private String id(String n) {
      return b.ident(n);
    }

    /** One {@code op.x(...)} (or {@code batch_op.x(...)} of {@code batchTable}). */
    private void op(Call c, String name, String batchTable, boolean batch) {
      int o = batch ? -1 : 0; // batch_op methods take no table argument
      switch (name) {
        case "create_table" -> createTable(c);
        case "drop_table" -> {
          String t = str(resolve(c.param("table_name", 0)));
          if (t == null) {
            unreadArgs(c);
          } else {
            b.sql("DROP TABLE " + q(t, c), c.line());
          }
        }
        case "rename_table" -> {
          String from = str(resolve(c.param("old_table_name", 0)));
          String to = str(resolve(c.param("new_table_name", 1)));
          if (from == null || to == null) {
            unreadArgs(c);
          } else {
            b.sql("ALTER TABLE " + q(from, c) + " RENAME TO " + id(to), c.line());
          }
        }
        case "add_column" -> {
          String t = batch ? batchTable : str(resolve(c.param("table_name", 0)));
          Value col = resolve(c.param("column", 1 + o));
          String def = col instanceof Call cc ? columnDef(cc) : null;
          if (t == null || def == null) {
            unreadArgs(c);
          } else {
            b.sql("ALTER TABLE " + q(t, c) + " ADD COLUMN " + (truthy(c.kw("if_not_exists")) && pg ? "IF NOT EXISTS " : "")
                + def, c.line());
          }
        }
        case "drop_column" -> {
          String t = batch ? batchTable : str(resolve(c.param("table_name", 0)));
          String col = str(resolve(c.param("column_name", 1 + o)));
          if (t == null || col == null) {
            unreadArgs(c);
          } else {
            b.sql("ALTER TABLE " + q(t, c) + " DROP COLUMN " + (truthy(c.kw("if_exists")) && pg ? "IF EXISTS " : "")
                + id(col), c.line());
          }
        }
        case "alter_column" -> alterColumn(c, batch ? batchTable : str(resolve(c.param("table_name", 0))),
            str(resolve(c.param("column_name", 1 + o))));
        case "create_index" -> {
          String idx = str(resolve(c.param("index_name", 0)));
          String t = batch ? batchTable : str(resolve(c.param("table_name", 1)));
          List<String> cols = columns(resolve(c.param("columns", batch ? 1 : 2)));
          if (idx == null || t == null || cols == null) {
            unreadArgs(c);
            return;
          }
          boolean concurrently = truthy(c.kw("postgresql_concurrently"));
          String using = c.kw("postgresql_using") instanceof Str u ? " USING " + u.value() : "";
          String where = c.kw("postgresql_where") != null ? " WHERE " + sqlOf(c.kw("postgresql_where")) : "";
          b.sql("CREATE " + (truthy(c.kw("unique")) ? "UNIQUE " : "") + "INDEX " + (concurrently && pg ? "CONCURRENTLY " : "")
              + (truthy(c.kw("if_not_exists")) && pg ? "IF NOT EXISTS " : "") + id(idx) + " ON " + q(t, c) + (pg ? using : "")
              + " (" + String.join(", ", cols) + ")" + (pg ? where : ""), c.line());
        }
        case "drop_index" -> {
          String idx = str(resolve(c.param("index_name", 0)));
          String t = batch ? batchTable : str(resolve(c.param("table_name", 1)));
          if (idx == null) {
            unreadArgs(c);
            return;
          }
          boolean concurrently = truthy(c.kw("postgresql_concurrently"));
          b.sql(pg ? "DROP INDEX " + (concurrently ? "CONCURRENTLY " : "") + (truthy(c.kw("if_exists")) ? "IF EXISTS " : "")
              + id(idx) : "DROP INDEX " + id(idx) + " ON " + (t == null ? id("unknown") : q(t, c)), c.line());
        }
        case "create_foreign_key" -> {
          String n = str(resolve(c.param("constraint_name", 0)));
          String src = batch ? batchTable : str(resolve(c.param("source_table", 1)));
          String ref = str(resolve(c.param("referent_table", batch ? 1 : 2)));
          List<String> local = columns(resolve(c.param("local_cols", batch ? 2 : 3)));
          List<String> remote = columns(resolve(c.param("remote_cols", batch ? 3 : 4)));
          if (src == null || ref == null || local == null || remote == null) {
            unreadArgs(c);
            return;
          }
          boolean notValid = truthy(c.kw("postgresql_not_valid"));
          b.sql("ALTER TABLE " + q(src, c) + " ADD CONSTRAINT " + id(n == null ? "fk_" + src + "_" + ref : n)
              + " FOREIGN KEY (" + String.join(", ", local) + ") REFERENCES " + q(ref, c) + " (" + String.join(", ", remote)
              + ")" + (notValid && pg ? " NOT VALID" : ""), c.line());
        }
        case "create_check_constraint" -> {
          String n = str(resolve(c.param("constraint_name", 0)));
          String t = batch ? batchTable : str(resolve(c.param("table_name", 1)));
          Value cond = resolve(c.param("condition", batch ? 1 : 2));
          if (t == null || cond == null) {
            unreadArgs(c);
            return;
          }
          boolean notValid = truthy(c.kw("postgresql_not_valid"));
          b.sql("ALTER TABLE " + q(t, c) + " ADD CONSTRAINT " + id(n == null ? "ck_" + t : n) + " CHECK (" + sqlOf(cond) + ")"
              + (notValid && pg ? " NOT VALID" : ""), c.line());
        }
        case "create_unique_constraint", "create_primary_key" -> {
          String n = str(resolve(c.param("constraint_name", 0)));
          String t = batch ? batchTable : str(resolve(c.param("table_name", 1)));
          List<String> cols = columns(resolve(c.param("columns", batch ? 1 : 2)));
          if (t == null || cols == null) {
            unreadArgs(c);
            return;
          }
          b.sql("ALTER TABLE " + q(t, c) + " ADD CONSTRAINT " + id(n == null ? "uq_" + t : n)
              + (name.equals("create_primary_key") ? " PRIMARY KEY (" : " UNIQUE (") + String.join(", ", cols) + ")", c.line());
        }
        case "drop_constraint" -> {
          String n = str(resolve(c.param("constraint_name", 0)));
          String t = batch ? batchTable : str(resolve(c.param("table_name", 1)));
          if (n == null || t == null) {
            unreadArgs(c);
            return;
          }
          String type = c.kw("type_") instanceof Str ty ? ty.value() : "";
          b.sql("ALTER TABLE " + q(t, c) + (pg ? " DROP CONSTRAINT " : type.equals("foreignkey") ? " DROP FOREIGN KEY "
              : type.equals("unique") ? " DROP INDEX " : " DROP CONSTRAINT ") + id(n), c.line());
        }
        case "bulk_insert" -> {
          String t = c.arg(0) instanceof Call tc ? str(resolve(tc.arg(0))) : null;
          if (t != null) {
            b.sql("INSERT INTO " + id(t) + " SELECT 1", c.line());
          }
        }
        case "create_table_comment", "drop_table_comment", "create_sequence", "drop_sequence", "get_context",
             "get_bind", "inline_literal", "f", "invoke", "implementation_for" -> { }
        case "create_exclude_constraint" -> {
          String n = str(resolve(c.param("constraint_name", 0)));
          String t = batch ? batchTable : str(resolve(c.param("table_name", 1)));
          if (t == null) {
            unreadArgs(c);
          } else {
            b.sql("ALTER TABLE " + q(t, c) + " ADD CONSTRAINT " + id(n == null ? "ex_" + t : n)
                + " EXCLUDE USING gist (tollgate_expression WITH =)", c.line());
          }
        }
        default -> b.unread(c.line(), c.text(), "an Alembic operation the probe does not know", Unread.Kind.SCHEMA);
      }
    }

    private void createTable(Call c) {
      String t = str(resolve(c.param("table_name", 0)));
      if (t == null) {
        unreadArgs(c);
        return;
      }
      List<String> parts = new ArrayList<>();
      for (int k = 1; k < c.args().size(); k++) {
        Value v = resolve(c.args().get(k));
        if (!(v instanceof Call part)) {
          continue;
        }
        switch (part.simpleName()) {
          case "Column" -> {
            String def = columnDef(part);
            if (def != null) {
              parts.add(def);
            }
          }
          case "PrimaryKeyConstraint" -> parts.add("PRIMARY KEY (" + String.join(", ", strs(part.args())) + ")");
          case "UniqueConstraint" -> parts.add("UNIQUE (" + String.join(", ", strs(part.args())) + ")");
          case "ForeignKeyConstraint" -> {
            List<String> local = columns(part.arg(0));
            List<String> remote = columns(part.arg(1));
            if (local != null && remote != null && !remote.isEmpty()) {
              String target = remote.get(0).replace("\"", "");
              String refTable = target.contains(".") ? target.substring(0, target.lastIndexOf('.')) : target;
              parts.add("FOREIGN KEY (" + String.join(", ", local) + ") REFERENCES " + id(refTable));
            }
          }
          case "CheckConstraint" -> parts.add("CHECK (" + sqlOf(part.arg(0)) + ")");
          default -> { }
        }
      }
      b.sql("CREATE TABLE " + q(t, c) + " (" + String.join(", ", parts) + ")", c.line());
    }

    private List<String> strs(List<Value> values) {
      List<String> out = new ArrayList<>();
      for (Value v : values) {
        String s = str(resolve(v));
        if (s != null) {
          out.add(id(s));
        }
      }
      return out;
    }

    /** {@code sa.Column("name", sa.String(40), nullable=False, server_default="x", primary_key=True)}. */
    private String columnDef(Call col) {
      String n = str(resolve(col.arg(0)));
      if (n == null) {
        return null;
      }
      Value typeValue = col.args().size() > 1 ? col.arg(1) : col.kw("type_");
      String type = typeValue == null ? "text" : sqlType(typeValue);
      StringBuilder s = new StringBuilder(id(n)).append(' ').append(type);
      boolean pk = truthy(col.kw("primary_key"));
      boolean nullable = col.kw("nullable") == null ? !pk : truthy(col.kw("nullable"));
      if (!nullable && !pk) {
        s.append(" NOT NULL");
      }
      if (col.kw("server_default") != null && !(col.kw("server_default") instanceof Const k && k.name().equals("None"))) {
        s.append(" DEFAULT ").append(serverDefault(col.kw("server_default")));
      }
      if (pk) {
        s.append(" PRIMARY KEY");
      }
      if (col.kw("autoincrement") instanceof Const k && k.name().equals("True") && !pg) {
        s.append(" AUTO_INCREMENT");
      }
      return s.toString();
    }

    private void alterColumn(Call c, String t, String col) {
      if (t == null || col == null) {
        unreadArgs(c);
        return;
      }
      List<String> actions = new ArrayList<>();
      String target = id(col);
      if (c.kw("new_column_name") != null) {
        String to = str(resolve(c.kw("new_column_name")));
        if (to == null) {
          unreadArgs(c);
          return;
        }
        b.sql("ALTER TABLE " + q(t, c) + " RENAME COLUMN " + id(col) + " TO " + id(to), c.line());
        target = id(to);
      }
      if (c.kw("type_") != null) {
        String using = c.kw("postgresql_using") instanceof Str u ? " USING " + u.value() : "";
        actions.add(pg ? "ALTER COLUMN " + target + " TYPE " + sqlType(c.kw("type_")) + using
            : "MODIFY " + target + " " + sqlType(c.kw("type_")));
      }
      if (c.kw("server_default") != null) {
        Value d = c.kw("server_default");
        actions.add("ALTER COLUMN " + target + (d instanceof Const k && (k.name().equals("None") || k.name().equals("False"))
            ? " DROP DEFAULT" : " SET DEFAULT " + serverDefault(d)));
      }
      if (c.kw("nullable") instanceof Const k) {
        boolean nullable = k.name().equals("True");
        actions.add(pg ? "ALTER COLUMN " + target + (nullable ? " DROP NOT NULL" : " SET NOT NULL")
            : "MODIFY " + target + " " + (c.kw("existing_type") != null ? sqlType(c.kw("existing_type")) : "text")
                + (nullable ? " NULL" : " NOT NULL"));
      }
      if (!actions.isEmpty()) {
        b.sql("ALTER TABLE " + q(t, c) + " " + String.join(", ", actions), c.line());
      }
    }

    private List<String> columns(Value v) {
      if (v instanceof Seq s) {
        List<String> out = new ArrayList<>();
        for (Value x : s.items()) {
          Value r = resolve(x);
          if (r instanceof Str st && !st.formatted()) {
            // Alembic quotes plain column names; an expression such as "lower(email)" is used as is.
            out.add(st.value().matches("[A-Za-z_][A-Za-z0-9_.]*") ? id(st.value()) : st.value());
          } else if (r instanceof Call tc && tc.simpleName().equals("text") && tc.arg(0) instanceof Str e) {
            out.add(e.value());
          } else {
            return null;
          }
        }
        return out;
      }
      Value r = resolve(v);
      if (r instanceof Str st && !st.formatted()) {
        return List.of(id(st.value()));
      }
      return null;
    }

    private String q(String table, Call c) {
      String schema = str(resolve(c.kw("schema")));
      return schema == null ? b.qualified(table) : id(schema) + "." + id(table);
    }

    private void unreadArgs(Call c) {
      b.unread(c.line(), c.text(), "arguments the probe cannot read statically", Unread.Kind.SCHEMA);
    }
  }

  static String str(Value v) {
    return v instanceof Str s && !s.formatted() ? s.value() : null;
  }

  private static boolean truthy(Value v) {
    return v instanceof Const k && k.name().equals("True");
  }

  /** {@code sa.text("now()")} → {@code now()}; a plain string is a literal; a number itself. */
  static String serverDefault(Value v) {
    if (v instanceof Call c && (c.simpleName().equals("text") || c.simpleName().equals("literal_column"))
        && c.arg(0) instanceof Str s) {
      return s.value();
    }
    if (v instanceof Call c && c.func().contains("func.")) {
      return c.simpleName() + "()";
    }
    if (v instanceof Str s) {
      return MigrationBuilder.literal(s.value());
    }
    if (v instanceof Num n) {
      return n.text();
    }
    if (v instanceof Const k) {
      return k.name().equals("True") ? "TRUE" : "FALSE";
    }
    return "'value'";
  }

  /** A condition or expression given as a string or {@code sa.text(...)}; anything else is an expression unknown here. */
  static String sqlOf(Value v) {
    if (v instanceof Str s) {
      return s.value();
    }
    if (v instanceof Call c && c.simpleName().equals("text") && c.arg(0) instanceof Str s) {
      return s.value();
    }
    return "tollgate_condition";
  }

  /** SQLAlchemy types as the PostgreSQL dialect names them. */
  static String sqlType(Value v) {
    String kind;
    Call c = null;
    if (v instanceof Call call) {
      c = call;
      kind = call.simpleName();
    } else if (v instanceof Name n) {
      kind = n.dotted().substring(n.dotted().lastIndexOf('.') + 1);
    } else {
      return "text";
    }
    int length = c != null && c.param("length", 0) instanceof Num n ? parse(n.text()) : -1;
    return switch (kind) {
      case "String", "VARCHAR", "Unicode", "NVARCHAR" -> length > 0 ? "varchar(" + length + ")" : "varchar";
      case "Text", "TEXT", "UnicodeText" -> "text";
      case "Integer", "INTEGER", "INT" -> "integer";
      case "BigInteger", "BIGINT" -> "bigint";
      case "SmallInteger", "SMALLINT" -> "smallint";
      case "Boolean", "BOOLEAN" -> "boolean";
      case "DateTime", "TIMESTAMP" -> c != null && truthy(c.kw("timezone")) ? "timestamptz" : "timestamp";
      case "Date", "DATE" -> "date";
      case "Time", "TIME" -> "time";
      case "Interval", "INTERVAL" -> "interval";
      case "Float", "FLOAT", "REAL", "Double", "DOUBLE_PRECISION" -> "double precision";
      case "Numeric", "NUMERIC", "DECIMAL" -> c != null && c.param("precision", 0) instanceof Num p
          ? "numeric(" + p.text() + (c.param("scale", 1) instanceof Num s ? ", " + s.text() : "") + ")" : "numeric";
      case "JSON" -> "json";
      case "JSONB" -> "jsonb";
      case "UUID", "Uuid" -> "uuid";
      case "LargeBinary", "BYTEA", "BLOB" -> "bytea";
      case "ARRAY" -> (c != null && c.arg(0) != null ? sqlType(c.arg(0)) : "text") + "[]";
      case "Enum", "ENUM" -> c != null && c.kw("name") instanceof Str n ? "\"" + n.value() + "\"" : "text";
      case "INET" -> "inet";
      case "CITEXT" -> "citext";
      case "TSVECTOR" -> "tsvector";
      default -> kind.toLowerCase(Locale.ROOT);
    };
  }

  private static int parse(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  // ------------------------------------------------------------------ SQLAlchemy models

  @Override
  public boolean mayDefineModels(String path) {
    return path.endsWith(".py") && !path.contains("/versions/") && !path.contains("/migrations/");
  }

  @Override
  public List<OrmModel> models(String path, String text, RepoFiles files) {
    if (!text.contains("__tablename__") && !text.contains("Table(")) {
      return List.of();
    }
    List<OrmModel> out = new ArrayList<>();
    PythonReader.Result r = PythonReader.read(text);
    collect(path, r.nodes(), out);
    return out;
  }

  private static void collect(String path, List<Node> nodes, List<OrmModel> out) {
    for (Node n : nodes) {
      if (n instanceof ClassDef c) {
        String table = null;
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (Node m : c.body()) {
          if (m instanceof Assign a && a.target().equals("__tablename__") && a.value() instanceof Str s) {
            table = s.value();
          } else if (m instanceof Assign a && a.value() instanceof Call call && (call.simpleName().equals("Column")
              || call.simpleName().equals("mapped_column"))) {
            String target = a.target().contains(":") ? a.target().substring(0, a.target().indexOf(':')).strip() : a.target();
            String col = call.arg(0) instanceof Str s ? s.value() : target;
            columns.put(col, a.line());
          }
        }
        if (table != null) {
          out.add(new OrmModel(Framework.ALEMBIC, c.name(), table, path, c.line(), columns, Map.of(), List.of()));
        }
        collect(path, c.body(), out);
      } else if (n instanceof Assign a && a.value() instanceof Call t && t.simpleName().equals("Table")
          && t.arg(0) instanceof Str name) {
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (Value v : t.args()) {
          if (v instanceof Call col && col.simpleName().equals("Column") && col.arg(0) instanceof Str cn) {
            columns.put(cn.value(), col.line());
          }
        }
        out.add(new OrmModel(Framework.ALEMBIC, a.target(), name.value(), path, a.line(), columns, Map.of(), List.of()));
      }
    }
  }
}
