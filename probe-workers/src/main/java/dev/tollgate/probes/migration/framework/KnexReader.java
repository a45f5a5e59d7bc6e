package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.Framework;
import dev.tollgate.probes.migration.Migration;
import dev.tollgate.probes.migration.Unread;
import dev.tollgate.probes.migration.framework.Code.Arg;
import dev.tollgate.probes.migration.framework.Code.Call;
import dev.tollgate.probes.migration.framework.Code.Fn;
import dev.tollgate.probes.migration.framework.Code.Member;
import dev.tollgate.probes.migration.framework.Code.Name;
import dev.tollgate.probes.migration.framework.Code.Node;
import dev.tollgate.probes.migration.framework.Code.Num;
import dev.tollgate.probes.migration.framework.Code.Obj;
import dev.tollgate.probes.migration.framework.Code.Stmt;
import dev.tollgate.probes.migration.framework.CodeLexer.Lang;
import dev.tollgate.probes.migration.framework.Ddl.Column;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Knex migrations ({@code exports.up = knex => knex.schema...}, {@code export async function up(knex)}): the schema
 * builder ({@code createTable/alterTable/table/dropTable/renameTable} and the table builder's columns, modifiers,
 * {@code .alter()}, drops, renames, indexes and foreign keys) rendered as Knex's PostgreSQL and MySQL compilers do,
 * {@code knex.raw} SQL, and the transaction model: Knex runs each migration in a transaction unless it exports
 * {@code config = { transaction: false }} (or the knexfile sets {@code disableTransactions}).
 * docs/rules/migration/knex.md.
 */
public final class KnexReader implements FrameworkReader {
  private static final Pattern VERSION = Pattern.compile("(\\d{8,17})[_-].*");
  private static final Pattern CONTENT = Pattern.compile("\\.schema\\b|\\bknex\\.raw\\b|\\bknex\\b.*\\bup\\b|"
      + "exports\\.up\\s*=|export\\s+(async\\s+)?function\\s+up\\b|export\\s+const\\s+up\\b");

  @Override
  public Framework framework() {
    return Framework.KNEX;
  }

  @Override
  public boolean claims(String path) {
    return JsModule.MIGRATION_DIR_FILE.matcher(path).matches();
  }

  @Override
  public boolean confirms(String path, String text) {
    // TypeORM and Sequelize migrations live in the same directories: theirs when they use their own APIs.
    return !text.contains("queryInterface") && !text.contains("MigrationInterface") && !text.contains("queryRunner")
        && !text.contains("pgm.") && !text.contains("@mikro-orm") && !text.contains("Kysely")
        && CONTENT.matcher(text).find();
  }

  @Override
  public boolean claimsContent(String path, String text) {
    return path.matches(".*\\.(js|ts|mjs|cjs|mts|cts)") && confirms(path, text) && text.contains("knex");
  }

  @Override
  public Migration read(MigrationSource source) {
    if (!confirms(source.path(), source.text())) {
      return null;
    }
    List<Stmt> stmts = CodeParser.parse(source.text(), Lang.JS);
    JsModule module = JsModule.of(stmts);
    Fn up = module.function("up");
    if (up == null) {
      return null; // a helper module (knexfile, seed utilities) beside the migrations
    }
    Matcher vm = VERSION.matcher(source.fileName());
    Knexfile knexfile = Knexfile.find(source);
    Dialect dialect = Dialects.of(source, knexfile::dialect);
    MigrationBuilder b = new MigrationBuilder(source, Framework.KNEX, vm.matches() ? vm.group(1) : null, dialect);
    Boolean own = module.value("config") instanceof Obj config ? CodeReading.bool(config.get("transaction")) : null;
    boolean tx = own != null ? own : !knexfile.disableTransactions;
    String label = tx ? "Knex runs this migration in a transaction"
        : own != null ? "this migration exports config = { transaction: false }, so Knex runs it without a transaction"
        : "the knexfile sets disableTransactions, so Knex runs this migration without a transaction";
    b.unit(label, up.line(), tx);
    Reading r = new Reading(source, b, up.params().isEmpty() ? "knex" : up.params().get(0));
    r.consts = Code.Constants.of(stmts);
    r.statements(up.statements());
    Fn down = module.function("down");
    if (down != null && !down.statements().isEmpty()) {
      b.wayBack("its exported down function");
    }
    return b.build();
  }

