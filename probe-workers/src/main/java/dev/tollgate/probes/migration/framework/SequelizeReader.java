package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.Framework;
import dev.tollgate.probes.migration.Migration;
import dev.tollgate.probes.migration.OrmModel;
import dev.tollgate.probes.migration.Unread;
import dev.tollgate.probes.migration.framework.Code.Annotation;
import dev.tollgate.probes.migration.framework.Code.Arg;
import dev.tollgate.probes.migration.framework.Code.Arr;
import dev.tollgate.probes.migration.framework.Code.Call;
import dev.tollgate.probes.migration.framework.Code.ClassDecl;
import dev.tollgate.probes.migration.framework.Code.Decl;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sequelize migrations (sequelize-cli or umzug: {@code module.exports = { async up(queryInterface, Sequelize) }}): the
 * QueryInterface ({@code addColumn}, {@code removeColumn}, {@code renameColumn}, {@code changeColumn},
 * {@code addIndex}, {@code removeIndex}, {@code addConstraint}, {@code createTable}, ...) rendered as Sequelize's
 * PostgreSQL and MySQL query generators run it, and {@code sequelize.query(...)} SQL. Transactions: Sequelize runs a
 * migration without one; only what the migration itself wraps in {@code sequelize.transaction(...)} is one. Models
 * ({@code sequelize.define}, {@code Model.init}, sequelize-typescript {@code @Table}) feed the old-code check.
 * docs/rules/migration/sequelize.md.
 */
public final class SequelizeReader implements FrameworkReader {
  private static final Pattern VERSION = Pattern.compile("(\\d{8,17})[-_].*");

  @Override
  public Framework framework() {
    return Framework.SEQUELIZE;
  }

  @Override
  public boolean claims(String path) {
    return JsModule.MIGRATION_DIR_FILE.matcher(path).matches();
  }

  @Override
  public boolean confirms(String path, String text) {
    return text.contains("queryInterface") || text.contains("QueryInterface");
  }

