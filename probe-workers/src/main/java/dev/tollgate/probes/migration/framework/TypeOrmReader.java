package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.DialectDetector;
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
import dev.tollgate.probes.migration.framework.Code.New;
import dev.tollgate.probes.migration.framework.Code.Node;
import dev.tollgate.probes.migration.framework.Code.Num;
import dev.tollgate.probes.migration.framework.Code.Obj;
import dev.tollgate.probes.migration.framework.Code.Stmt;
import dev.tollgate.probes.migration.framework.CodeLexer.Lang;
import dev.tollgate.probes.migration.framework.Ddl.Column;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TypeORM migrations (classes implementing {@code MigrationInterface}): the SQL of {@code queryRunner.query(...)} —
 * what {@code migration:generate} writes — and the QueryRunner schema API ({@code addColumn}, {@code dropColumn},
 * {@code renameColumn}, {@code changeColumn}, {@code createIndex}, {@code createForeignKey}, {@code createTable}, ...)
 * rendered as TypeORM's PostgreSQL and MySQL query runners run them. Transactions: TypeORM runs every pending
 * migration in one transaction by default ({@code migrationsTransactionMode: 'all'}); a migration with
 * {@code transaction = false} runs without one (which needs the mode {@code 'each'} or {@code 'none'}). Entities
 * ({@code @Entity}, {@code @Column}) of the running release feed the old-code check. docs/rules/migration/typeorm.md.
 */
public final class TypeOrmReader implements FrameworkReader {
  private static final Pattern VERSION = Pattern.compile("(\\d{10,17})\\D.*");
  private static final Pattern CLASS_VERSION = Pattern.compile(".*?(\\d{10,17})$");
  private static final Set<String> COLUMN_DECORATORS = Set.of("Column", "PrimaryColumn", "PrimaryGeneratedColumn",
      "CreateDateColumn", "UpdateDateColumn", "DeleteDateColumn", "VersionColumn", "ObjectIdColumn", "ViewColumn");

  @Override
  public Framework framework() {
    return Framework.TYPEORM;
  }

  @Override
  public boolean claims(String path) {
    return JsModule.MIGRATION_DIR_FILE.matcher(path).matches();
  }

  @Override
  public boolean confirms(String path, String text) {
    return text.contains("MigrationInterface") || text.contains("queryRunner") && text.contains("up(");
  }

  @Override
  public boolean claimsContent(String path, String text) {
    return path.matches(".*\\.(js|ts|mjs|cjs|mts|cts)") && text.contains("MigrationInterface");
  }

  @Override
  public Migration read(MigrationSource source) {
    if (!confirms(source.path(), source.text())) {
      return null;
    }
    List<Stmt> stmts = CodeParser.parse(source.text(), Lang.JS);
    ClassDecl cls = null;
    for (ClassDecl c : Code.classes(stmts)) {
      if (c.supertypes().contains("MigrationInterface") || c.member("up") != null && c.member("up").method() != null) {
        cls = c;
        break;
      }
    }
    if (cls == null || cls.member("up") == null || cls.member("up").method() == null) {
      return null;
    }
    Fn up = cls.member("up").method();
    String version = null;
    Matcher vm = VERSION.matcher(source.fileName());
    Matcher cm = CLASS_VERSION.matcher(cls.name());
    if (vm.matches()) {
      version = vm.group(1);
    } else if (cm.matches()) {
      version = cm.group(1);
    }
    Code.Constants consts = Code.Constants.of(stmts);
    Dialect dialect = Dialects.of(source, () -> sqlDialect(up, consts));
    MigrationBuilder b = new MigrationBuilder(source, Framework.TYPEORM, version, dialect);
    Decl txDecl = cls.member("transaction");
    Boolean tx = txDecl == null ? null : CodeReading.bool(txDecl.value());
    b.unit(Boolean.FALSE.equals(tx) ? "this migration sets transaction = false, so TypeORM runs it without a transaction"
        : "TypeORM runs pending migrations in a transaction", up.line(), !Boolean.FALSE.equals(tx));
    Reading r = new Reading(source, b, cls, up.params().isEmpty() ? "queryRunner" : up.params().get(0));
    r.consts = consts;
    r.statements(up.statements());
    Decl down = cls.member("down");
    if (down != null && down.method() != null && !down.method().statements().isEmpty()) {
      b.wayBack("its down() method");
    }
    return b.build();
  }

