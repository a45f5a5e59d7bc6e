package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.Framework;
import dev.tollgate.probes.migration.Migration;
import dev.tollgate.probes.migration.OrmModel;
import dev.tollgate.probes.migration.Unread;
import dev.tollgate.probes.migration.framework.Code.Arg;
import dev.tollgate.probes.migration.framework.Code.Arr;
import dev.tollgate.probes.migration.framework.Code.Call;
import dev.tollgate.probes.migration.framework.Code.Expr;
import dev.tollgate.probes.migration.framework.Code.Fn;
import dev.tollgate.probes.migration.framework.Code.Name;
import dev.tollgate.probes.migration.framework.Code.Node;
import dev.tollgate.probes.migration.framework.Code.Num;
import dev.tollgate.probes.migration.framework.Code.Obj;
import dev.tollgate.probes.migration.framework.Code.Stmt;
import dev.tollgate.probes.migration.framework.Code.Str;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ecto migrations ({@code priv/repo/migrations/*.exs}): {@code create/alter/drop table} with {@code add},
 * {@code remove}, {@code modify}, {@code timestamps} and {@code references}, {@code create/drop index} (with
 * {@code concurrently:}), {@code rename}, {@code constraint}s and {@code execute} SQL, rendered as ecto_sql's
 * PostgreSQL and MySQL adapters generate them. Transactions: one per migration unless
 * {@code @disable_ddl_transaction true}; even then the default migration lock ({@code :table_lock}) runs the migration
 * inside its own transaction unless {@code @disable_migration_lock true} or the repo uses
 * {@code migration_lock: :pg_advisory_lock}. Schemas ({@code schema "users" do field ... end}) feed the old-code
 * check. docs/rules/migration/ecto.md.
 */
public final class EctoReader implements FrameworkReader {
  private static final Pattern PATH = Pattern.compile("(^|.*/)priv/[^/]+/migrations/(.+/)?[^/]+\\.exs");
  private static final Pattern VERSION = Pattern.compile("(\\d{8,17})_.*");

  @Override
  public Framework framework() {
    return Framework.ECTO;
  }

  @Override
  public boolean claims(String path) {
    return PATH.matcher(path).matches();
  }

  @Override
  public boolean claimsContent(String path, String text) {
    return path.endsWith(".exs") && text.contains("Ecto.Migration");
  }

  @Override
  public Migration read(MigrationSource source) {
    if (!source.text().contains("Ecto.Migration") && !source.text().contains("def change")
        && !source.text().contains("def up")) {
      return null;
    }
    List<Stmt> stmts = ElixirParser.parse(source.text());
    Map<String, Node> attrs = new LinkedHashMap<>();
    Map<String, Fn> defs = new LinkedHashMap<>();
    collect(stmts, attrs, defs, 0);
    Fn body = defs.containsKey("change") ? defs.get("change") : defs.get("up");
    if (body == null) {
      return null;
    }
    Matcher vm = VERSION.matcher(source.fileName());
    String root = appRoot(source.path());
    Dialect dialect = Dialects.of(source, () -> hint(source, root));
    MigrationBuilder b = new MigrationBuilder(source, Framework.ECTO, vm.matches() ? vm.group(1) : null, dialect);
    boolean noDdlTx = Boolean.TRUE.equals(CodeReading.bool(attrs.get("disable_ddl_transaction")));
    boolean noLock = Boolean.TRUE.equals(CodeReading.bool(attrs.get("disable_migration_lock")))
        || advisoryLock(source, root);
    int line = body.line();
    if (!noDdlTx) {
      b.unit("Ecto runs this migration in a transaction", line, true);
    } else if (!noLock && dialect == Dialect.POSTGRESQL) {
      b.unit("Ecto's default migration lock (:table_lock) runs this migration inside its lock's transaction even with"
          + " @disable_ddl_transaction", line, true);
    } else {
      b.unit("@disable_ddl_transaction true: Ecto runs this migration without a transaction", line, false);
    }
    Reading r = new Reading(source, b, defs.containsKey("change"));
    r.statements(body.statements());
    if (defs.containsKey("down") ? !defs.get("down").statements().isEmpty() : r.reversible) {
      b.wayBack(defs.containsKey("down") ? "its down/0 function" : "its reversible change/0");
    }
    return b.build();
  }

  /** Module attributes and {@code def}s anywhere in the file (inside {@code defmodule}). */
  private static void collect(List<Stmt> stmts, Map<String, Node> attrs, Map<String, Fn> defs, int depth) {
    if (depth > 6) {
      return;
    }
    for (Stmt s : stmts) {
      if (!(s instanceof Expr e) || !(e.expr() instanceof Call c)) {
        continue;
      }
      String name = c.name();
      if (name.startsWith("@")) {
        attrs.put(name.substring(1), c.arg(0));
      } else if ((name.equals("def") || name.equals("defp")) && c.arg(0) != null) {
        Node head = c.arg(0);
        String fn = head instanceof Name n ? n.name() : head instanceof Call hc ? hc.name() : null;
        Node block = c.named("do");
        if (fn != null && block instanceof Fn f) {
          defs.putIfAbsent(fn, f);
        } else if (fn != null && block != null) {
          defs.putIfAbsent(fn, new Fn(fn, List.of(), List.of(new Expr(block, block.line())), null, c.line(),
              c.line()));
        }
      } else if (name.equals("defmodule") && c.named("do") instanceof Fn f) {
        collect(f.statements(), attrs, defs, depth + 1);
      }
    }
  }

  /** The application's directory: what precedes {@code priv/}. */
  private static String appRoot(String path) {
    int at = path.lastIndexOf("priv/");
    return at < 0 ? "" : path.substring(0, at);
  }

  private static Dialect hint(MigrationSource source, String root) {
    for (String f : List.of(root + "mix.exs", "mix.exs")) {
      String text = source.files().read(f).orElse("");
      if (text.contains(":myxql") || text.contains(":mariaex")) {
        return Dialect.MYSQL;
      }
      if (text.contains(":postgrex")) {
        return Dialect.POSTGRESQL;
      }
    }
    return Dialect.POSTGRESQL;
  }

  /** The repo's configuration uses advisory locks (or none) for migrations. */
  private static boolean advisoryLock(MigrationSource source, String root) {
    for (String dir : List.of(root + "config/", "config/")) {
      for (String f : List.of("config.exs", "prod.exs", "runtime.exs", "releases.exs")) {
        String text = source.files().read(dir + f).orElse("");
        if (text.matches("(?s).*migration_lock:\\s*(:pg_advisory_lock|false|nil).*")) {
          return true;
        }
      }
    }
    return false;
  }

  // ------------------------------------------------------------------------------------------------ reading

  private static final class Reading extends CodeReading {
    private final boolean change;
    boolean reversible = true;

    Reading(MigrationSource source, MigrationBuilder b, boolean change) {
      super(source, b);
      this.change = change;
      this.consts = Code.Constants.of(List.of());
    }

    @Override
    String str(Node n) {
      if (n instanceof Str s && s.plain()) {
        return s.value();
      }
      return null;
    }

    @Override
    boolean operation(Chain chain, Node whole) {
      Call op = chain.last();
      int line = op.line();
      Node root = chain.root();
      String name = op.name();
      // repo().query!("SQL"), Repo.query(...), Ecto.Adapters.SQL.query!(repo(), "SQL")
      if (name.equals("query") || name.equals("query!")) {
        Node sql = root instanceof Name n && n.name().endsWith("SQL") ? op.arg(1) : op.arg(0);
        rawSql(sql, line, "a query");
        return true;
      }
      if (root == null && chain.calls().size() == 1) {
        switch (name) {
          case "create", "create_if_not_exists" -> create(op, line);
          case "alter" -> alter(op, line);
          case "drop", "drop_if_exists" -> drop(op, line);
          case "rename" -> rename(op, line);
          case "execute" -> execute(op, line);
          case "execute_file" -> b.unread(line, lineText(line), "SQL read from a file at run time", Unread.Kind.SCHEMA);
          case "flush", "direction", "prefix", "repo", "timestamps_opts", "require", "alias", "import", "use" -> { }
          case "if", "unless", "case", "cond", "with", "for" -> {
            for (Arg a : op.args()) {
              if (a.value() instanceof Fn fn) {
                body(fn);
              }
            }
          }
          case "from", "update_all", "insert_all", "delete_all" -> data(line);
          default -> {
            return false;
          }
        }
        return true;
      }
      if (root instanceof Name n && (n.name().equals("Logger") || n.name().equals("IO"))) {
        return true;
      }
      if (root instanceof Name n && Character.isUpperCase(n.name().charAt(0)) && !n.name().startsWith("Ecto.")
          && (name.equals("create_type") || name.equals("drop_type"))) {
        b.unread(line, lineText(line), "creates or drops a database type through " + n.name(), Unread.Kind.SCHEMA);
        return true;
      }
      // The application's modules (Repo, Enum over rows, its own contexts): code on the data. Schema changes go
      // through Ecto.Migration's commands, read above.
      if (root instanceof Call || root instanceof Name n2 && Character.isUpperCase(n2.name().charAt(0))
          && !n2.name().startsWith("Ecto.Migration")) {
        data(line);
        return true;
      }
      return false;
    }

    private void data(int line) {
      b.unread(line, lineText(line), "application code on the data", Unread.Kind.DATA);
    }

    @Override
    void unrecognized(Chain chain, int line) {
      b.unread(line, lineText(line), "a call the probe does not know", Unread.Kind.SCHEMA);
    }

    @Override
    void expression(Node e) {
      if (e instanceof Str || e instanceof Name || e instanceof Num) {
        return; // :ok, a value as the last expression
      }
      super.expression(e);
    }

    private String prefixed(String table, Node opts) {
      String prefix = opts == null ? null : kw(opts, "prefix");
      return prefix == null ? table : prefix + "." + table;
    }

    /** A keyword option of a call's trailing keyword list (named arguments) or a keyword list node. */
    private String kw(Node opts, String key) {
      Node v = kwNode(opts, key);
      return v == null ? null : v instanceof Num n ? n.text() : str(v);
    }

    private static Node kwNode(Node opts, String key) {
      if (opts instanceof Obj o) {
        return o.get(key);
      }
      if (opts instanceof Arr a) {
        for (Arg x : a.items()) {
          if (key.equals(x.name())) {
            return x.value();
          }
        }
      }
      return null;
    }

    /** The keyword arguments of a call as one list. */
    private static Obj options(Call c) {
      List<Arg> kws = new ArrayList<>();
      for (Arg a : c.args()) {
        if (a.name() != null && !Set.of("do", "else").contains(a.name())) {
          kws.add(a);
        } else if (a.value() instanceof Obj o) {
          kws.addAll(o.entries());
        } else if (a.value() instanceof Arr arr && !arr.items().isEmpty() && arr.items().get(0).name() != null) {
          kws.addAll(arr.items());
        }
      }
      return new Obj(kws, c.line());
    }

    private String ectoType(Node type, Obj opts) {
      boolean my = ddl.mysql();
      if (type instanceof Arr tuple && tuple.items().size() >= 2 && str(tuple.items().get(0).value()) != null) {
        String kind = str(tuple.items().get(0).value());
        if (kind.equals("array")) {
          String inner = ectoType(tuple.items().get(1).value(), new Obj(List.of(), type.line()));
          return inner == null ? null : inner + "[]";
        }
        if (kind.equals("map")) {
          return my ? "json" : "jsonb";
        }
        return null;
      }
      String t = str(type);
      if (t == null) {
        return null;
      }
      String size = kw(opts, "size");
      String precision = kw(opts, "precision");
      String scale = kw(opts, "scale");
      return switch (t) {
        case "string" -> "varchar(" + (size == null ? "255" : size) + ")";
        case "id", "integer" -> my ? "int" : "integer";
        case "bigint" -> "bigint";
        case "serial" -> my ? "int unsigned not null auto_increment" : "serial";
        case "bigserial" -> my ? "bigint unsigned not null auto_increment" : "bigserial";
        case "binary_id", "uuid" -> my ? "binary(16)" : "uuid";
        case "binary" -> my ? "blob" : "bytea";
        case "map", "jsonb" -> my ? "json" : "jsonb";
        case "boolean" -> "boolean";
        case "float" -> my ? "double" : "float";
        case "decimal", "numeric" -> precision == null ? "decimal" : "decimal(" + precision + ","
            + (scale == null ? "0" : scale) + ")";
        case "naive_datetime", "utc_datetime" -> my ? "datetime" : "timestamp(0)";
        case "naive_datetime_usec", "utc_datetime_usec" -> my ? "datetime(6)" : "timestamp";
        case "text", "date", "time", "citext", "timestamptz", "timestamp", "inet", "tsvector", "interval", "money",
            "smallint", "time_usec" -> t;
        default -> size == null ? t : t + "(" + size + ")";
      };
    }

    private String defaultSql(Node d) {
      if (d == null) {
        return null;
      }
      if (d instanceof Num n) {
        return n.text();
      }
      Boolean bv = bool(d);
      if (bv != null) {
        return ddl.mysql() ? (bv ? "1" : "0") : bv.toString();
      }
      if (d instanceof Name n && n.name().equals("nil")) {
        return "NULL";
      }
      if (d instanceof Call c && c.name().equals("fragment")) {
        String raw = str(c.arg(0));
        return raw == null ? "'?'" : raw;
      }
      String s = str(d);
      return MigrationBuilder.literal(s == null ? "?" : s);
    }

    /** {@code add :name, type, opts} (or {@code references(...)} as the type): the column definition and FK clause. */
    private String[] column(Call add, String table) {
      String name = str(add.arg(0));
      Node type = add.arg(1);
      Obj opts = options(add);
      if (name == null || type == null) {
        return null;
      }
      String fk = null;
      String sqlType;
      if (type instanceof Call ref && ref.name().equals("references")) {
        String refTable = str(ref.arg(0));
        Obj ro = options(ref);
        if (refTable == null) {
          return null;
        }
        String refType = kwNode(ro, "type") != null ? ectoType(kwNode(ro, "type"), ro) : "bigint";
        sqlType = refType == null ? "bigint" : refType.equals("bigserial") ? "bigint" : refType.equals("serial")
            ? "integer" : refType;
        String refCol = kw(ro, "column");
        String fkName = kw(ro, "name");
        String onDelete = kw(ro, "on_delete");
        boolean notValid = Boolean.FALSE.equals(bool(kwNode(ro, "validate")));
        fk = "CONSTRAINT " + b.ident(fkName == null ? table.substring(table.lastIndexOf('.') + 1) + "_" + name
            + "_fkey" : fkName) + " FOREIGN KEY (" + b.ident(name) + ") REFERENCES " + ddl.q(prefixed(refTable, ro))
            + " (" + b.ident(refCol == null ? "id" : refCol) + ")" + onDelete(onDelete) + (notValid && !ddl.mysql()
            ? " NOT VALID" : "");
      } else {
        sqlType = ectoType(type, opts);
        if (sqlType == null && type instanceof Call && add.name().startsWith("add")) {
          // A type computed in Elixir (an EctoEnum's MyEnum.type()): what matters to a new column is its nullability
          // and default, read as written; the type itself stays unknown.
          sqlType = "unknown_type";
        }
        if (sqlType == null) {
          return null;
        }
      }
      StringBuilder def = new StringBuilder(b.ident(name)).append(' ').append(sqlType);
      Node dflt = kwNode(opts, "default");
      if (dflt != null) {
        def.append(" DEFAULT ").append(defaultSql(dflt));
      }
      Boolean nullable = bool(kwNode(opts, "null"));
      if (Boolean.FALSE.equals(nullable)) {
        def.append(" NOT NULL");
      } else if (Boolean.TRUE.equals(nullable)) {
        def.append(" NULL");
      }
      if (Boolean.TRUE.equals(bool(kwNode(opts, "primary_key")))) {
        def.append(" PRIMARY KEY");
      }
      if (kw(opts, "generated") != null) {
        def.append(" GENERATED ").append(kw(opts, "generated"));
      }
      return new String[] {def.toString(), fk};
    }

    private static String onDelete(String action) {
      if (action == null) {
        return "";
      }
      return switch (action) {
        case "delete_all" -> " ON DELETE CASCADE";
        case "nilify_all" -> " ON DELETE SET NULL";
        case "restrict" -> " ON DELETE RESTRICT";
        default -> "";
      };
    }

    private String tableOf(Node n) {
      if (n instanceof Call t && t.name().equals("table")) {
        String name = str(t.arg(0));
        return name == null ? null : prefixed(name, options(t));
      }
      return null;
    }

    private void create(Call op, int line) {
      Node what = op.arg(0);
      boolean ifNotExists = op.name().endsWith("if_not_exists");
      if (what instanceof Call c && (c.name().equals("index") || c.name().equals("unique_index"))) {
        index(c, ifNotExists, line);
        return;
      }
      if (what instanceof Call c && c.name().equals("constraint")) {
        constraint(c, line);
        return;
      }
      String table = tableOf(what);
      if (table == null) {
        b.unread(line, lineText(line), "create of something the probe cannot read", Unread.Kind.SCHEMA);
        return;
      }
      Obj topts = options((Call) what);
      List<String> cols = new ArrayList<>();
      Node pk = kwNode(topts, "primary_key");
      if (!Boolean.FALSE.equals(bool(pk))) {
        cols.add(b.ident("id") + " " + (ddl.mysql() ? "bigint unsigned not null auto_increment" : "bigserial")
            + " PRIMARY KEY");
      }
      if (op.named("do") instanceof Fn block) {
        for (Stmt s : block.statements()) {
          if (!(s instanceof Expr e) || !(e.expr() instanceof Call c)) {
            continue;
          }
          switch (c.name()) {
            case "add", "add_if_not_exists" -> {
              String[] col = column(c, table);
              if (col == null) {
                b.unread(c.line(), lineText(c.line()), "a column the probe cannot read", Unread.Kind.SCHEMA);
              } else {
                cols.add(col[0]);
                if (col[1] != null) {
                  cols.add(col[1]); // ecto_sql puts the reference after its column, as a table constraint
                }
              }
            }
            case "timestamps" -> cols.addAll(timestamps(c));
            default -> b.unread(c.line(), lineText(c.line()), "a table definition the probe does not know",
                Unread.Kind.SCHEMA);
          }
        }
      }
      b.sql("CREATE TABLE " + (ifNotExists ? "IF NOT EXISTS " : "") + ddl.q(table) + " (" + String.join(", ", cols)
          + ")", line);
    }

    private List<String> timestamps(Call c) {
      Obj o = options(c);
      String type = kwNode(o, "type") != null ? ectoType(kwNode(o, "type"), o) : ectoType(new Str(List.of(
          "naive_datetime"), c.line(), 0, 0), o);
      Boolean nullable = bool(kwNode(o, "null"));
      String nn = Boolean.TRUE.equals(nullable) ? "" : " NOT NULL"; // Ecto's timestamps default to null: false
      String dflt = kwNode(o, "default") != null ? " DEFAULT " + defaultSql(kwNode(o, "default")) : "";
      List<String> out = new ArrayList<>();
      String ins = kw(o, "inserted_at") == null ? "inserted_at" : kw(o, "inserted_at");
      String upd = kw(o, "updated_at") == null ? "updated_at" : kw(o, "updated_at");
      if (!Boolean.FALSE.equals(bool(kwNode(o, "inserted_at")))) {
        out.add(b.ident(ins) + " " + type + dflt + nn);
      }
      if (!Boolean.FALSE.equals(bool(kwNode(o, "updated_at")))) {
        out.add(b.ident(upd) + " " + type + dflt + nn);
      }
      return out;
    }

    /** {@code alter table(:t) do ... end}: Ecto sends one ALTER TABLE with every change, on the alter's line. */
    private void alter(Call op, int line) {
      String table = tableOf(op.arg(0));
      if (table == null || !(op.named("do") instanceof Fn block)) {
        b.unread(line, lineText(line), "alter of a table the probe cannot read", Unread.Kind.SCHEMA);
        return;
      }
      List<String> changes = new ArrayList<>();
      for (Stmt s : block.statements()) {
        if (!(s instanceof Expr e) || !(e.expr() instanceof Call c)) {
          continue;
        }
        int cl = c.line();
        switch (c.name()) {
          case "add", "add_if_not_exists" -> {
            String[] col = column(c, table);
            if (col == null) {
              b.unread(cl, lineText(cl), "a column the probe cannot read", Unread.Kind.SCHEMA);
              continue;
            }
            changes.add("ADD COLUMN " + (c.name().endsWith("exists") ? "IF NOT EXISTS " : "") + col[0]);
            if (col[1] != null) {
              changes.add("ADD " + col[1]);
            }
          }
          case "remove", "remove_if_exists" -> {
            String col = str(c.arg(0));
            if (col == null) {
              b.unread(cl, lineText(cl), "removes a column named at run time", Unread.Kind.SCHEMA);
              continue;
            }
            if (c.arg(1) == null && change) {
              reversible = false; // remove/1 in change/0 cannot be reversed
            }
            changes.add("DROP COLUMN " + (c.name().endsWith("exists") ? "IF EXISTS " : "") + b.ident(col));
          }
          case "modify" -> {
            String col = str(c.arg(0));
            Obj opts = options(c);
            String type = c.arg(1) instanceof Call ref && ref.name().equals("references") ? "bigint"
                : ectoType(c.arg(1), opts);
            if (col == null || type == null) {
              b.unread(cl, lineText(cl), "modifies a column the probe cannot read", Unread.Kind.SCHEMA);
              continue;
            }
            if (change && kwNode(opts, "from") == null) {
              reversible = false; // modify/3 in change/0 needs from: to be reversed
            }
            if (ddl.mysql()) {
              String[] def = column(c, table);
              changes.add("MODIFY " + (def == null ? b.ident(col) + " " + type : def[0]));
              continue;
            }
            changes.add("ALTER COLUMN " + b.ident(col) + " TYPE " + type);
            Boolean nullable = bool(kwNode(opts, "null"));
            if (nullable != null) {
              changes.add("ALTER COLUMN " + b.ident(col) + (nullable ? " DROP NOT NULL" : " SET NOT NULL"));
            }
            if (kwNode(opts, "default") != null) {
              changes.add("ALTER COLUMN " + b.ident(col) + " SET DEFAULT " + defaultSql(kwNode(opts, "default")));
            }
          }
          case "timestamps" -> timestamps(c).forEach(t -> changes.add("ADD COLUMN " + t));
          default -> b.unread(cl, lineText(cl), "a table change the probe does not know", Unread.Kind.SCHEMA);
        }
      }
      if (!changes.isEmpty()) {
        b.sql("ALTER TABLE " + ddl.q(table) + " " + String.join(", ", changes), line);
      }
    }

    private static String indexName(String table, List<String> cols) {
      List<String> parts = new ArrayList<>();
      parts.add(table.substring(table.lastIndexOf('.') + 1));
      parts.addAll(cols);
      parts.add("index");
      List<String> clean = new ArrayList<>();
      for (String s : parts) {
        clean.add(s.replaceAll("[^\\w]", "_").replaceAll("_+$", ""));
      }
      return String.join("_", clean);
    }

    private void index(Call c, boolean ifNotExists, int line) {
      String table = str(c.arg(0));
      List<String> cols = c.arg(1) == null ? null : strings(c.arg(1));
      Obj opts = options(c);
      if (table == null || cols == null) {
        b.unread(line, lineText(line), "an index the probe cannot read", Unread.Kind.SCHEMA);
        return;
      }
      table = prefixed(table, opts);
      String name = kw(opts, "name");
      boolean unique = c.name().equals("unique_index") || Boolean.TRUE.equals(bool(kwNode(opts, "unique")));
      boolean concurrently = Boolean.TRUE.equals(bool(kwNode(opts, "concurrently")));
      String where = kw(opts, "where");
      String using = kw(opts, "using");
      String sql = ddl.createIndex(name == null ? indexName(table, cols) : name, table, cols, unique, concurrently,
          using, where);
      b.sql(ifNotExists ? sql.replaceFirst("INDEX ", "INDEX IF NOT EXISTS ").replace("IF NOT EXISTS CONCURRENTLY ",
          "CONCURRENTLY IF NOT EXISTS ") : sql, line);
    }

    private void constraint(Call c, int line) {
      String table = str(c.arg(0));
      String name = str(c.arg(1));
      Obj opts = options(c);
      if (table == null || name == null) {
        b.unread(line, lineText(line), "a constraint the probe cannot read", Unread.Kind.SCHEMA);
        return;
      }
      boolean notValid = Boolean.FALSE.equals(bool(kwNode(opts, "validate")));
      String check = kw(opts, "check");
      String exclude = kw(opts, "exclude");
      if (check != null) {
        b.sql(ddl.addCheck(prefixed(table, opts), name, check, notValid), line);
      } else if (exclude != null) {
        b.sql("ALTER TABLE " + ddl.q(prefixed(table, opts)) + " ADD CONSTRAINT " + b.ident(name) + " EXCLUDE " + exclude,
            line);
      } else {
        b.unread(line, lineText(line), "a constraint the probe cannot read", Unread.Kind.SCHEMA);
      }
    }

    private void drop(Call op, int line) {
      Node what = op.arg(0);
      boolean ifExists = op.name().endsWith("if_exists");
      if (what instanceof Call c && (c.name().equals("index") || c.name().equals("unique_index"))) {
        String table = str(c.arg(0));
        List<String> cols = c.arg(1) == null ? List.of() : strings(c.arg(1));
        Obj opts = options(c);
        String name = kw(opts, "name");
        if (name == null && (table == null || cols == null)) {
          b.unread(line, lineText(line), "drops an index the probe cannot read", Unread.Kind.SCHEMA);
          return;
        }
        b.sql(ddl.dropIndex(name == null ? indexName(table, cols) : name, table,
            Boolean.TRUE.equals(bool(kwNode(opts, "concurrently"))), ifExists), line);
        return;
      }
      if (what instanceof Call c && c.name().equals("constraint")) {
        String table = str(c.arg(0));
        String name = str(c.arg(1));
        if (table == null || name == null) {
          b.unread(line, lineText(line), "drops a constraint the probe cannot read", Unread.Kind.SCHEMA);
        } else {
          b.sql(ddl.dropConstraint(prefixed(table, options(c)), name), line);
        }
        return;
      }
      String table = tableOf(what);
      if (table == null) {
        b.unread(line, lineText(line), "drops something the probe cannot read", Unread.Kind.SCHEMA);
        return;
      }
      if (change) {
        reversible = false; // drop of a table in change/0 without its definition
      }
      b.sql(ddl.dropTable(table, ifExists) + ("cascade".equals(kw(options(op), "mode")) ? " CASCADE" : ""), line);
    }

    private void rename(Call op, int line) {
      String table = tableOf(op.arg(0));
      Obj opts = options(op);
      Node to = kwNode(opts, "to");
      if (table == null) {
        b.unread(line, lineText(line), "a rename the probe cannot read", Unread.Kind.SCHEMA);
        return;
      }
      if (to instanceof Call) {
        String newTable = tableOf(to);
        if (newTable == null) {
          b.unread(line, lineText(line), "a rename the probe cannot read", Unread.Kind.SCHEMA);
        } else {
          b.sql(ddl.renameTable(table, newTable.substring(newTable.lastIndexOf('.') + 1)), line);
        }
        return;
      }
      String from = str(op.arg(1));
      String newName = str(to);
      if (from == null || newName == null) {
        b.unread(line, lineText(line), "a rename the probe cannot read", Unread.Kind.SCHEMA);
      } else {
        b.sql(ddl.renameColumn(table, from, newName), line);
      }
    }

    private void execute(Call op, int line) {
      Node sql = op.arg(0);
      if (op.arg(1) == null && change) {
        reversible = false; // execute/1 in change/0 cannot be reversed
      }
      if (sql instanceof Fn fn) {
        body(fn);
        return;
      }
      if (sql instanceof Arr list) {
        for (Arg a : list.items()) {
          rawSql(a.value(), line, "execute");
        }
        return;
      }
      rawSql(sql, line, "execute");
    }
  }

  // ------------------------------------------------------------------------------------------------ schemas

  @Override
  public boolean mayDefineModels(String path) {
    return path.endsWith(".ex") && !path.contains("/priv/");
  }

  @Override
  public List<OrmModel> models(String path, String text, RepoFiles files) {
    if (!text.contains("schema \"") || !text.contains("Ecto.Schema")) {
      return List.of();
    }
    List<OrmModel> out = new ArrayList<>();
    List<Stmt> stmts = ElixirParser.parse(text);
    schemas(path, stmts, null, out, 0);
    return out;
  }

  private static void schemas(String path, List<Stmt> stmts, String module, List<OrmModel> out, int depth) {
    if (depth > 6) {
      return;
    }
    boolean binaryId = false;
    for (Stmt s : stmts) {
      if (!(s instanceof Expr e) || !(e.expr() instanceof Call c)) {
        continue;
      }
      if (c.name().equals("defmodule") && c.named("do") instanceof Fn f) {
        String name = c.arg(0) instanceof Name n ? n.name() : "?";
        schemas(path, f.statements(), name.substring(name.lastIndexOf('.') + 1), out, depth + 1);
      } else if (c.name().equals("@primary_key")) {
        binaryId = c.arg(0) instanceof Name n && n.name().equals("false");
      } else if (c.name().equals("schema") && c.arg(0) instanceof Str table && table.plain()
          && c.named("do") instanceof Fn body) {
        Map<String, Integer> cols = new LinkedHashMap<>();
        if (!binaryId) {
          cols.put("id", c.line());
        }
        for (Stmt f : body.statements()) {
          if (!(f instanceof Expr fe) || !(fe.expr() instanceof Call field)) {
            continue;
          }
          String fname = field.arg(0) instanceof Str fs && fs.plain() ? fs.value() : null;
          Obj opts = Reading.options(field);
          switch (field.name()) {
            case "field", "embeds_one", "embeds_many" -> {
              Node source = opts.get("source");
              String col = source instanceof Str ss && ss.plain() ? ss.value() : fname;
              if (col != null && !(opts.get("virtual") instanceof Name v && v.name().equals("true"))) {
                cols.putIfAbsent(col, field.line());
              }
            }
            case "belongs_to" -> {
              Node fk = opts.get("foreign_key");
              String col = fk instanceof Str fks && fks.plain() ? fks.value() : fname == null ? null : fname + "_id";
              if (col != null && !(opts.get("define_field") instanceof Name d && d.name().equals("false"))) {
                cols.putIfAbsent(col, field.line());
              }
            }
            case "timestamps" -> {
              cols.putIfAbsent("inserted_at", field.line());
              cols.putIfAbsent("updated_at", field.line());
            }
            default -> { }
          }
        }
        out.add(new OrmModel(Framework.ECTO, module == null ? table.value() : module, table.value(), path, c.line(),
            cols, Map.of(), List.of()));
      }
    }
  }
}
