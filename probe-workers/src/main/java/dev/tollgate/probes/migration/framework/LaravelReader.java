package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.Framework;
import dev.tollgate.probes.migration.Migration;
import dev.tollgate.probes.migration.OrmModel;
import dev.tollgate.probes.migration.Unread;
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
 * Laravel migrations ({@code database/migrations/*.php}): the Schema builder ({@code Schema::create/table/drop/rename},
 * Blueprint columns with their modifiers, {@code ->change()}, drops, renames, indexes and foreign keys) rendered as
 * Laravel's PostgreSQL and MySQL grammars compile them, {@code DB::statement}/{@code DB::unprepared} SQL, and the
 * transaction model: one transaction per migration on PostgreSQL unless {@code public $withinTransaction = false}.
 * Eloquent models of the running release ({@code $table}, {@code $fillable}, {@code $casts}, ...) feed the old-code
 * check. docs/rules/migration/laravel.md.
 */
public final class LaravelReader implements FrameworkReader {
  private static final Pattern PATH = Pattern.compile("(^|.*/)database/migrations/(.+/)?[^/]+\\.php");
  private static final Pattern VERSION = Pattern.compile("(\\d{4})_(\\d{2})_(\\d{2})_(\\d{6})_.*");
  private static final Set<String> MODEL_BASES = Set.of("Model", "Authenticatable", "Pivot", "MorphPivot", "User");
  /** Facades that may change the schema or run SQL: never taken for application code. */
  private static final Set<String> FACADES = Set.of("Schema", "DB", "Artisan", "Process", "Blueprint");

  @Override
  public Framework framework() {
    return Framework.LARAVEL;
  }

  @Override
  public boolean claims(String path) {
    return PATH.matcher(path).matches();
  }

  @Override
  public boolean claimsContent(String path, String text) {
    return path.endsWith(".php") && text.contains("Migration") && (text.contains("Schema::")
        || text.contains("Illuminate\\Database\\Migrations"));
  }

  @Override
  public Migration read(MigrationSource source) {
    List<Stmt> stmts = CodeParser.parse(source.text(), Lang.PHP);
    ClassDecl cls = null;
    for (ClassDecl c : Code.classes(stmts)) {
      // Packages ship their own bases (laravel/ai's AiMigration extends Migration): any *Migration base is one.
      if (c.supertypes().stream().anyMatch(t -> t.endsWith("Migration"))) {
        cls = c;
        break;
      }
    }
    if (cls == null) {
      return null; // a helper beside the migrations, not a migration class
    }
    Matcher vm = VERSION.matcher(source.fileName());
    String version = vm.matches() ? vm.group(1) + vm.group(2) + vm.group(3) + vm.group(4) : null;
    Dialect dialect = Dialects.of(source, () -> hint(source));
    MigrationBuilder b = new MigrationBuilder(source, Framework.LARAVEL, version, dialect);
    Decl within = cls.member("withinTransaction");
    boolean tx = within == null || !Boolean.FALSE.equals(CodeReading.bool(within.value()));
    b.unit(tx ? "Laravel runs this migration in one transaction"
        : "this migration sets $withinTransaction = false, so Laravel runs it without a transaction",
        within != null ? within.line() : cls.line(), tx);
    Decl up = cls.member("up");
    Reading r = new Reading(source, b, cls);
    // A table prefix is empty unless the application configures one: DB::getTablePrefix() . 'pages' is pages.
    r.consts = Code.Constants.of(stmts, c -> c.name().equals("getTablePrefix") ? "" : null);
    if (up != null && up.method() != null) {
      r.statements(up.method().statements());
    }
    Decl down = cls.member("down");
    if (down != null && down.method() != null && !down.method().statements().isEmpty()) {
      b.wayBack("its down() method");
    }
    return b.build();
  }

  /** The database the application uses: {@code DB_CONNECTION} in its {@code .env.example}, else its config default. */
  private static Dialect hint(MigrationSource source) {
    String path = source.path();
    int at = path.lastIndexOf("database/migrations/");
    String root = at < 0 ? "" : path.substring(0, at);
    for (String f : List.of(".env.example", ".env", ".env.example.complete", "config/database.php",
        "app/Config/database.php")) {
      String text = source.files().read(root + f).orElse("");
      Matcher m = Pattern.compile("(?m)(?:^DB_CONNECTION\\s*=\\s*|'default'\\s*=>\\s*env\\('DB_CONNECTION',\\s*')"
          + "(\\w+)").matcher(text);
      if (m.find()) {
        String db = m.group(1).toLowerCase(Locale.ROOT);
        if (db.equals("mysql") || db.equals("mariadb")) {
          return Dialect.MYSQL;
        }
        if (db.equals("pgsql")) {
          return Dialect.POSTGRESQL;
        }
      }
    }
    return Dialect.POSTGRESQL;
  }

  // ------------------------------------------------------------------------------------------------ reading

  private static final class Reading extends CodeReading {
    private final ClassDecl cls;

    Reading(MigrationSource source, MigrationBuilder b, ClassDecl cls) {
      super(source, b);
      this.cls = cls;
    }

    @Override
    boolean operation(Chain chain, Node whole) {
      String root = rootName(chain.root());
      Call first = chain.first();
      if (root.equals("Schema") || root.equals("$this.schema") || root.equals("$schema")) {
        List<Call> calls = chain.calls();
        int i = 0;
        if (calls.get(0).name().equals("connection")) {
          i = 1;
        }
        if (i >= calls.size()) {
          return true;
        }
        return schema(calls.get(i));
      }
      if (root.equals("DB")) {
        Call op = chain.last();
        switch (op.name()) {
          case "statement", "unprepared" -> {
            rawSql(op.arg(0), op.line(), "DB::" + op.name());
            return true;
          }
          case "update", "insert", "delete", "affectingStatement" -> {
            if (chain.calls().size() == 1 || chain.first().name().equals("connection")) {
              rawSql(op.arg(0), op.line(), "DB::" + op.name());
              return true;
            }
            b.unread(op.line(), lineText(op.line()), "a query builder " + op.name() + " on the data", Unread.Kind.DATA);
            return true;
          }
          case "commit", "beginTransaction", "rollBack", "transaction", "select", "selectOne", "raw", "getPdo",
              "getDriverName", "getSchemaBuilder", "connection", "scalar", "getTablePrefix", "getName",
              "getConfig", "getDatabaseName" -> {
            if (op.name().equals("transaction") && op.arg(0) instanceof Fn fn) {
              body(fn);
            }
            return true;
          }
          default -> {
            b.unread(op.line(), lineText(op.line()), "query builder code on the data", Unread.Kind.DATA);
            return true;
          }
        }
      }
      if ((root.equals("$this") || root.equals("self") || root.equals("static")) && cls.member(first.name()) != null
          && cls.member(first.name()).method() != null) {
        statements(cls.member(first.name()).method().statements()); // a helper method of the migration itself
        return true;
      }
      if (chain.root() instanceof Name n && Character.isUpperCase(n.name().charAt(0)) && !n.name().contains("\\")
          && Set.of("where", "query", "chunk", "chunkById", "each", "update", "create", "insert", "all", "get",
              "whereNull", "whereIn", "lazy", "cursor", "find", "first", "firstOrCreate", "updateOrCreate", "with",
              "withTrashed", "delete", "destroy", "truncate", "upsert").contains(first.name())) {
        b.unread(first.line(), lineText(first.line()), "Eloquent model code on the data", Unread.Kind.DATA);
        return true;
      }
      if (root.equals("Artisan") || root.equals("$this") && first.name().equals("call")) {
        b.unread(first.line(), lineText(first.line()), "runs an Artisan command or seeder", Unread.Kind.DATA);
        return true;
      }
      // Models and other application classes (User::firstAdmin(), $song->save(), $user->attachRole($r)): code on the
      // data. Schema changes go through the Schema and DB facades, read above.
      if (chain.root() instanceof Name n && !n.name().equals("$this") && (n.name().startsWith("$")
          || Character.isUpperCase(rootName(n).isEmpty() ? 'a' : rootName(n).charAt(0))
          && !FACADES.contains(rootName(n)))) {
        b.unread(first.line(), lineText(first.line()), "application code on the data", Unread.Kind.DATA);
        return true;
      }
      return false;
    }

    @Override
    boolean ignorable(Chain chain) {
      String root = rootName(chain.root());
      String name = chain.first().name();
      return Set.of("Log", "Cache", "Config", "App", "Event", "Storage").contains(root)
          || root.isEmpty() && Set.of("info", "logger", "dump", "echo", "config", "env", "app", "now", "collect",
              "print_r", "var_dump", "error_log", "set_time_limit", "ini_set", "database_path", "base_path")
              .contains(name)
          || root.equals("$this") && Set.of("info", "comment", "line", "warn", "error").contains(name)
          || root.equals("$this.command") || root.equals("$this.output");
    }

    private static String rootName(Node n) {
      if (n instanceof Name nm) {
        String s = nm.name();
        int bs = s.lastIndexOf('\\');
        return bs >= 0 ? s.substring(bs + 1) : s;
      }
      if (n instanceof Member m && m.target() instanceof Name t) {
        return t.name() + "." + m.name();
      }
      return "";
    }

    // ---------------------------------------------------------------------------------------- Schema facade

    private boolean schema(Call op) {
      int line = op.line();
      switch (op.name()) {
        case "create", "table", "createIfNotExists" -> {
          String table = str(op.arg(0));
          Fn fn = closure(op.arg(1));
          if (table == null && !op.name().equals("table")) {
            // A new table, whatever its name: nothing running reads it or waits on it.
            table = "table_created_at_line_" + line;
          }
          if (table == null) {
            b.unread(line, lineText(line), "Schema::" + op.name() + " on a table named at run time", Unread.Kind.SCHEMA);
            return true;
          }
          if (fn == null) {
            b.unread(line, lineText(line), "Schema::" + op.name() + " with a callback the probe cannot see",
                Unread.Kind.SCHEMA);
            return true;
          }
          new Blueprint(this, table, fn, !op.name().equals("table")).read();
          return true;
        }
        case "drop", "dropIfExists" -> {
          String table = str(op.arg(0));
          if (table == null) {
            b.unread(line, lineText(line), "Schema::" + op.name() + " on a table named at run time", Unread.Kind.SCHEMA);
          } else {
            b.sql(ddl.dropTable(table, op.name().equals("dropIfExists")), line);
          }
          return true;
        }
        case "rename" -> {
          String from = str(op.arg(0));
          String to = str(op.arg(1));
          if (from == null || to == null) {
            b.unread(line, lineText(line), "Schema::rename of tables named at run time", Unread.Kind.SCHEMA);
          } else {
            b.sql(ddl.renameTable(from, to), line);
          }
          return true;
        }
        case "dropColumns", "dropColumn" -> {
          String table = str(op.arg(0));
          List<String> cols = strings(op.arg(1));
          if (table == null || cols == null) {
            b.unread(line, lineText(line), "Schema::" + op.name() + " of columns named at run time", Unread.Kind.SCHEMA);
          } else {
            b.sql(ddl.dropColumns(table, cols), line);
          }
          return true;
        }
        case "hasTable", "hasColumn", "hasColumns", "hasIndex", "getColumnListing", "getColumns", "getIndexes",
            "getTables", "getColumnType", "disableForeignKeyConstraints", "enableForeignKeyConstraints",
            "withoutForeignKeyConstraints", "defaultStringLength", "getConnection", "whenTableHasColumn",
            "whenTableDoesntHaveColumn" -> {
          if (op.name().equals("withoutForeignKeyConstraints") && op.arg(0) instanceof Fn fn) {
            body(fn);
          }
          return true;
        }
        default -> {
          b.unread(line, lineText(line), "a Schema method the probe does not know", Unread.Kind.SCHEMA);
          return true;
        }
      }
    }

    String defaultSql(Node v) {
      if (v == null) {
        return "NULL";
      }
      if (v instanceof Name n) {
        String s = n.name().toLowerCase(Locale.ROOT);
        if (s.equals("null")) {
          return "NULL";
        }
        if (s.equals("true") || s.equals("false")) {
          return ddl.mysql() ? (s.equals("true") ? "1" : "0") : s.toUpperCase(Locale.ROOT);
        }
      }
      if (v instanceof Num n) {
        return n.text();
      }
      if (v instanceof Call c && (c.name().equals("raw") || c.name().equals("expression"))) {
        String raw = str(c.arg(0));
        return raw == null ? "'?'" : raw;
      }
      if (v instanceof New n && n.type().equals("Expression")) {
        String raw = n.args().isEmpty() ? null : str(n.args().get(0).value());
        return raw == null ? "'?'" : raw;
      }
      String s = str(v);
      // Anything else is PHP evaluated when the migration runs: a constant literal by the time SQL sees it.
      return MigrationBuilder.literal(s == null ? "?" : s);
    }
  }

  // ------------------------------------------------------------------------------------------------ Blueprint

  /** One {@code Schema::create/table('t', function (Blueprint $table) { ... })} callback. */
  private static final class Blueprint extends TableBuilder {
    private final Reading r;

    Blueprint(Reading r, String table, Fn fn, boolean creating) {
      super(r, table, fn, creating, false, "$table");
      this.r = r;
    }

    @Override
    void command(CodeReading.Chain chain) {
      Call op = chain.first();
      int line = op.line();
      String name = op.name();
      switch (name) {
        case "dropColumn", "removeColumn" -> {
          List<String> cols = new ArrayList<>();
          for (Arg a : op.args()) {
            List<String> s = r.strings(a.value());
            if (s == null) {
              unread(line, "drops columns named at run time");
              return;
            }
            cols.addAll(s);
          }
          if (!cols.isEmpty()) {
            emit(r.ddl.dropColumns(table, cols), line);
          }
        }
        case "dropColumnIfExists" -> unread(line, "a Blueprint method the probe does not know");
        case "renameColumn" -> {
          String from = r.str(op.arg(0));
          String to = r.str(op.arg(1));
          if (from == null || to == null) {
            unread(line, "renames a column named at run time");
          } else {
            emit(r.ddl.renameColumn(table, from, to), line);
          }
        }
        case "rename" -> {
          String to = r.str(op.arg(0));
          if (to == null) {
            unread(line, "renames the table to a name computed at run time");
          } else {
            emit(r.ddl.renameTable(table, to), line);
          }
        }
        case "drop", "dropIfExists" -> emit(r.ddl.dropTable(table, name.equals("dropIfExists")), line);
        case "dropTimestamps", "dropTimestampsTz" -> emit(r.ddl.dropColumns(table, List.of("created_at", "updated_at")),
            line);
        case "dropSoftDeletes", "dropSoftDeletesTz" -> {
          String col = op.arg(0) == null ? "deleted_at" : r.str(op.arg(0));
          emit(r.ddl.dropColumns(table, List.of(col == null ? "deleted_at" : col)), line);
        }
        case "dropRememberToken" -> emit(r.ddl.dropColumns(table, List.of("remember_token")), line);
        case "dropMorphs" -> {
          String m = r.str(op.arg(0));
          if (m == null) {
            unread(line, "drops morph columns named at run time");
            return;
          }
          emit(r.ddl.dropIndex(indexName("index", List.of(m + "_type", m + "_id")), table, false, false), line);
          emit(r.ddl.dropColumns(table, List.of(m + "_type", m + "_id")), line);
        }
        case "dropIndex", "dropUnique", "dropPrimary", "dropForeign", "dropFullText", "dropSpatialIndex" -> {
          String type = switch (name) {
            case "dropUnique" -> "unique";
            case "dropPrimary" -> "primary";
            case "dropForeign" -> "foreign";
            case "dropFullText" -> "fulltext";
            case "dropSpatialIndex" -> "spatialindex";
            default -> "index";
          };
          String idx;
          if (op.arg(0) instanceof Arr) {
            List<String> cols = r.strings(op.arg(0));
            idx = cols == null ? null : indexName(type, cols);
          } else if (op.arg(0) == null && name.equals("dropPrimary")) {
            idx = table + "_pkey";
          } else {
            idx = r.str(op.arg(0));
          }
          if (idx == null) {
            unread(line, "drops an index named at run time");
            return;
          }
          switch (name) {
            case "dropForeign" -> emit(r.ddl.dropForeignKey(table, idx), line);
            case "dropPrimary" -> emit(r.ddl.dropPrimaryKey(table, idx), line);
            case "dropUnique" -> emit(r.ddl.mysql() ? r.ddl.dropIndex(idx, table, false, false)
                : r.ddl.dropConstraint(table, idx), line);
            default -> emit(r.ddl.dropIndex(idx, table, false, false), line);
          }
        }
        case "dropConstrainedForeignId" -> {
          String col = r.str(op.arg(0));
          if (col == null) {
            unread(line, "drops a foreign id named at run time");
            return;
          }
          emit(r.ddl.dropForeignKey(table, indexName("foreign", List.of(col))), line);
          emit(r.ddl.dropColumns(table, List.of(col)), line);
        }
        case "dropForeignIdFor", "dropConstrainedForeignIdFor" ->
            unread(line, "drops the foreign id of a model class, whose column the probe does not derive");
        case "index", "unique", "primary", "fullText", "spatialIndex", "rawIndex", "vectorIndex" ->
            index(chain, name, op.arg(0), op.arg(1), line);
        case "foreign" -> foreign(chain, r.strings(op.arg(0)), r.str(op.arg(1)), line);
        case "renameIndex" -> {
          String from = r.str(op.arg(0));
          String to = r.str(op.arg(1));
          if (from == null || to == null) {
            unread(line, "renames an index named at run time");
          } else {
            emit("ALTER INDEX " + r.b.ident(from) + " RENAME TO " + r.b.ident(to), line);
          }
        }
        case "engine", "charset", "collation", "comment", "temporary", "innoDb" -> { }
        case "timestamps", "nullableTimestamps", "timestampsTz", "datetimes" -> {
          String type = name.equals("timestampsTz") ? tsTz() : ts();
          column(new Column("created_at", type, true, null, null), chain, line);
          column(new Column("updated_at", type, true, null, null), chain, line);
        }
        case "morphs", "nullableMorphs", "numericMorphs", "nullableNumericMorphs", "uuidMorphs", "nullableUuidMorphs",
            "ulidMorphs", "nullableUlidMorphs" -> {
          String m = r.str(op.arg(0));
          if (m == null) {
            unread(line, "adds morph columns named at run time");
            return;
          }
          boolean nullable = name.startsWith("nullable");
          String idType = name.contains("Uuid") ? uuid() : name.contains("Ulid") ? "char(26)"
              : r.ddl.mysql() ? "bigint unsigned" : "bigint";
          column(new Column(m + "_type", "varchar(255)", nullable ? true : false, null, null), chain, line);
          column(new Column(m + "_id", idType, nullable ? true : false, null, null), chain, line);
          emit(r.ddl.createIndex(indexName("index", List.of(m + "_type", m + "_id")), table,
              List.of(m + "_type", m + "_id"), false, false, null, null), line);
        }
        default -> {
          Column c = columnType(op, r.str(op.arg(0)));
          if (c == null && op.arg(0) != null && r.str(op.arg(0)) == null && columnType(op, "?") != null) {
            // A known column type whose name comes from config or a variable (spatie/laravel-permission's tables).
            unread(line, "adds a column named at run time");
            return;
          }
          if (c == null) {
            unread(line, "a Blueprint method the probe does not know");
            return;
          }
          column(c, chain, line);
        }
      }
    }

    private String ts() {
      return r.ddl.mysql() ? "timestamp" : "timestamp(0) without time zone";
    }

    private String tsTz() {
      return r.ddl.mysql() ? "timestamp" : "timestamp(0) with time zone";
    }

    private String uuid() {
      return r.ddl.mysql() ? "char(36)" : "uuid";
    }

    /**
     * A column definition method ({@code string}, {@code foreignId}, ...) named {@code literalName} (null when its
     * first argument is not a literal), its SQL type and defaults; else null.
     */
    private Column columnType(Call op, String literalName) {
      boolean my = r.ddl.mysql();
      String name = literalName;
      String kind = op.name();
      if (name == null) {
        String fixed = switch (kind) {
          case "id" -> "id";
          case "uuid" -> "uuid";
          case "ulid" -> "ulid";
          case "ipAddress" -> "ip_address";
          case "macAddress" -> "mac_address";
          case "softDeletes", "softDeletesTz", "softDeletesDatetime" -> "deleted_at";
          case "rememberToken" -> "remember_token";
          default -> null;
        };
        if (fixed == null || op.arg(0) != null) {
          return null;
        }
        name = fixed;
      }
      String len = number(op.named("length") != null ? op.named("length") : op.arg(1));
      String type;
      Boolean nullable = false;
      String extra = null;
      switch (kind) {
        case "id", "bigIncrements" -> {
          type = my ? "bigint unsigned" : "bigserial";
          extra = my ? "AUTO_INCREMENT PRIMARY KEY" : "PRIMARY KEY";
        }
        case "increments", "integerIncrements", "mediumIncrements" -> {
          type = my ? "int unsigned" : "serial";
          extra = my ? "AUTO_INCREMENT PRIMARY KEY" : "PRIMARY KEY";
        }
        case "smallIncrements", "tinyIncrements" -> {
          type = my ? "smallint unsigned" : "smallserial";
          extra = my ? "AUTO_INCREMENT PRIMARY KEY" : "PRIMARY KEY";
        }
        case "string" -> type = "varchar(" + (len == null ? "255" : len) + ")";
        case "char" -> type = "char(" + (len == null ? "255" : len) + ")";
        case "text", "mediumText", "longText", "tinyText" -> type = my ? kind.toLowerCase(Locale.ROOT) : "text";
        case "integer", "unsignedInteger" -> type = my ? "int" + (kind.startsWith("unsigned") ? " unsigned" : "")
            : "integer";
        case "bigInteger", "unsignedBigInteger" -> type = "bigint" + (my && kind.startsWith("unsigned") ? " unsigned" : "");
        case "smallInteger", "unsignedSmallInteger", "tinyInteger", "unsignedTinyInteger" -> type = my
            ? (kind.toLowerCase(Locale.ROOT).contains("tiny") ? "tinyint" : "smallint")
                + (kind.startsWith("unsigned") ? " unsigned" : "") : "smallint";
        case "mediumInteger", "unsignedMediumInteger" -> type = my ? "mediumint" : "integer";
        case "foreignId" -> type = my ? "bigint unsigned" : "bigint";
        case "foreignUuid", "uuid" -> type = uuid();
        case "foreignUlid", "ulid" -> type = "char(26)";
        case "float" -> type = my ? "float" : "float(53)";
        case "double" -> type = my ? "double" : "double precision";
        case "decimal", "unsignedDecimal" -> {
          String total = number(op.arg(1));
          String places = number(op.arg(2));
          type = "decimal(" + (total == null ? "8" : total) + ", " + (places == null ? "2" : places) + ")";
        }
        case "boolean" -> type = my ? "tinyint(1)" : "boolean";
        case "enum", "set" -> {
          List<String> allowed = r.strings(op.arg(1));
          String values = allowed == null ? "'?'" : String.join(", ", allowed.stream().map(MigrationBuilder::literal)
              .toList());
          type = my ? kind + "(" + values + ")" : "varchar(255) CHECK (" + r.b.ident(name) + " IN (" + values + "))";
        }
        case "json" -> type = "json";
        case "jsonb" -> type = my ? "json" : "jsonb";
        case "date" -> type = "date";
        case "dateTime", "timestamp", "softDeletes", "softDeletesDatetime" -> type = my && kind.startsWith("dateTime")
            ? "datetime" : ts();
        case "dateTimeTz", "timestampTz", "softDeletesTz" -> type = tsTz();
        case "time" -> type = my ? "time" : "time(0) without time zone";
        case "timeTz" -> type = my ? "time" : "time(0) with time zone";
        case "year" -> type = my ? "year" : "integer";
        case "binary" -> type = my ? "blob" : "bytea";
        case "ipAddress" -> type = my ? "varchar(45)" : "inet";
        case "macAddress" -> type = my ? "varchar(17)" : "macaddr";
        case "geometry", "geography", "point", "polygon", "lineString", "multiPolygon" -> type = my ? "geometry" : kind;
        case "vector" -> type = "vector" + (len == null ? "" : "(" + len + ")");
        case "tsvector" -> type = "tsvector";
        case "rememberToken" -> {
          type = "varchar(100)";
          nullable = true;
        }
        case "rawColumn" -> {
          String def = r.str(op.arg(1));
          if (def == null) {
            return null;
          }
          type = def;
        }
        default -> {
          return null;
        }
      }
      if (kind.startsWith("softDeletes")) {
        nullable = true;
      }
      if (Boolean.TRUE.equals(CodeReading.bool(op.arg(1))) && kind.toLowerCase(Locale.ROOT).contains("integer")) {
        type = switch (type) { // integer('x', true): auto-increment
          case "bigint", "bigint unsigned" -> my ? type : "bigserial";
          default -> my ? type : "serial";
        };
        extra = my ? "AUTO_INCREMENT PRIMARY KEY" : "PRIMARY KEY";
      }
      return new Column(name, type, nullable, null, extra);
    }

    private static String number(Node n) {
      return n instanceof Num num ? num.text() : null;
    }

    /** A column with its modifiers: added (or part of CREATE TABLE), or changed with {@code ->change()}. */
    private void column(Column c, CodeReading.Chain chain, int line) {
      boolean change = chain.has("change");
      boolean my = r.ddl.mysql();
      String onUpdate = null;
      for (Call m : chain.calls().subList(1, chain.calls().size())) {
        switch (m.name()) {
          case "nullable" -> {
            Boolean v = m.arg(0) == null ? Boolean.TRUE : CodeReading.bool(m.arg(0));
            c = c.withNullable(v == null ? Boolean.TRUE : v);
          }
          case "default" -> c = c.withDefault(r.defaultSql(m.arg(0)));
          case "useCurrent" -> c = c.withDefault("CURRENT_TIMESTAMP");
          case "useCurrentOnUpdate" -> onUpdate = my ? "ON UPDATE CURRENT_TIMESTAMP" : null;
          case "unsigned" -> c = my && !c.type().contains("unsigned") ? c.withType(c.type() + " unsigned") : c;
          case "autoIncrement" -> {
            if (!my) {
              c = c.withType(c.type().startsWith("bigint") ? "bigserial" : "serial");
            } else {
              c = c.withExtra("AUTO_INCREMENT");
            }
          }
          case "storedAs" -> {
            String expr = r.str(m.arg(0));
            c = c.withExtra("GENERATED ALWAYS AS (" + (expr == null ? "NULL" : expr) + ") STORED");
          }
          case "virtualAs" -> {
            String expr = r.str(m.arg(0));
            c = c.withExtra("GENERATED ALWAYS AS (" + (expr == null ? "NULL" : expr) + ")" + (my ? " VIRTUAL" : ""));
          }
          case "generatedAs" -> c = c.withExtra("GENERATED BY DEFAULT AS IDENTITY");
          case "after" -> {
            String col = r.str(m.arg(0));
            if (my && col != null && !change) {
              c = c.withExtra("AFTER " + r.b.ident(col));
            }
          }
          case "first" -> {
            if (my && !change) {
              c = c.withExtra("FIRST");
            }
          }
          case "primary" -> c = c.withExtra("PRIMARY KEY");
          default -> { }
        }
      }
      if (onUpdate != null) {
        c = c.withExtra(onUpdate);
      }
      if (change) {
        // Laravel restates the whole column: type, NOT NULL unless ->nullable(), the default or none.
        Column changed = c.nullable() == null ? c.withNullable(false) : c;
        if (!my && changed.defaultSql() == null) {
          changed = changed.withDefault("NULL");
        }
        for (String sql : r.ddl.changeColumn(table, changed, true)) {
          emit(sql, line);
        }
      } else {
        addColumn(c, line);
      }
      // Column-level index modifiers and foreign keys become commands of their own.
      for (Call m : chain.calls().subList(1, chain.calls().size())) {
        switch (m.name()) {
          case "index" -> columnIndex(m, c);
          case "unique" -> {
            String idx = m.arg(0) != null && r.str(m.arg(0)) != null ? r.str(m.arg(0))
                : indexName("unique", List.of(c.name()));
            emit(r.ddl.mysql() ? "ALTER TABLE " + r.ddl.q(table) + " ADD UNIQUE " + r.b.ident(idx) + " ("
                + r.b.ident(c.name()) + ")" : r.ddl.addUnique(table, idx, List.of(c.name())), m.line());
          }
          case "constrained", "references" -> {
            foreign(chain, List.of(c.name()), null, m.line());
            return;
          }
          default -> { }
        }
      }
    }

    private void index(CodeReading.Chain chain, String kind, Node colsArg, Node nameArg, int line) {
      List<String> cols;
      if (kind.equals("rawIndex")) {
        String expr = r.str(colsArg);
        cols = expr == null ? null : List.of(expr);
      } else {
        cols = r.strings(colsArg);
      }
      if (cols == null) {
        unread(line, "an index on columns named at run time");
        return;
      }
      String type = switch (kind) {
        case "fullText" -> "fulltext";
        case "spatialIndex" -> "spatialindex";
        case "rawIndex", "vectorIndex" -> "index";
        default -> kind;
      };
      String name = nameArg != null ? r.str(nameArg) : null;
      if (name == null) {
        if (nameArg != null && !(nameArg instanceof Name nn && nn.name().equals("null"))) {
          unread(line, "an index named at run time");
          return;
        }
        name = kind.equals("primary") && !r.ddl.mysql() ? table + "_pkey" : indexName(type, cols);
      }
      boolean online = chain.has("online");
      String algorithm = chain.find("algorithm") != null ? r.str(chain.find("algorithm").arg(0)) : null;
      switch (kind) {
        case "primary" -> emit(r.ddl.addPrimaryKey(table, name, cols), line);
        case "unique" -> {
          if (r.ddl.mysql()) {
            emit("ALTER TABLE " + r.ddl.q(table) + " ADD UNIQUE " + r.b.ident(name) + " (" + r.ddl.idents(cols) + ")",
                line);
          } else if (online || algorithm != null) {
            // Laravel builds the unique index (concurrently with ->online()) and attaches it as the constraint.
            emit(r.ddl.createIndex(name, table, cols, true, online, algorithm, null), line);
            emit("ALTER TABLE " + r.ddl.q(table) + " ADD CONSTRAINT " + r.b.ident(name) + " UNIQUE USING INDEX "
                + r.b.ident(name), line);
          } else {
            emit(r.ddl.addUnique(table, name, cols), line);
          }
        }
        case "fullText" -> emit(r.ddl.mysql() ? "ALTER TABLE " + r.ddl.q(table) + " ADD FULLTEXT " + r.b.ident(name)
            + " (" + r.ddl.idents(cols) + ")" : r.ddl.createIndex(name, table, List.of("(to_tsvector('english', "
            + String.join(" || ' ' || ", cols) + "))"), false, online, "gin", null), line);
        case "spatialIndex" -> emit(r.ddl.mysql() ? "ALTER TABLE " + r.ddl.q(table) + " ADD SPATIAL INDEX "
            + r.b.ident(name) + " (" + r.ddl.idents(cols) + ")" : r.ddl.createIndex(name, table, cols, false, online,
            "gist", null), line);
        default -> emit(r.ddl.mysql() ? "ALTER TABLE " + r.ddl.q(table) + " ADD INDEX " + r.b.ident(name) + " ("
            + String.join(", ", cols.stream().map(x -> x.matches("\\w+") ? r.b.ident(x) : x).toList()) + ")"
            : r.ddl.createIndex(name, table, cols, false, online, algorithm, null), line);
      }
    }

    /** {@code $table->foreign('user_id')->references('id')->on('users')}, or a column's {@code ->constrained()}. */
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
          case "constrained" -> {
            String t = m.arg(0) == null ? null : r.str(m.arg(0));
            if (t == null) {
              String col = cols.get(0);
              t = Inflector.plural(col.endsWith("_id") ? col.substring(0, col.length() - 3) : col);
            }
            refTable = t;
            String c = m.arg(1) == null ? null : r.str(m.arg(1));
            if (c != null) {
              refCols = List.of(c);
            }
            if (m.arg(2) != null && r.str(m.arg(2)) != null) {
              name = r.str(m.arg(2));
            }
          }
          case "references" -> {
            List<String> rc = r.strings(m.arg(0));
            if (rc != null) {
              refCols = rc;
            }
          }
          case "on", "inTable" -> refTable = r.str(m.arg(0));
          case "onDelete" -> onDelete = r.str(m.arg(0));
          case "cascadeOnDelete" -> onDelete = "CASCADE";
          case "nullOnDelete" -> onDelete = "SET NULL";
          case "restrictOnDelete" -> onDelete = "RESTRICT";
          case "noActionOnDelete" -> onDelete = "NO ACTION";
          default -> { }
        }
      }
      if (refTable == null) {
        unread(line, "a foreign key to a table named at run time");
        return;
      }
      boolean notValid = chain.has("notValid");
      emit(r.ddl.addForeignKey(table, name != null ? name : indexName("foreign", cols), cols, refTable, refCols,
          onDelete == null ? null : onDelete.toUpperCase(Locale.ROOT), notValid), line);
    }
  }

  // ------------------------------------------------------------------------------------------------ Eloquent

  @Override
  public boolean mayDefineModels(String path) {
    return path.endsWith(".php") && !PATH.matcher(path).matches();
  }

  @Override
  public List<OrmModel> models(String path, String text, RepoFiles files) {
    if (!text.contains("extends") || !(text.contains("Model") || text.contains("Authenticatable")
        || text.contains("Pivot"))) {
      return List.of();
    }
    List<OrmModel> out = new ArrayList<>();
    List<Stmt> stmts = CodeParser.parse(text, Lang.PHP);
    Code.Constants consts = Code.Constants.of(stmts);
    for (ClassDecl c : Code.classes(stmts)) {
      if (c.name().isEmpty() || c.supertypes().isEmpty()) {
        continue;
      }
      String base = c.supertypes().get(0);
      if (!MODEL_BASES.contains(base) && !base.endsWith("Model")) {
        continue;
      }
      Decl tableDecl = c.member("table");
      String table = tableDecl == null ? null : consts.eval(tableDecl.value());
      if (table == null) {
        table = Inflector.snake(Inflector.plural(c.name()));
      }
      Map<String, Integer> columns = new LinkedHashMap<>();
      for (String prop : List.of("fillable", "guarded", "hidden", "visible", "dates", "casts", "attributes")) {
        Decl d = c.member(prop);
        if (d == null || !(d.value() instanceof Arr arr)) {
          continue;
        }
        for (Arg a : arr.items()) {
          String col = a.name() != null ? a.name() : consts.eval(a.value());
          if (col != null && !col.equals("*") && col.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            columns.putIfAbsent(col, a.value().line());
          }
        }
      }
      Decl casts = c.methodIgnoreCase("casts"); // Laravel 11: protected function casts(): array
      if (casts != null) {
        for (Stmt s : casts.method().statements()) {
          if (s instanceof Code.Return ret && ret.expr() instanceof Arr arr) {
            for (Arg a : arr.items()) {
              if (a.name() != null && a.name().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                columns.putIfAbsent(a.name(), a.value().line());
              }
            }
          }
        }
      }
      out.add(new OrmModel(Framework.LARAVEL, c.name(), table, path, c.line(), columns, Map.of(), List.of()));
    }
    return out;
  }
}