  /** The dialect of the SQL strings the migration runs (generated migrations quote identifiers the database's way). */
  private static Dialect sqlDialect(Fn up, Code.Constants consts) {
    List<Call> calls = new ArrayList<>();
    for (Stmt s : up.statements()) {
      if (s instanceof Code.Expr e) {
        Code.calls(e.expr(), calls);
      }
    }
    StringBuilder sql = new StringBuilder();
    for (Call c : calls) {
      if (c.name().equals("query") && c.arg(0) != null) {
        String v = consts.eval(c.arg(0));
        if (v != null) {
          sql.append(v).append(";\n");
        }
      }
    }
    return sql.length() == 0 ? Dialect.POSTGRESQL : DialectDetector.fromContent(sql.toString());
  }

  // ------------------------------------------------------------------------------------------------ reading

  private static final class Reading extends JsReading {
    private final ClassDecl cls;
    private final String runner;

    Reading(MigrationSource source, MigrationBuilder b, ClassDecl cls, String runner) {
      super(source, b);
      this.cls = cls;
      this.runner = runner;
    }

    @Override
    Set<String> connectionNames() {
      return Set.copyOf(List.of(runner, "queryRunner")); // Set.of throws on the usual runner == "queryRunner"
    }

    private boolean isRunner(Node n) {
      return n instanceof Name nm && (nm.name().equals(runner) || nm.name().equals("queryRunner"));
    }

    @Override
    boolean operation(Chain chain, Node whole) {
      Node root = chain.root();
      Call op = chain.first();
      if (isRunner(root)) {
        runnerCall(op);
        return true;
      }
      // queryRunner.manager.query(...), queryRunner.connection.query(...), this.dataSource.query(...)
      if (root instanceof Member m && (isRunner(m.target()) || m.target() instanceof Name t && t.name().equals("this"))
          && Set.of("manager", "connection", "dataSource").contains(m.name())) {
        if (op.name().equals("query")) {
          rawSql(op.arg(0), op.line(), m.name() + ".query");
        } else if (!Set.of("getRepository", "hasMetadata", "getMetadata", "options", "driver").contains(op.name())
            || chain.calls().size() > 1) {
          b.unread(op.line(), lineText(op.line()), "entity manager code on the data", Unread.Kind.DATA);
        }
        return true;
      }
      if (root instanceof Name t && t.name().equals("this") && cls.member(op.name()) != null
          && cls.member(op.name()).method() != null) {
        statements(cls.member(op.name()).method().statements()); // a helper method of the migration
        return true;
      }
      return false;
    }

    @Override
    boolean ignorable(Chain chain) {
      return chain.root() instanceof Name n && (n.name().equals("console") || n.name().equals("logger")
          || n.name().equals("Logger"));
    }

    private String tableName(Node n) {
      if (n instanceof New nw && nw.type().equals("Table") && !nw.args().isEmpty()
          && nw.args().get(0).value() instanceof Obj o) {
        return str(o.get("name"));
      }
      return str(n);
    }