  /** What the application's knexfile says: the client (dialect) and whether transactions are disabled. */
  private record Knexfile(Dialect dialect, boolean disableTransactions) {
    static Knexfile find(MigrationSource source) {
      String dir = source.directory();
      while (true) {
        for (String name : List.of("knexfile.js", "knexfile.ts", "knexfile.cjs", "knexfile.mjs")) {
          String text = source.files().read(dir + name).orElse(null);
          if (text != null) {
            Matcher m = Pattern.compile("client\\s*:\\s*['\"`]([\\w-]+)").matcher(text);
            Dialect d = Dialect.POSTGRESQL;
            if (m.find()) {
              String client = m.group(1).toLowerCase(Locale.ROOT);
              d = client.startsWith("mysql") || client.equals("mariadb") ? Dialect.MYSQL : Dialect.POSTGRESQL;
            }
            return new Knexfile(d, Pattern.compile("disableTransactions\\s*:\\s*true").matcher(text).find());
          }
        }
        if (dir.isEmpty()) {
          return new Knexfile(Dialect.POSTGRESQL, false);
        }
        int slash = dir.lastIndexOf('/', dir.length() - 2);
        dir = slash < 0 ? "" : dir.substring(0, slash + 1);
      }
    }
  }

  // ------------------------------------------------------------------------------------------------ reading

  private static final class Reading extends JsReading {
    private final Set<String> knex = new HashSet<>();

    Reading(MigrationSource source, MigrationBuilder b, String knexParam) {
      super(source, b);
      knex.add(knexParam);
      knex.add("knex");
    }

    @Override
    Set<String> connectionNames() {
      return knex;
    }

    private boolean isKnex(Node n) {
      return n instanceof Name nm && knex.contains(nm.name())
          || n instanceof Member m && m.name().equals("knex") && m.target() instanceof Name t && t.name().equals("this");
    }

    private boolean isSchema(Node n) {
      return n instanceof Member m && m.name().equals("schema") && isKnex(m.target());
    }

    @Override
    boolean operation(Chain chain, Node whole) {
      Node root = chain.root();
      Call first = chain.first();
      if (isSchema(root)) {
        for (Call op : chain.calls()) {
          schema(op);
        }
        return true;
      }
      if (isKnex(root)) {
        switch (first.name()) {
          case "raw" -> {
            rawSql(first.arg(0), first.line(), "knex.raw");
            return true;
          }
          case "transaction" -> {
            if (first.arg(0) instanceof Fn fn) {
              if (!fn.params().isEmpty()) {
                knex.add(fn.params().get(0));
              }
              body(fn);
            }
            return true;
          }
          case "select", "from", "table", "batchInsert", "insert", "update", "del", "delete", "where", "into" -> {
            dataChain(chain, first.line());
            return true;
          }
          case "fn" -> {
            return true;
          }
          default -> {
            return false;
          }
        }
      }
      if (chain.root() == null && knex.contains(first.name())) { // knex('users').update(...)
        dataChain(chain, first.line());
        return true;
      }
      return false;
    }

    private void dataChain(Chain chain, int line) {
      Set<String> writes = Set.of("insert", "update", "del", "delete", "upsert", "merge", "increment", "decrement",
          "batchInsert", "onConflict");
      if (chain.has("truncate") && chain.root() == null) {
        String table = str(chain.first().arg(0));
        if (table != null) {
          b.sql("TRUNCATE " + ddl.q(table), line);
          return;
        }
      }
      for (Call c : chain.calls()) {
        if (writes.contains(c.name())) {
          b.unread(line, lineText(line), "query builder code on the data", Unread.Kind.DATA);
          return;
        }
      }
      // A read (select, first, pluck): no change to the schema or the data.
    }