  @Override
  public boolean claimsContent(String path, String text) {
    return path.matches(".*\\.(js|ts|mjs|cjs|mts|cts)") && confirms(path, text) && text.contains("up");
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
      return null;
    }
    Matcher vm = VERSION.matcher(source.fileName());
    Dialect dialect = Dialects.of(source, () -> hint(source));
    MigrationBuilder b = new MigrationBuilder(source, Framework.SEQUELIZE, vm.matches() ? vm.group(1) : null, dialect);
    b.unit("Sequelize runs this migration without a transaction", up.line(), false);
    Reading r = new Reading(source, b, up.params());
    r.consts = Code.Constants.of(stmts);
    r.statements(up.statements());
    Fn down = module.function("down");
    if (down != null && !down.statements().isEmpty()) {
      b.wayBack("its exported down function");
    }
    return b.build();
  }

  /** {@code "dialect": "mysql"} in the sequelize-cli config, else PostgreSQL. */
  private static Dialect hint(MigrationSource source) {
    String dir = source.directory();
    String parent = dir.isEmpty() ? "" : dir.substring(0, Math.max(0, dir.lastIndexOf('/', dir.length() - 2) + 1));
    for (String f : List.of(parent + "config/config.json", parent + "config/config.js", "config/config.json",
        "config/config.js", "config/database.json", "config/database.js", ".sequelizerc")) {
      String text = source.files().read(f).orElse("");
      Matcher m = Pattern.compile("[\"']?dialect[\"']?\\s*:\\s*[\"'](\\w+)").matcher(text);
      if (m.find()) {
        String d = m.group(1).toLowerCase(Locale.ROOT);
        return d.equals("mysql") || d.equals("mariadb") ? Dialect.MYSQL : Dialect.POSTGRESQL;
      }
    }
    return Dialect.POSTGRESQL;
  }

  // ------------------------------------------------------------------------------------------------ reading

  private static final class Reading extends JsReading {
    private final Set<String> qi = new HashSet<>(Set.of("queryInterface", "qi", "context", "queryinterface"));
    private final Set<String> transactions = new HashSet<>();

    Reading(MigrationSource source, MigrationBuilder b, List<String> params) {
      super(source, b);
      if (!params.isEmpty() && !params.get(0).equals("{}")) {
        qi.add(params.get(0));
      }
    }

    @Override
    Set<String> connectionNames() {
      return qi;
    }

    private boolean isQi(Node n) {
      return n instanceof Name nm && qi.contains(nm.name());
    }

    private boolean isSequelize(Node n) {
      return n instanceof Member m && m.name().equals("sequelize") && isQi(m.target())
          || n instanceof Name nm && nm.name().equals("sequelize");
    }

    @Override
    boolean operation(Chain chain, Node whole) {
      Node root = chain.root();
      Call op = chain.first();
      if (isSequelize(root)) {
        switch (op.name()) {
          case "query" -> rawSql(op.arg(0), op.line(), "sequelize.query");
          case "transaction" -> transaction(op);
          default -> { }
        }
        return true;
      }
      if (isQi(root)) {
        interfaceCall(op);
        return true;
      }
      if (root instanceof Name n && transactions.contains(n.name())
          && (op.name().equals("commit") || op.name().equals("rollback"))) {
        if (op.name().equals("commit")) {
          b.unit("Sequelize runs the rest of this migration without a transaction", op.line(), false);
        }
        return true;
      }
      return false;
    }

    /** {@code sequelize.transaction(async (t) => { ... })}, or an unmanaged one committed later. */
    private void transaction(Call op) {
      Node fn = op.arg(0) instanceof Fn ? op.arg(0) : op.arg(1);
      b.unit("the migration's sequelize.transaction() is one transaction", op.line(), true);
      if (fn instanceof Fn f) {
        body(f);
        b.unit("Sequelize runs the rest of this migration without a transaction", f.endLine(), false);
      }
    }

    @Override
    void expression(Node e) {
      // const t = await queryInterface.sequelize.transaction(): remember t to end the unit at t.commit().
      if (e instanceof Code.Bin bin && bin.op().equals("=") && bin.left() instanceof Name n) {
        Node v = bin.right();
        while (v instanceof Code.Unary u) {
          v = u.operand();
        }
        if (v instanceof Call c && c.name().equals("transaction") && !(c.arg(0) instanceof Fn)) {
          transactions.add(n.name());
        }
      }
      super.expression(e);
    }

    @Override
    boolean ignorable(Chain chain) {
      return chain.root() instanceof Name n && (n.name().equals("console") || n.name().equals("logger"));
    }

    private void unread(int line, String reason) {
      b.unread(line, lineText(line), reason, Unread.Kind.SCHEMA);
    }

    private void interfaceCall(Call op) {
      int line = op.line();
      String name = op.name();
      String table = tableName(op.arg(0));
      switch (name) {
        case "addColumn" -> {
          String col = str(op.arg(1));
          Column c = col == null ? null : column(col, op.arg(2), table);
          if (table == null || c == null) {
            unread(line, "addColumn of a column the probe cannot read");
            return;
          }
          b.sql(ddl.addColumn(table, c), line);
          constraintsOf(table, col, op.arg(2), line);
        }
        case "removeColumn" -> {
          String col = str(op.arg(1));
          if (table == null || col == null) {
            unread(line, "removeColumn of a column named at run time");
          } else {
            b.sql(ddl.dropColumns(table, List.of(col)), line);
          }
        }
        case "renameColumn" -> {
          String from = str(op.arg(1));
          String to = str(op.arg(2));
          if (table == null || from == null || to == null) {
            unread(line, "renameColumn of a column named at run time");
          } else {
            b.sql(ddl.renameColumn(table, from, to), line);
          }
        }
        case "changeColumn" -> {
          String col = str(op.arg(1));
          Column c = col == null ? null : column(col, op.arg(2), table);
          if (table == null || c == null) {
            unread(line, "changeColumn of a column the probe cannot read");
            return;
          }
          // Sequelize restates the column: NOT NULL or not (allowNull defaults to true), the default, the type.
          Column changed = c.nullable() == null ? c.withNullable(true) : c;
          if (ddl.mysql()) {
            b.sql("ALTER TABLE " + ddl.q(table) + " CHANGE " + b.ident(col) + " " + ddl.definition(changed), line);
          } else {
            for (String sql : ddl.changeColumn(table, changed, true)) {
              b.sql(sql, line);
            }
          }
        }
        case "addIndex" -> addIndex(table, op, line);
        case "removeIndex" -> {
          String idx;
          if (op.arg(1) instanceof Arr) {
            List<String> fields = strings(op.arg(1));
            idx = fields == null || table == null ? null : indexName(table, fields);
          } else {
            idx = str(op.arg(1));
          }
          boolean concurrently = op.arg(2) instanceof Obj o && Boolean.TRUE.equals(bool(o.get("concurrently")));
          if (idx == null) {
            unread(line, "removeIndex of an index named at run time");
          } else {
            b.sql(ddl.dropIndex(idx, table, concurrently, false), line);
          }
        }
        case "addConstraint" -> addConstraint(table, op, line);
        case "removeConstraint" -> {
          String cname = str(op.arg(1));
          if (table == null || cname == null) {
            unread(line, "removeConstraint of a constraint named at run time");
          } else {
            b.sql(ddl.dropConstraint(table, cname), line);
          }
        }
        case "createTable" -> createTable(table, op, line);
        case "dropTable" -> {
          if (table == null) {
            unread(line, "dropTable of a table named at run time");
          } else {
            b.sql(ddl.dropTable(table, false), line);
          }
        }
        case "renameTable" -> {
          String to = tableName(op.arg(1));
          if (table == null || to == null) {
            unread(line, "renameTable of a table named at run time");
          } else {
            b.sql(ddl.renameTable(table, to), line);
          }
        }
        case "bulkInsert", "bulkUpdate", "bulkDelete", "upsert", "insert", "update", "delete", "increment",
            "decrement" -> b.unread(line, lineText(line), "Sequelize code on the data (" + name + ")", Unread.Kind.DATA);
        case "describeTable", "showAllTables", "showAllSchemas", "tableExists", "getForeignKeysForTables",
            "getForeignKeyReferencesForTable", "showIndex", "rawSelect", "select", "nameIndexes", "quoteIdentifier",
            "quoteIdentifiers", "quoteTable" -> { }
        case "createSchema", "dropSchema" -> {
          String schema = str(op.arg(0));
          if (schema == null) {
            unread(line, name + " of a schema named at run time");
          } else {
            b.sql((name.equals("createSchema") ? "CREATE SCHEMA " : "DROP SCHEMA ") + b.ident(schema), line);
          }
        }
        default -> unread(line, "a QueryInterface method the probe does not know (" + name + ")");
      }
    }

    /** A table given as a string or {@code { tableName, schema }}. */
    private String tableName(Node n) {
      if (n instanceof Obj o) {
        String t = str(o.get("tableName"));
        String schema = str(o.get("schema"));
        return t == null ? null : schema == null ? t : schema + "." + t;
      }
      return str(n);
    }

    private static String indexName(String table, List<String> fields) {
      return (table + "_" + String.join("_", fields)).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    /** A column's attributes ({@code { type, allowNull, defaultValue, primaryKey, autoIncrement }}) or a bare type. */
    private Column column(String name, Node attrs, String table) {
      Node typeNode = attrs instanceof Obj o ? o.get("type") : attrs;
      String type = type(typeNode);
      if (type == null) {
        return null;
      }
      if (!(attrs instanceof Obj o)) {
        return new Column(name, type, null, null, null);
      }
      Boolean allowNull = bool(o.get("allowNull"));
      String def = null;
      Node d = o.get("defaultValue");
      if (d != null) {
        def = defaultSql(d);
      }
      String extra = null;
      if (Boolean.TRUE.equals(bool(o.get("autoIncrement")))) {
        if (ddl.mysql()) {
          extra = "AUTO_INCREMENT";
        } else {
          type = type.startsWith("bigint") ? "bigserial" : "serial";
        }
      }
      if (Boolean.TRUE.equals(bool(o.get("primaryKey")))) {
        extra = extra == null ? "PRIMARY KEY" : extra + " PRIMARY KEY";
      }
      return new Column(name, type, allowNull == null ? null : allowNull, def, extra);
    }

    /** Unique and foreign keys declared in a column's attributes become their own statements. */
    private void constraintsOf(String table, String col, Node attrs, int line) {
      if (!(attrs instanceof Obj o)) {
        return;
      }
      if (Boolean.TRUE.equals(bool(o.get("unique")))) {
        b.sql(ddl.addUnique(table, table + "_" + col + "_key", List.of(col)), line);
      }
      if (o.get("references") instanceof Obj ref) {
        String model = ref.get("model") instanceof Obj mo ? str(mo.get("tableName")) : str(ref.get("model"));
        String key = str(ref.get("key"));
        if (model != null) {
          b.sql(ddl.addForeignKey(table, table + "_" + col + "_fkey", List.of(col), model,
              List.of(key == null ? "id" : key), str(o.get("onDelete")), false), line);
        }
      }
    }

    private String defaultSql(Node d) {
      if (d instanceof Num n) {
        return n.text();
      }
      Boolean bv = bool(d);
      if (bv != null) {
        return ddl.mysql() ? (bv ? "1" : "0") : bv.toString();
      }
      if (d instanceof Name n && n.name().equals("null")) {
        return "NULL";
      }
      if (d instanceof Member m && (m.name().equals("NOW"))) {
        return "CURRENT_TIMESTAMP";
      }
      if (d instanceof Member m && m.name().startsWith("UUIDV")) {
        return null; // computed by Sequelize in JavaScript, not a database default
      }
      if (d instanceof Call c && (c.name().equals("literal") || c.name().equals("fn"))) {
        String v = str(c.arg(0));
        if (v == null) {
          return "'?'";
        }
        return c.name().equals("fn") ? v + "()" : v;
      }
      String s = str(d);
      return MigrationBuilder.literal(s == null ? "?" : s);
    }

    /** {@code Sequelize.STRING(40)}, {@code DataTypes.DATE}, {@code 'VARCHAR(255)'}: the SQL type. */
    String type(Node n) {
      String raw = str(n);
      if (raw != null) {
        return raw;
      }
      String name;
      List<String> args = new ArrayList<>();
      if (n instanceof Call c && c.callee() instanceof Member m) {
        name = m.name();
        for (Arg a : c.args()) {
          String v = a.value() instanceof Num num ? num.text() : str(a.value());
          if (v != null) {
            args.add(v);
          }
          if (a.value() instanceof Member || a.value() instanceof Call) {
            args.add(type(a.value()));
          }
        }
      } else if (n instanceof Member m) {
        name = m.name();
        if (m.target() instanceof Member inner && Set.of("UNSIGNED", "ZEROFILL", "BINARY").contains(m.name())) {
          return type(inner) + (ddl.mysql() && !m.name().equals("BINARY") ? " unsigned" : "");
        }
      } else {
        return null;
      }
      boolean my = ddl.mysql();
      return switch (name.toUpperCase(Locale.ROOT)) {
        case "STRING" -> "varchar(" + (args.isEmpty() ? "255" : args.get(0)) + ")";
        case "CHAR" -> "char(" + (args.isEmpty() ? "255" : args.get(0)) + ")";
        case "TEXT" -> "text";
        case "CITEXT" -> "citext";
        case "INTEGER" -> my ? "int" : "integer";
        case "BIGINT" -> "bigint";
        case "SMALLINT" -> "smallint";
        case "TINYINT" -> my ? "tinyint" : "smallint";
        case "MEDIUMINT" -> my ? "mediumint" : "integer";
        case "FLOAT" -> my ? "float" : "float";
        case "REAL" -> "real";
        case "DOUBLE" -> my ? "double" : "double precision";
        case "DECIMAL" -> args.size() >= 2 ? "decimal(" + args.get(0) + ", " + args.get(1) + ")" : "decimal";
        case "BOOLEAN" -> my ? "tinyint(1)" : "boolean";
        case "DATE", "NOW" -> my ? "datetime" : "timestamp with time zone";
        case "DATEONLY" -> "date";
        case "TIME" -> "time";
        case "UUID" -> my ? "char(36) binary" : "uuid";
        case "JSON" -> "json";
        case "JSONB" -> my ? "json" : "jsonb";
        case "BLOB" -> my ? "blob" : "bytea";
        case "ENUM" -> my ? "enum(" + String.join(", ", args.stream().map(MigrationBuilder::literal).toList()) + ")"
            : "text"; // PostgreSQL: a type "enum_<table>_<column>" created first
        case "ARRAY" -> (args.isEmpty() ? "text" : args.get(args.size() - 1)) + "[]";
        case "INET" -> "inet";
        case "CIDR" -> "cidr";
        case "MACADDR" -> "macaddr";
        case "GEOMETRY" -> "geometry";
        case "GEOGRAPHY" -> "geography";
        case "TSVECTOR" -> "tsvector";
        case "VIRTUAL" -> null;
        default -> null;
      };
    }

    private void addIndex(String table, Call op, int line) {
      List<String> fields = null;
      Obj options = null;
      if (op.arg(1) instanceof Arr) {
        fields = fieldNames(op.arg(1));
        options = op.arg(2) instanceof Obj o ? o : null;
      } else if (op.arg(1) instanceof Obj o) {
        options = o;
        fields = fieldNames(o.get("fields"));
      } else if (op.arg(1) != null) {
        String single = str(op.arg(1));
        fields = single == null ? null : List.of(single);
        options = op.arg(2) instanceof Obj o ? o : null;
      }
      if (table == null || fields == null) {
        unread(line, "addIndex on fields the probe cannot read");
        return;
      }
      String name = options == null ? null : str(options.get("name"));
      boolean unique = options != null && (Boolean.TRUE.equals(bool(options.get("unique")))
          || "UNIQUE".equalsIgnoreCase(str(options.get("type"))));
      boolean concurrently = options != null && Boolean.TRUE.equals(bool(options.get("concurrently")));
      String using = options == null ? null : str(options.get("using"));
      String where = options != null && options.get("where") != null ? "true" : null;
      b.sql(ddl.createIndex(name == null ? indexName(table, fields) : name, table, fields, unique, concurrently,
          using, where), line);
    }

    private List<String> fieldNames(Node n) {
      if (!(n instanceof Arr a)) {
        return strings(n);
      }
      List<String> out = new ArrayList<>();
      for (Arg i : a.items()) {
        String s = i.value() instanceof Obj o ? str(o.get("name") != null ? o.get("name") : o.get("attribute"))
            : str(i.value());
        if (s == null) {
          return null;
        }
        out.add(s);
      }
      return out;
    }

    private void addConstraint(String table, Call op, int line) {
      Obj o = op.arg(1) instanceof Obj x ? x : op.arg(2) instanceof Obj y ? y : null;
      List<String> fields = o == null ? null : fieldNames(o.get("fields"));
      if (o == null && op.arg(1) != null) {
        fields = strings(op.arg(1)); // Sequelize 5: addConstraint(table, fields, options)
      }
      String type = o == null ? null : str(o.get("type"));
      String name = o == null ? null : str(o.get("name"));
      if (table == null || fields == null || type == null) {
        unread(line, "addConstraint the probe cannot read");
        return;
      }
      String cname = name == null ? table + "_" + String.join("_", fields) + "_" + type.replace(' ', '_')
          .toLowerCase(Locale.ROOT) : name;
      switch (type.toLowerCase(Locale.ROOT)) {
        case "unique" -> b.sql(ddl.addUnique(table, cname, fields), line);
        case "primary key" -> b.sql(ddl.addPrimaryKey(table, cname, fields), line);
        case "foreign key" -> {
          Obj ref = o.get("references") instanceof Obj r ? r : null;
          String refTable = ref == null ? null : tableName(ref.get("table"));
          String refField = ref == null ? null : str(ref.get("field"));
          if (refTable == null) {
            unread(line, "addConstraint with a foreign key the probe cannot read");
            return;
          }
          b.sql(ddl.addForeignKey(table, cname, fields, refTable, List.of(refField == null ? "id" : refField),
              str(o.get("onDelete")), false), line);
        }
        case "check" -> b.sql(ddl.addCheck(table, cname, "true", false), line); // a where object: the lock matters
        case "default" -> b.sql(ddl.setDefault(table, fields.get(0), defaultSql(o.get("defaultValue"))), line);
        default -> unread(line, "addConstraint of type " + type);
      }
    }

    private void createTable(String table, Call op, int line) {
      if (table == null || !(op.arg(1) instanceof Obj attrs)) {
        unread(line, "createTable the probe cannot read");
        return;
      }
      List<Column> cols = new ArrayList<>();
      for (Arg a : attrs.entries()) {
        if (a.name() == null) {
          continue;
        }
        Column c = column(a.name(), a.value(), table);
        if (c == null) {
          unread(a.value().line(), "a column the probe cannot read");
          continue;
        }
        cols.add(c);
      }
      b.sql(ddl.createTable(table, cols, List.of(), false), line);
    }
  }

  // ------------------------------------------------------------------------------------------------ models

  @Override
  public boolean mayDefineModels(String path) {
    return path.matches(".*\\.(ts|js|mts|mjs|cjs)") && !path.endsWith(".d.ts");
  }

  @Override
  public List<OrmModel> models(String path, String text, RepoFiles files) {
    if (!text.contains("sequelize") && !text.contains("Sequelize")) {
      return List.of();
    }
    if (!text.contains(".define(") && !text.contains(".init(") && !text.contains("@Table")) {
      return List.of();
    }
    List<OrmModel> out = new ArrayList<>();
    List<Stmt> stmts = CodeParser.parse(text, Lang.JS);
    Code.Constants consts = Code.Constants.of(stmts);
    List<Call> calls = new ArrayList<>();
    collectCalls(stmts, calls, 0);
    for (Call c : calls) {
      if (c.name().equals("define") && c.arg(1) instanceof Obj attrs) {
        String model = consts.eval(c.arg(0));
        if (model != null) {
          out.add(model(path, model, attrs, c.arg(2) instanceof Obj o ? o : null, c.line(), consts));
        }
      } else if (c.name().equals("init") && c.target() instanceof Name cls && c.arg(0) instanceof Obj attrs) {
        Obj opts = c.arg(1) instanceof Obj o ? o : null;
        String model = opts == null ? null : consts.eval(opts.get("modelName"));
        out.add(model(path, model == null ? cls.name() : model, attrs, opts, c.line(), consts));
      }
    }
    for (ClassDecl d : Code.classes(stmts)) {
      Annotation table = null;
      for (Annotation a : d.annotations()) {
        if (a.name().equals("Table")) {
          table = a;
        }
      }
      if (table == null || d.name().isEmpty()) {
        continue;
      }
      Obj opts = table.arg(0) instanceof Obj o ? o : null;
      Map<String, Integer> cols = new LinkedHashMap<>();
      boolean underscored = opts != null && Boolean.TRUE.equals(CodeReading.bool(opts.get("underscored")));
      for (Decl m : d.members()) {
        for (Annotation a : m.annotations()) {
          if (a.name().equals("Column") || a.name().equals("ForeignKey") || a.name().equals("PrimaryKey")
              || a.name().equals("CreatedAt") || a.name().equals("UpdatedAt") || a.name().equals("DeletedAt")) {
            String field = a.arg(0) instanceof Obj ao ? consts.eval(ao.get("field")) : null;
            String col = field != null ? field : underscored ? Inflector.snake(m.name()) : m.name();
            cols.putIfAbsent(col, a.line());
          }
        }
      }
      String tableName = opts == null ? null : consts.eval(opts.get("tableName"));
      out.add(new OrmModel(Framework.SEQUELIZE, d.name(), tableName != null ? tableName : Inflector.plural(d.name()),
          path, d.line(), cols, Map.of(), List.of()));
    }
    return out;
  }

  private static void collectCalls(List<Stmt> stmts, List<Call> out, int depth) {
    if (depth > 10) {
      return;
    }
    for (Stmt s : stmts) {
      if (s instanceof Code.Expr e) {
        Code.calls(e.expr(), out);
      } else if (s instanceof Code.Return r) {
        Code.calls(r.expr(), out);
      } else if (s instanceof Code.Block b) {
        collectCalls(b.body(), out, depth + 1);
        if (b.fn() != null) {
          collectCalls(b.fn().statements(), out, depth + 1);
        }
      } else if (s instanceof Code.ClassStmt c) {
        for (Decl d : c.decl().members()) {
          if (d.method() != null) {
            collectCalls(d.method().statements(), out, depth + 1);
          }
        }
      }
    }
  }

  /** A model: its table as Sequelize derives it, each attribute's column ({@code field}, underscored). */
  private static OrmModel model(String path, String modelName, Obj attrs, Obj opts, int line, Code.Constants consts) {
    boolean underscored = opts != null && Boolean.TRUE.equals(CodeReading.bool(opts.get("underscored")));
    boolean freeze = opts != null && Boolean.TRUE.equals(CodeReading.bool(opts.get("freezeTableName")));
    String table = opts == null ? null : consts.eval(opts.get("tableName"));
    if (table == null) {
      table = freeze ? modelName : Inflector.plural(modelName);
    }
    Map<String, Integer> cols = new LinkedHashMap<>();
    for (Arg a : attrs.entries()) {
      if (a.name() == null) {
        continue;
      }
      if (a.value() instanceof Obj o && o.get("type") instanceof Member t && t.name().equals("VIRTUAL")) {
        continue;
      }
      String field = a.value() instanceof Obj o ? consts.eval(o.get("field")) : null;
      cols.putIfAbsent(field != null ? field : underscored ? Inflector.snake(a.name()) : a.name(), a.value().line());
    }
    boolean timestamps = opts == null || !Boolean.FALSE.equals(CodeReading.bool(opts.get("timestamps")));
    if (timestamps) {
      cols.putIfAbsent(underscored ? "created_at" : "createdAt", line);
      cols.putIfAbsent(underscored ? "updated_at" : "updatedAt", line);
    }
    if (opts != null && Boolean.TRUE.equals(CodeReading.bool(opts.get("paranoid")))) {
      cols.putIfAbsent(underscored ? "deleted_at" : "deletedAt", line);
    }
    return new OrmModel(Framework.SEQUELIZE, modelName, table, path, line, cols, Map.of(), List.of());
  }
}