    private void runnerCall(Call op) {
      int line = op.line();
      String name = op.name();
      switch (name) {
        case "query" -> rawSql(op.arg(0), line, "queryRunner.query");
        case "hasTable", "hasColumn", "getTable", "getTables", "hasSchema", "hasDatabase", "getCurrentSchema",
            "getCurrentDatabase", "release", "startTransaction", "commitTransaction", "rollbackTransaction",
            "isTransactionActive", "clearSqlMemory", "getView" -> { }
        case "addColumn", "addColumns" -> {
          String table = tableName(op.arg(0));
          List<Node> cols = name.equals("addColumns") && op.arg(1) instanceof Arr a
              ? a.items().stream().map(Arg::value).toList() : List.of(op.arg(1));
          for (Node c : cols) {
            Column col = column(c);
            if (table == null || col == null) {
              b.unread(line, lineText(line), name + " of a column the probe cannot read", Unread.Kind.SCHEMA);
              return;
            }
            b.sql(ddl.addColumn(table, col), line);
            uniqueFor(table, c, line);
          }
        }
        case "dropColumn", "dropColumns" -> {
          String table = tableName(op.arg(0));
          List<String> cols = new ArrayList<>();
          Node arg = op.arg(1);
          List<Node> items = arg instanceof Arr a ? a.items().stream().map(Arg::value).toList() : List.of(arg);
          for (Node c : items) {
            String n = c instanceof New nw ? columnName(nw) : str(c);
            if (n == null) {
              cols = null;
              break;
            }
            cols.add(n);
          }
          if (table == null || cols == null) {
            b.unread(line, lineText(line), name + " of columns named at run time", Unread.Kind.SCHEMA);
          } else {
            b.sql(ddl.dropColumns(table, cols), line);
          }
        }
        case "renameColumn" -> {
          String table = tableName(op.arg(0));
          String from = op.arg(1) instanceof New n1 ? columnName(n1) : str(op.arg(1));
          String to = op.arg(2) instanceof New n2 ? columnName(n2) : str(op.arg(2));
          if (table == null || from == null || to == null) {
            b.unread(line, lineText(line), "renames a column named at run time", Unread.Kind.SCHEMA);
          } else {
            b.sql(ddl.renameColumn(table, from, to), line);
          }
        }
        case "changeColumn" -> changeColumn(op, line);
        case "renameTable" -> {
          String from = tableName(op.arg(0));
          String to = str(op.arg(1));
          if (from == null || to == null) {
            b.unread(line, lineText(line), "renames a table named at run time", Unread.Kind.SCHEMA);
          } else {
            b.sql(ddl.renameTable(from, to), line);
          }
        }
        case "dropTable" -> {
          String table = tableName(op.arg(0));
          if (table == null) {
            b.unread(line, lineText(line), "drops a table named at run time", Unread.Kind.SCHEMA);
          } else {
            b.sql(ddl.dropTable(table, Boolean.TRUE.equals(bool(op.arg(1)))), line);
          }
        }
        case "createTable" -> createTable(op, line);
        case "createIndex", "createIndices" -> {
          String table = tableName(op.arg(0));
          List<Node> idx = name.equals("createIndices") && op.arg(1) instanceof Arr a
              ? a.items().stream().map(Arg::value).toList() : List.of(op.arg(1));
          for (Node i : idx) {
            if (table == null || !index(table, i, line)) {
              b.unread(line, lineText(line), name + " of an index the probe cannot read", Unread.Kind.SCHEMA);
              return;
            }
          }
        }
        case "dropIndex", "dropIndices" -> {
          String table = tableName(op.arg(0));
          Node i = op.arg(1);
          String idx = i instanceof New nw && !nw.args().isEmpty() && nw.args().get(0).value() instanceof Obj o
              ? str(o.get("name")) : str(i);
          boolean concurrent = i instanceof New nw2 && !nw2.args().isEmpty() && nw2.args().get(0).value() instanceof Obj o2
              && Boolean.TRUE.equals(bool(o2.get("isConcurrent")));
          if (idx == null) {
            b.unread(line, lineText(line), "drops an index named at run time", Unread.Kind.SCHEMA);
          } else {
            b.sql(ddl.dropIndex(idx, table, concurrent, false), line);
          }
        }
        case "createForeignKey", "createForeignKeys" -> {
          String table = tableName(op.arg(0));
          List<Node> fks = name.equals("createForeignKeys") && op.arg(1) instanceof Arr a
              ? a.items().stream().map(Arg::value).toList() : List.of(op.arg(1));
          for (Node fk : fks) {
            String sql = table == null ? null : foreignKey(table, fk);
            if (sql == null) {
              b.unread(line, lineText(line), name + " the probe cannot read", Unread.Kind.SCHEMA);
              return;
            }
            b.sql(sql, line);
          }
        }
        case "dropForeignKey", "dropForeignKeys", "dropUniqueConstraint", "dropCheckConstraint", "dropPrimaryKey" -> {
          String table = tableName(op.arg(0));
          Node c = op.arg(1);
          String cname = c instanceof New nw && !nw.args().isEmpty() && nw.args().get(0).value() instanceof Obj o
              ? str(o.get("name")) : str(c);
          if (name.equals("dropPrimaryKey")) {
            cname = cname == null ? table + "_pkey" : cname;
          }
          if (table == null || cname == null) {
            b.unread(line, lineText(line), name + " of a constraint named at run time", Unread.Kind.SCHEMA);
          } else {
            b.sql(name.equals("dropForeignKey") || name.equals("dropForeignKeys") ? ddl.dropForeignKey(table, cname)
                : name.equals("dropPrimaryKey") ? ddl.dropPrimaryKey(table, cname) : ddl.dropConstraint(table, cname),
                line);
          }
        }
        case "createUniqueConstraint", "createPrimaryKey", "createCheckConstraint" -> {
          String table = tableName(op.arg(0));
          String sql = null;
          if (table != null && name.equals("createPrimaryKey")) {
            List<String> cols = strings(op.arg(1));
            sql = cols == null ? null : ddl.addPrimaryKey(table, op.arg(2) == null ? null : str(op.arg(2)), cols);
          } else if (table != null && op.arg(1) instanceof New nw && !nw.args().isEmpty()
              && nw.args().get(0).value() instanceof Obj o) {
            String cname = str(o.get("name"));
            if (name.equals("createUniqueConstraint")) {
              List<String> cols = strings(o.get("columnNames"));
              sql = cols == null ? null : ddl.addUnique(table, cname, cols);
            } else {
              String expr = str(o.get("expression"));
              sql = expr == null ? null : ddl.addCheck(table, cname == null ? table + "_check" : cname, expr, false);
            }
          }
          if (sql == null) {
            b.unread(line, lineText(line), name + " the probe cannot read", Unread.Kind.SCHEMA);
          } else {
            b.sql(sql, line);
          }
        }
        case "clearTable" -> {
          String table = tableName(op.arg(0));
          if (table != null) {
            b.sql("TRUNCATE " + ddl.q(table), line);
          }
        }
        case "createSchema", "createDatabase", "createView", "dropView", "dropSchema", "dropDatabase" -> {
          String n = str(op.arg(0));
          if (n != null && (name.equals("createSchema") || name.equals("dropSchema"))) {
            b.sql((name.startsWith("create") ? "CREATE SCHEMA IF NOT EXISTS " : "DROP SCHEMA ") + b.ident(n), line);
          } else {
            b.unread(line, lineText(line), "queryRunner." + name + " the probe does not read", Unread.Kind.SCHEMA);
          }
        }
        case "manager", "connection" -> b.unread(line, lineText(line), "entity manager code on the data",
            Unread.Kind.DATA);
        default -> b.unread(line, lineText(line), "a QueryRunner method the probe does not know (" + name + ")",
            Unread.Kind.SCHEMA);
      }
    }