    @Override
    boolean ignorable(Chain chain) {
      Node root = chain.root();
      String name = chain.first().name();
      return root instanceof Name n && (n.name().equals("console") || n.name().equals("logger")
          || n.name().equals("log") || n.name().equals("Promise") && name.equals("resolve"))
          || root == null && Set.of("debug", "log", "require", "setTimeout").contains(name);
    }

    private void schema(Call op) {
      int line = op.line();
      switch (op.name()) {
        case "withSchema", "hasTable", "hasColumn", "hasView", "queryContext", "then", "catch", "finally" -> { }
        case "createTable", "createTableIfNotExists", "alterTable", "table" -> {
          String table = str(op.arg(0));
          if (table == null) {
            b.unread(line, lineText(line), "knex.schema." + op.name() + " on a table named at run time",
                Unread.Kind.SCHEMA);
            return;
          }
          if (!(op.arg(1) instanceof Fn fn)) {
            b.unread(line, lineText(line), "knex.schema." + op.name() + " with a callback the probe cannot see",
                Unread.Kind.SCHEMA);
            return;
          }
          new Builder(this, table, fn, op.name().startsWith("create"), op.name().endsWith("IfNotExists")).read();
        }
        case "dropTable", "dropTableIfExists" -> {
          String table = str(op.arg(0));
          if (table == null) {
            b.unread(line, lineText(line), "drops a table named at run time", Unread.Kind.SCHEMA);
          } else {
            b.sql(ddl.dropTable(table, op.name().endsWith("IfExists")), line);
          }
        }
        case "renameTable" -> {
          String from = str(op.arg(0));
          String to = str(op.arg(1));
          if (from == null || to == null) {
            b.unread(line, lineText(line), "renames a table named at run time", Unread.Kind.SCHEMA);
          } else {
            b.sql(ddl.renameTable(from, to), line);
          }
        }
        case "raw" -> rawSql(op.arg(0), line, "knex.schema.raw");
        case "createSchema", "createSchemaIfNotExists", "createExtension", "createExtensionIfNotExists" -> {
          String name = str(op.arg(0));
          String what = op.name().contains("Schema") ? "SCHEMA" : "EXTENSION";
          if (name != null) {
            b.sql("CREATE " + what + (op.name().endsWith("IfNotExists") ? " IF NOT EXISTS " : " ") + b.ident(name),
                line);
          }
        }
        case "dropSchema", "dropSchemaIfExists", "dropExtension", "dropExtensionIfExists", "dropView",
            "dropViewIfExists", "dropMaterializedView", "dropMaterializedViewIfExists" -> {
          String name = str(op.arg(0));
          String what = op.name().contains("Schema") ? "SCHEMA" : op.name().contains("Extension") ? "EXTENSION"
              : op.name().contains("Materialized") ? "MATERIALIZED VIEW" : "VIEW";
          if (name == null) {
            b.unread(line, lineText(line), "drops an object named at run time", Unread.Kind.SCHEMA);
          } else {
            b.sql("DROP " + what + (op.name().endsWith("IfExists") ? " IF EXISTS " : " ") + b.qualified(name), line);
          }
        }
        case "refreshMaterializedView" -> {
          String name = str(op.arg(0));
          if (name != null) {
            b.sql("REFRESH MATERIALIZED VIEW " + (Boolean.TRUE.equals(bool(op.arg(1))) ? "CONCURRENTLY " : "")
                + b.qualified(name), line);
          }
        }
        default -> b.unread(line, lineText(line), "a knex.schema method the probe does not know (" + op.name() + ")",
            Unread.Kind.SCHEMA);
      }
    }

    /** A default as SQL: literals, {@code knex.fn.now()}, {@code knex.raw('...')}. */
    String defaultSql(Node v) {
      if (v instanceof Num n) {
        return n.text();
      }
      Boolean bv = bool(v);
      if (bv != null) {
        return ddl.mysql() ? (bv ? "1" : "0") : bv.toString();
      }
      if (v instanceof Name n && n.name().equals("null")) {
        return "NULL";
      }
      if (v instanceof Call c) {
        if (c.name().equals("now")) {
          return "CURRENT_TIMESTAMP";
        }
        if (c.name().equals("raw")) {
          String raw = str(c.arg(0));
          return raw == null ? "'?'" : raw;
        }
        if (c.name().equals("uuid") || c.name().equals("uuidToBin")) {
          return ddl.mysql() ? "(uuid())" : "gen_random_uuid()";
        }
      }
      String s = str(v);
      // Any other JavaScript value is computed once when the migration runs: a constant by the time SQL sees it.
      return MigrationBuilder.literal(s == null ? "?" : s);
    }
  }

  // ------------------------------------------------------------------------------------------------ table builder

  private static final class Builder extends TableBuilder {
    private final Reading r;

    Builder(Reading r, String table, Fn fn, boolean creating, boolean ifNotExists) {
      super(r, table, fn, creating, ifNotExists, "table");
      this.r = r;
    }

    /** Column names given as one string, an array, or several arguments. */
    private List<String> names(Call op) {
      List<String> out = new ArrayList<>();
      for (Arg a : op.args()) {
        List<String> s = r.strings(a.value());
        if (s == null) {
          return null;
        }
        out.addAll(s);
      }
      return out;
    }

    @Override
    void command(CodeReading.Chain chain) {
      Call op = chain.first();
      int line = op.line();
      switch (op.name()) {
        case "dropColumn", "dropColumns" -> {
          List<String> cols = names(op);
          if (cols == null) {
            unread(line, "drops columns named at run time");
          } else if (!cols.isEmpty()) {
            emit(r.ddl.dropColumns(table, cols), line);
          }
        }
        case "renameColumn" -> {
          String from = r.str(op.arg(0));
          String to = r.str(op.arg(1));
          if (from == null || to == null) {
            unread(line, "renames a column named at run time");
          } else {
            emit(r.ddl.renameColumn(table, from, to), line);
          }
        }
        case "dropTimestamps" -> emit(r.ddl.dropColumns(table, List.of("created_at", "updated_at")), line);
        case "setNullable", "dropNullable" -> {
          String col = r.str(op.arg(0));
          if (col == null) {
            unread(line, "changes a column named at run time");
          } else {
            emit(r.ddl.setNotNull(table, col, op.name().equals("dropNullable"), null), line);
          }
        }
        case "index", "unique", "primary" -> index(op, line);
        case "dropIndex", "dropUnique", "dropForeign", "dropPrimary" -> dropIndex(op, line);
        case "foreign" -> foreign(chain, r.strings(op.arg(0)), op.arg(1) == null ? null : r.str(op.arg(1)), line);
        case "check" -> {
          String expr = r.str(op.arg(0));
          String name = op.arg(2) == null ? null : r.str(op.arg(2));
          if (expr == null) {
            unread(line, "a check built at run time");
          } else {
            emit(r.ddl.addCheck(table, name == null ? table + "_check" : name, expr, false), line);
          }
        }
        case "comment", "engine", "charset", "collate", "inherits", "queryContext" -> { }
        case "timestamps" -> {
          boolean defaultNow = Boolean.TRUE.equals(CodeReading.bool(op.arg(1)));
          String type = Boolean.TRUE.equals(CodeReading.bool(op.arg(0))) || op.arg(0) == null
              ? (r.ddl.mysql() ? "timestamp" : "timestamptz") : r.ddl.mysql() ? "datetime" : "timestamptz";
          boolean camel = Boolean.TRUE.equals(CodeReading.bool(op.arg(2)));
          for (String n : camel ? List.of("createdAt", "updatedAt") : List.of("created_at", "updated_at")) {
            Column c = new Column(n, type, defaultNow ? Boolean.FALSE : null,
                defaultNow ? "CURRENT_TIMESTAMP" : null, null);
            column(c, CodeReading.chain(op), line);
          }
        }
        default -> {
          Column c = columnType(op);
          if (c == null) {
            unread(line, "a Knex table builder method the probe does not know (" + op.name() + ")");
            return;
          }
          column(c, chain, line);
        }
      }
    }