    /** {@code new TableColumn({ name, type, length, isNullable, default, isPrimary, isGenerated, ... })}. */
    private Column column(Node n) {
      if (!(n instanceof New nw) || nw.args().isEmpty() || !(nw.args().get(0).value() instanceof Obj o)) {
        return null;
      }
      String name = str(o.get("name"));
      String type = str(o.get("type"));
      if (name == null || type == null) {
        return null;
      }
      String length = o.get("length") instanceof Num num ? num.text() : str(o.get("length"));
      if (length != null && !length.isEmpty()) {
        type = type + "(" + length + ")";
      } else if (o.get("precision") != null) {
        String p = o.get("precision") instanceof Num np ? np.text() : "10";
        String s = o.get("scale") instanceof Num ns ? ns.text() : null;
        type = type + "(" + p + (s == null ? "" : ", " + s) + ")";
      }
      if (type.equalsIgnoreCase("enum")) {
        type = ddl.mysql() ? "enum('?')" : "text"; // TypeORM creates a type "<table>_<column>_enum" first
      }
      Boolean nullable = bool(o.get("isNullable"));
      String def = null;
      Node d = o.get("default");
      if (d != null) {
        def = d instanceof Num dn ? dn.text() : bool(d) != null ? bool(d).toString() : str(d);
        if (def == null) {
          def = "'?'";
        }
      }
      String extra = null;
      if (Boolean.TRUE.equals(bool(o.get("isGenerated")))) {
        String strategy = str(o.get("generationStrategy"));
        if ("uuid".equals(strategy)) {
          def = ddl.mysql() ? def : "uuid_generate_v4()";
        } else {
          type = ddl.mysql() ? type : type.toLowerCase(Locale.ROOT).startsWith("bigint") ? "bigserial" : "serial";
          extra = ddl.mysql() ? "AUTO_INCREMENT" : null;
        }
      }
      if (Boolean.TRUE.equals(bool(o.get("isPrimary")))) {
        extra = extra == null ? "PRIMARY KEY" : extra + " PRIMARY KEY";
      }
      // TypeORM columns are NOT NULL unless isNullable: true.
      return new Column(name, type, nullable == null ? Boolean.FALSE : nullable, def, extra);
    }