    private Column columnType(Call op) {
      boolean my = r.ddl.mysql();
      String kind = op.name();
      String name = op.arg(0) == null && (kind.equals("increments") || kind.equals("bigIncrements")) ? "id"
          : r.str(op.arg(0));
      if (name == null) {
        return null;
      }
      String extra = null;
      String type;
      switch (kind) {
        case "increments" -> {
          type = my ? "int unsigned" : "serial";
          extra = my ? "AUTO_INCREMENT PRIMARY KEY" : "PRIMARY KEY";
        }
        case "bigIncrements" -> {
          type = my ? "bigint unsigned" : "bigserial";
          extra = my ? "AUTO_INCREMENT PRIMARY KEY" : "PRIMARY KEY";
        }
        case "integer" -> type = my ? "int" : "integer";
        case "bigInteger", "bigint" -> type = "bigint";
        case "tinyint" -> type = my ? "tinyint" : "smallint";
        case "smallint" -> type = "smallint";
        case "mediumint" -> type = my ? "mediumint" : "integer";
        case "text" -> {
          String tt = r.str(op.arg(1));
          type = my && tt != null ? tt : "text";
        }
        case "string" -> {
          String len = op.arg(1) instanceof Num n ? n.text() : "255";
          type = "varchar(" + len + ")";
        }
        case "float" -> type = my ? "float" : "real";
        case "double" -> type = my ? "double" : "double precision";
        case "decimal" -> {
          String p = op.arg(1) instanceof Num n ? n.text() : "8";
          String s = op.arg(2) instanceof Num n2 ? n2.text() : "2";
          type = "decimal(" + p + ", " + s + ")";
        }
        case "boolean" -> type = my ? "boolean" : "boolean";
        case "date" -> type = "date";
        case "datetime", "timestamp" -> type = my ? "datetime" : useTz(op) ? "timestamptz" : "timestamp";
        case "time" -> type = "time";
        case "binary" -> type = my ? "blob" : "bytea";
        case "enu", "enum" -> {
          List<String> values = r.strings(op.arg(1));
          String list = values == null ? "'?'" : String.join(", ", values.stream().map(MigrationBuilder::literal)
              .toList());
          if (op.arg(2) instanceof Obj o && Boolean.TRUE.equals(CodeReading.bool(o.get("useNative")))) {
            String enumName = r.str(o.get("enumName"));
            type = enumName == null ? "text" : r.b.ident(enumName);
          } else {
            type = my ? "enum(" + list + ")" : "text CHECK (" + r.b.ident(name) + " IN (" + list + "))";
          }
        }
        case "json" -> type = "json";
        case "jsonb" -> type = my ? "json" : "jsonb";
        case "uuid" -> type = my ? "char(36)" : "uuid";
        case "specificType" -> {
          type = r.str(op.arg(1));
          if (type == null) {
            return null;
          }
        }
        case "geometry", "geography", "point" -> type = kind;
        default -> {
          return null;
        }
      }
      return new Column(name, type, null, null, extra);
    }

    private static boolean useTz(Call op) {
      Node o = op.arg(1);
      if (o instanceof Obj obj && obj.get("useTz") != null) {
        return !Boolean.FALSE.equals(CodeReading.bool(obj.get("useTz")));
      }
      Boolean withoutTz = CodeReading.bool(o);
      return !Boolean.TRUE.equals(withoutTz);
    }

    private void column(Column c, CodeReading.Chain chain, int line) {
      boolean alter = chain.has("alter");
      boolean my = r.ddl.mysql();
      for (Call m : chain.calls().subList(1, chain.calls().size())) {
        switch (m.name()) {
          case "notNullable" -> c = c.withNullable(false);
          case "nullable" -> c = c.withNullable(true);
          case "defaultTo" -> c = c.withDefault(r.defaultSql(m.arg(0)));
          case "unsigned" -> c = my && !c.type().contains("unsigned") ? c.withType(c.type() + " unsigned") : c;
          case "primary" -> c = c.withExtra("PRIMARY KEY");
          case "after" -> {
            String col = r.str(m.arg(0));
            if (my && col != null && !alter) {
              c = c.withExtra("AFTER " + r.b.ident(col));
            }
          }
          case "first" -> {
            if (my && !alter) {
              c = c.withExtra("FIRST");
            }
          }
          default -> { }
        }
      }
      if (alter) {
        alter(c, chain.find("alter"), line);
      } else {
        addColumn(c, line);
      }
      for (Call m : chain.calls().subList(1, chain.calls().size())) {
        switch (m.name()) {
          case "index" -> columnIndex(m, c);
          case "unique" -> {
            String idx = m.arg(0) instanceof Obj o && r.str(o.get("indexName")) != null ? r.str(o.get("indexName"))
                : indexName("unique", List.of(c.name()));
            emit(r.ddl.addUnique(table, idx, List.of(c.name())), m.line());
          }
          case "references" -> {
            foreign(chain, List.of(c.name()), null, m.line());
            return;
          }
          default -> { }
        }
      }
    }

    /** {@code .alter()}: what Knex's compilers send for a changed column. */
    private void alter(Column c, Call alterCall, int line) {
      boolean alterNullable = true;
      boolean alterType = true;
      if (alterCall.arg(0) instanceof Obj o) {
        alterNullable = !Boolean.FALSE.equals(CodeReading.bool(o.get("alterNullable")));
        alterType = !Boolean.FALSE.equals(CodeReading.bool(o.get("alterType")));
      }
      if (r.ddl.mysql()) {
        emit("ALTER TABLE " + r.ddl.q(table) + " MODIFY " + r.ddl.definition(c), line);
        return;
      }
      String col = "ALTER TABLE " + r.ddl.q(table) + " ALTER COLUMN " + r.b.ident(c.name()) + " ";
      emit(col + "DROP DEFAULT", line);
      if (alterNullable) {
        emit(col + "DROP NOT NULL", line);
      }
      if (alterType) {
        // Knex adds USING ("c"::type): PostgreSQL plans that cast as the plain ALTER TYPE, read as such here.
        emit(col + "TYPE " + c.type(), line);
      }
      if (c.defaultSql() != null) {
        emit(col + "SET DEFAULT " + c.defaultSql(), line);
      }
      if (alterNullable && Boolean.FALSE.equals(c.nullable())) {
        emit(col + "SET NOT NULL", line);
      }
    }