    private void uniqueFor(String table, Node n, int line) {
      if (n instanceof New nw && !nw.args().isEmpty() && nw.args().get(0).value() instanceof Obj o
          && Boolean.TRUE.equals(bool(o.get("isUnique")))) {
        String col = str(o.get("name"));
        b.sql(ddl.addUnique(table, "UQ_" + table + "_" + col, List.of(col)), line);
      }
    }

    private String columnName(New nw) {
      return !nw.args().isEmpty() && nw.args().get(0).value() instanceof Obj o ? str(o.get("name")) : null;
    }

    /**
     * {@code changeColumn(table, old, new)}: TypeORM renames when the name changes, recreates the column when its type
     * changes, and otherwise alters nullability and default. The old type is the database's when {@code old} is a
     * name, so a given type is read as a type change (the rules decide with the history whether it is one).
     */
    private void changeColumn(Call op, int line) {
      String table = tableName(op.arg(0));
      Column now = column(op.arg(2));
      String oldName = op.arg(1) instanceof New on ? columnName(on) : str(op.arg(1));
      Column old = op.arg(1) instanceof New ? column(op.arg(1)) : null;
      if (table == null || now == null || oldName == null) {
        b.unread(line, lineText(line), "changeColumn of a column the probe cannot read", Unread.Kind.SCHEMA);
        return;
      }
      if (!oldName.equals(now.name())) {
        b.sql(ddl.renameColumn(table, oldName, now.name()), line);
      }
      if (old != null && old.type().equalsIgnoreCase(now.type())) {
        if (!Boolean.valueOf(Boolean.TRUE.equals(old.nullable())).equals(Boolean.TRUE.equals(now.nullable()))) {
          b.sql(ddl.setNotNull(table, now.name(), !Boolean.TRUE.equals(now.nullable()), now.type()), line);
        }
        if (now.defaultSql() != null && !now.defaultSql().equals(old.defaultSql())) {
          b.sql(ddl.setDefault(table, now.name(), now.defaultSql()), line);
        }
        return;
      }
      if (old != null) {
        // Another type: TypeORM drops the column and adds it again, losing its data.
        b.sql(ddl.dropColumns(table, List.of(now.name())), line);
        b.sql(ddl.addColumn(table, now), line);
        return;
      }
      for (String sql : ddl.changeColumn(table, now, true)) {
        b.sql(sql, line);
      }
    }

    private boolean index(String table, Node n, int line) {
      if (!(n instanceof New nw) || nw.args().isEmpty() || !(nw.args().get(0).value() instanceof Obj o)) {
        return false;
      }
      List<String> cols = strings(o.get("columnNames"));
      if (cols == null) {
        return false;
      }
      String name = str(o.get("name"));
      if (name == null) {
        name = "IDX_" + table + "_" + String.join("_", cols);
      }
      String where = str(o.get("where"));
      b.sql(ddl.createIndex(name, table, cols, Boolean.TRUE.equals(bool(o.get("isUnique"))),
          Boolean.TRUE.equals(bool(o.get("isConcurrent"))), Boolean.TRUE.equals(bool(o.get("isSpatial"))) ? "gist" : null,
          where), line);
      return true;
    }

    private String foreignKey(String table, Node n) {
      if (!(n instanceof New nw) || nw.args().isEmpty() || !(nw.args().get(0).value() instanceof Obj o)) {
        return null;
      }
      List<String> cols = strings(o.get("columnNames"));
      List<String> refCols = strings(o.get("referencedColumnNames"));
      String ref = str(o.get("referencedTableName"));
      if (cols == null || refCols == null || ref == null) {
        return null;
      }
      String name = str(o.get("name"));
      String onDelete = str(o.get("onDelete"));
      return ddl.addForeignKey(table, name == null ? "FK_" + table + "_" + String.join("_", cols) : name, cols, ref,
          refCols, onDelete, false);
    }