    private void index(Call op, int line) {
      List<String> cols = r.strings(op.arg(0));
      if (cols == null) {
        unread(line, "an index on columns named at run time");
        return;
      }
      String kind = op.name();
      String name = null;
      String using = null;
      String where = null;
      boolean unique = kind.equals("unique");
      Node opt = op.arg(1);
      if (opt instanceof Obj o) {
        name = r.str(o.get("indexName"));
        if (o.get("indexType") != null && "unique".equalsIgnoreCase(r.str(o.get("indexType")))) {
          unique = true;
        }
        using = r.str(o.get("storageEngineIndexType"));
        if (o.get("predicate") != null) {
          where = "true"; // a partial index whose predicate is a query builder: the lock is what matters
        }
        if (kind.equals("unique") && o.get("useConstraint") != null) {
          unique = true;
        }
      } else if (opt != null) {
        name = r.str(opt);
      }
      if (op.arg(2) instanceof Obj o2) {
        if (o2.get("indexType") != null && "unique".equalsIgnoreCase(r.str(o2.get("indexType")))) {
          unique = true;
        }
        using = r.str(o2.get("storageEngineIndexType"));
        if (o2.get("predicate") != null) {
          where = "true";
        }
      } else if (op.arg(2) != null && r.str(op.arg(2)) != null) {
        using = r.str(op.arg(2));
      }
      switch (kind) {
        case "primary" -> emit(r.ddl.addPrimaryKey(table, name == null ? table + "_pkey" : name, cols), line);
        case "unique" -> {
          String idx = name == null ? indexName("unique", cols) : name;
          boolean constraint = !(opt instanceof Obj o && Boolean.FALSE.equals(CodeReading.bool(o.get("useConstraint"))))
              && where == null;
          emit(constraint && !r.ddl.mysql() ? r.ddl.addUnique(table, idx, cols)
              : r.ddl.createIndex(idx, table, cols, true, false, null, where), line);
        }
        default -> emit(r.ddl.createIndex(name == null ? indexName(unique ? "unique" : "index", cols) : name, table,
            cols, unique, false, using, where), line);
      }
    }

    private void dropIndex(Call op, int line) {
      String type = switch (op.name()) {
        case "dropUnique" -> "unique";
        case "dropForeign" -> "foreign";
        case "dropPrimary" -> "pkey";
        default -> "index";
      };
      String name;
      if (op.name().equals("dropPrimary")) {
        name = op.arg(0) == null ? table + "_pkey" : r.str(op.arg(0));
      } else if (op.arg(1) != null) {
        name = r.str(op.arg(1));
      } else {
        List<String> cols = r.strings(op.arg(0));
        name = cols == null ? null : indexName(type, cols);
      }
      if (name == null) {
        unread(line, "drops an index named at run time");
        return;
      }
      switch (op.name()) {
        case "dropForeign" -> emit(r.ddl.dropForeignKey(table, name), line);
        case "dropPrimary" -> emit(r.ddl.dropPrimaryKey(table, name), line);
        case "dropUnique" -> emit(r.ddl.mysql() ? r.ddl.dropIndex(name, table, false, false)
            : r.ddl.dropConstraint(table, name), line);
        default -> emit(r.ddl.dropIndex(name, table, false, false), line);
      }
    }

    /** {@code t.foreign('user_id').references('id').inTable('users')}, or {@code .references('users.id')}. */
    private void foreign(CodeReading.Chain chain, List<String> cols, String name, int line) {
      if (cols == null) {
        unread(line, "a foreign key on columns named at run time");
        return;
      }
      String refTable = null;
      List<String> refCols = List.of("id");
      String onDelete = null;
      for (Call m : chain.calls()) {
        switch (m.name()) {
          case "references" -> {
            String ref = r.str(m.arg(0));
            if (ref != null && ref.contains(".")) {
              refTable = ref.substring(0, ref.lastIndexOf('.'));
              refCols = List.of(ref.substring(ref.lastIndexOf('.') + 1));
            } else if (ref != null) {
              refCols = List.of(ref);
            }
            if (m.arg(1) instanceof Obj o && r.str(o.get("foreignKeyConstraintName")) != null) {
              name = r.str(o.get("foreignKeyConstraintName"));
            }
          }
          case "inTable" -> refTable = r.str(m.arg(0));
          case "onDelete" -> onDelete = r.str(m.arg(0));
          case "withKeyName" -> name = r.str(m.arg(0));
          default -> { }
        }
      }
      if (refTable == null) {
        unread(line, "a foreign key to a table named at run time");
        return;
      }
      emit(r.ddl.addForeignKey(table, name != null ? name : indexName("foreign", cols), cols, refTable, refCols,
          onDelete == null ? null : onDelete.toUpperCase(Locale.ROOT), false), line);
    }
  }
}