    private void createTable(Call op, int line) {
      if (!(op.arg(0) instanceof New nw) || nw.args().isEmpty() || !(nw.args().get(0).value() instanceof Obj o)) {
        b.unread(line, lineText(line), "createTable of a table the probe cannot read", Unread.Kind.SCHEMA);
        return;
      }
      String table = str(o.get("name"));
      List<Column> cols = new ArrayList<>();
      if (table == null || !(o.get("columns") instanceof Arr arr)) {
        b.unread(line, lineText(line), "createTable of a table the probe cannot read", Unread.Kind.SCHEMA);
        return;
      }
      for (Arg a : arr.items()) {
        Node c = a.value() instanceof Obj co ? new New("TableColumn", List.of(new Arg(null, co)), null, co.line())
            : a.value();
        Column col = column(c);
        if (col == null) {
          b.unread(line, lineText(line), "createTable with a column the probe cannot read", Unread.Kind.SCHEMA);
          return;
        }
        cols.add(col);
      }
      b.sql(ddl.createTable(table, cols, List.of(), Boolean.TRUE.equals(bool(op.arg(1)))), line);
      if (o.get("foreignKeys") instanceof Arr fks) {
        for (Arg a : fks.items()) {
          Node fk = a.value() instanceof Obj fo ? new New("TableForeignKey", List.of(new Arg(null, fo)), null, fo.line())
              : a.value();
          String sql = foreignKey(table, fk);
          if (sql != null) {
            b.sql(sql, line);
          }
        }
      }
      if (o.get("indices") instanceof Arr idx) {
        for (Arg a : idx.items()) {
          Node i = a.value() instanceof Obj io ? new New("TableIndex", List.of(new Arg(null, io)), null, io.line())
              : a.value();
          index(table, i, line);
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------------------ entities

  @Override
  public boolean mayDefineModels(String path) {
    return path.matches(".*\\.(ts|js|mts|mjs)") && !path.endsWith(".d.ts");
  }

  @Override
  public List<OrmModel> models(String path, String text, RepoFiles files) {
    if (!text.contains("@Entity") || !text.contains("typeorm")) {
      return List.of();
    }
    List<OrmModel> out = new ArrayList<>();
    List<Stmt> stmts = CodeParser.parse(text, Lang.JS);
    Code.Constants consts = Code.Constants.of(stmts);
    for (ClassDecl c : Code.classes(stmts)) {
      Annotation entity = null;
      for (Annotation a : c.annotations()) {
        if (a.name().equals("Entity")) {
          entity = a;
        }
      }
      if (entity == null || c.name().isEmpty()) {
        continue;
      }
      String table = consts.eval(entity.arg(0));
      if (table == null && entity.arg(0) instanceof Obj o) {
        table = consts.eval(o.get("name"));
      }
      if (table == null) {
        table = Inflector.snake(c.name()); // DefaultNamingStrategy.tableName
      }
      Map<String, Integer> columns = new LinkedHashMap<>();
      for (Decl d : c.members()) {
        if (d.method() != null) {
          continue;
        }
        for (Annotation a : d.annotations()) {
          String column = null;
          if (COLUMN_DECORATORS.contains(a.name())) {
            column = d.name();
            for (Arg arg : a.args()) {
              if (arg.value() instanceof Obj o && consts.eval(o.get("name")) != null) {
                column = consts.eval(o.get("name"));
              }
            }
          } else if (a.name().equals("JoinColumn")) {
            column = a.arg(0) instanceof Obj o && consts.eval(o.get("name")) != null ? consts.eval(o.get("name"))
                : d.name() + "Id";
          }
          if (column != null) {
            columns.putIfAbsent(column, a.line());
            columns.putIfAbsent(Inflector.snake(column), a.line()); // with a snake-case naming strategy
          }
        }
      }
      out.add(new OrmModel(Framework.TYPEORM, c.name(), table, path, c.line(), columns, Map.of(), List.of()));
    }
    return out;
  }
}
