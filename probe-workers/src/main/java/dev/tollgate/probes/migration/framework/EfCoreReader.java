package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.Framework;
import dev.tollgate.probes.migration.Migration;
import dev.tollgate.probes.migration.OrmModel;
import dev.tollgate.probes.migration.Unread;
import dev.tollgate.probes.migration.framework.Code.Annotation;
import dev.tollgate.probes.migration.framework.Code.Arg;
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
import dev.tollgate.probes.migration.framework.Code.Str;
import dev.tollgate.probes.migration.framework.CodeLexer.Lang;
import dev.tollgate.probes.migration.framework.Ddl.Column;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EF Core migrations (C# classes deriving from {@code Migration}, {@code <timestamp>_Name.cs}): the
 * {@code MigrationBuilder} operations ({@code AddColumn}, {@code DropColumn}, {@code RenameColumn}, {@code AlterColumn}
 * with its {@code old*} arguments, {@code CreateIndex}, {@code AddForeignKey}, {@code CreateTable}, {@code Sql}, ...)
 * rendered as the Npgsql and Pomelo MySQL providers generate them. Transactions: EF Core runs each migration in one
 * transaction; a command with {@code suppressTransaction: true} (or an Npgsql index with
 * {@code Npgsql:CreatedConcurrently}) runs outside it, between two transactions. DbContext {@code DbSet}s and
 * {@code [Table]} entities feed the old-code check. docs/rules/migration/ef-core.md.
 */
public final class EfCoreReader implements FrameworkReader {
  private static final Pattern PATH = Pattern.compile("(^|.*/)(\\d{14})_[^/]+(?<!\\.Designer)\\.cs");
  /** Generated files beside the migrations: the target model of each migration, the model snapshot. */
  private static final Pattern GENERATED = Pattern.compile("(^|.*/)(\\d{14}_[^/]+\\.Designer|[^/]+ModelSnapshot)\\.cs");
  private static final Set<String> DATA_OPS = Set.of("InsertData", "UpdateData", "DeleteData");

  @Override
  public Framework framework() {
    return Framework.EF_CORE;
  }

  /**
   * Migrations, and the files EF Core generates beside them (their target models, the model snapshot): those are the
   * migrations' own, not the application's code, and are never read as migrations ({@link #confirms} says no).
   */
  @Override
  public boolean claims(String path) {
    return PATH.matcher(path).matches() || GENERATED.matcher(path).matches();
  }

  @Override
  public boolean confirms(String path, String text) {
    return !GENERATED.matcher(path).matches() && text.contains("MigrationBuilder");
  }

  @Override
  public boolean claimsContent(String path, String text) {
    return path.endsWith(".cs") && !path.endsWith(".Designer.cs") && text.contains("MigrationBuilder")
        && text.contains(": Migration");
  }

  @Override
  public Migration read(MigrationSource source) {
    if (!confirms(source.path(), source.text()) || !PATH.matcher(source.path()).matches()) {
      return null;
    }
    List<Stmt> stmts = CodeParser.parse(source.text(), Lang.CSHARP);
    ClassDecl cls = null;
    for (ClassDecl c : Code.classes(stmts)) {
      if (c.supertypes().contains("Migration") && c.methodIgnoreCase("Up") != null) {
        cls = c;
        break;
      }
    }
    if (cls == null) {
      return null;
    }
    Matcher vm = PATH.matcher(source.path());
    Dialect dialect = Dialects.of(source, () -> hint(source.text()));
    MigrationBuilder b = new MigrationBuilder(source, Framework.EF_CORE, vm.matches() ? vm.group(2) : null, dialect);
    Fn up = cls.methodIgnoreCase("Up").method();
    b.unit("EF Core runs this migration in a transaction", up.line(), true);
    Reading r = new Reading(source, b, up.params().isEmpty() ? "migrationBuilder" : up.params().get(0));
    r.consts = Code.Constants.of(stmts);
    r.statements(up.statements());
    Decl down = cls.methodIgnoreCase("Down");
    if (down != null && !down.method().statements().isEmpty()) {
      b.wayBack("its Down() method");
    }
    return b.build();
  }

  /** The provider the migration was generated for, from its annotations and store types. */
  private static Dialect hint(String text) {
    if (text.contains("\"MySql:") || text.contains("CHARACTER SET utf8") || text.contains("\"longtext\"")
        || text.contains("MySqlValueGenerationStrategy")) {
      return Dialect.MYSQL;
    }
    return Dialect.POSTGRESQL; // Npgsql; SQL Server and SQLite migrations are judged by PostgreSQL's rules
  }

  // ------------------------------------------------------------------------------------------------ reading

  private static final class Reading extends CodeReading {
    private final String builder;

    Reading(MigrationSource source, MigrationBuilder b, String builder) {
      super(source, b);
      this.builder = builder;
    }

    @Override
    boolean operation(Chain chain, Node whole) {
      if (!(chain.root() instanceof Name n && n.name().equals(builder))) {
        return false;
      }
      Call op = chain.first();
      Map<String, Object> annotations = new LinkedHashMap<>();
      for (Call c : chain.calls().subList(1, chain.calls().size())) {
        if (c.name().equals("Annotation") && str(c.arg(0)) != null) {
          Node v = c.arg(1);
          annotations.put(str(c.arg(0)), bool(v) != null ? bool(v) : str(v));
        }
      }
      operation(op, annotations);
      return true;
    }

    @Override
    boolean ignorable(Chain chain) {
      return chain.root() instanceof Name n && (n.name().equals("Console") || n.name().equals("Debug"));
    }

    /** Strings of a C# array ({@code new[] { "A", "B" }}, {@code new string[] {...}}) or a single string. */
    @Override
    List<String> strings(Node n) {
      if (n instanceof New nw && nw.init() instanceof Obj init) {
        List<String> out = new ArrayList<>();
        for (Arg a : init.entries()) {
          String v = str(a.value());
          if (v == null) {
            return null;
          }
          out.add(v);
        }
        return out;
      }
      return super.strings(n);
    }

    private String s(Call op, String name, int position) {
      Node n = op.named(name);
      return str(n != null ? n : op.arg(position));
    }

    private Node node(Call op, String name, int position) {
      Node n = op.named(name);
      return n != null ? n : op.arg(position);
    }

    private String table(Call op) {
      String t = s(op, "table", 1);
      String schema = str(op.named("schema"));
      return t == null ? null : schema == null ? t : schema + "." + t;
    }

    private void unread(int line, String reason) {
      b.unread(line, lineText(line), reason, Unread.Kind.SCHEMA);
    }

    /** Runs {@code sql} outside the migration's transaction, then opens the next one. */
    private void suppressed(String sql, int line) {
      b.unit("suppressTransaction: true runs this command outside the migration's transaction", line, false);
      b.sql(sql, line);
      b.unit("EF Core runs the rest of this migration in a new transaction", line, true);
    }

    private void operation(Call op, Map<String, Object> annotations) {
      int line = op.line();
      String name = op.name();
      switch (name) {
        case "Sql" -> {
          String sql = str(node(op, "sql", 0));
          if (sql == null) {
            unread(line, "migrationBuilder.Sql with SQL built at run time");
          } else if (Boolean.TRUE.equals(bool(node(op, "suppressTransaction", 1)))) {
            suppressed(sql, node(op, "sql", 0) instanceof Str st ? st.line() : line);
          } else {
            b.sql(sql, node(op, "sql", 0) instanceof Str st ? st.line() : line);
          }
        }
        case "AddColumn" -> {
          String table = table(op);
          Column c = column(op, s(op, "name", 0));
          if (table == null || c == null) {
            unread(line, "AddColumn the probe cannot read");
          } else {
            b.sql(ddl.addColumn(table, c), line);
          }
        }
        case "DropColumn" -> {
          String table = table(op);
          String col = s(op, "name", 0);
          if (table == null || col == null) {
            unread(line, "DropColumn of a column named at run time");
          } else {
            b.sql(ddl.dropColumns(table, List.of(col)), line);
          }
        }
        case "RenameColumn" -> {
          String table = table(op);
          String from = s(op, "name", 0);
          String to = s(op, "newName", 2);
          if (table == null || from == null || to == null) {
            unread(line, "RenameColumn of a column named at run time");
          } else {
            b.sql(ddl.renameColumn(table, from, to), line);
          }
        }
        case "AlterColumn" -> alterColumn(op, line);
        case "CreateIndex" -> {
          String table = table(op);
          String idx = s(op, "name", 0);
          List<String> cols = op.named("columns") != null ? strings(op.named("columns"))
              : op.named("column") != null ? strings(op.named("column")) : strings(op.arg(2));
          if (table == null || idx == null || cols == null) {
            unread(line, "CreateIndex the probe cannot read");
            return;
          }
          boolean concurrently = Boolean.TRUE.equals(annotations.get("Npgsql:CreatedConcurrently"));
          Object method = annotations.get("Npgsql:IndexMethod");
          String filter = str(op.named("filter"));
          String sql = ddl.createIndex(idx, table, cols, Boolean.TRUE.equals(bool(op.named("unique"))), concurrently,
              method instanceof String m ? m : null, filter);
          if (concurrently) {
            suppressed(sql, line); // Npgsql suppresses the transaction for a concurrent index
          } else {
            b.sql(sql, line);
          }
        }
        case "DropIndex" -> {
          String idx = s(op, "name", 0);
          if (idx == null) {
            unread(line, "DropIndex of an index named at run time");
          } else {
            b.sql(ddl.dropIndex(idx, table(op), false, false), line);
          }
        }
        case "RenameIndex" -> {
          String from = s(op, "name", 0);
          String to = str(op.named("newName"));
          if (from != null && to != null) {
            b.sql(ddl.mysql() ? "ALTER TABLE " + ddl.q(table(op)) + " RENAME INDEX " + b.ident(from) + " TO "
                + b.ident(to) : "ALTER INDEX " + b.ident(from) + " RENAME TO " + b.ident(to), line);
          }
        }
        case "AddForeignKey" -> {
          String table = table(op);
          String fk = s(op, "name", 0);
          List<String> cols = op.named("columns") != null ? strings(op.named("columns")) : strings(op.named("column"));
          String principal = str(op.named("principalTable"));
          List<String> pcols = op.named("principalColumns") != null ? strings(op.named("principalColumns"))
              : op.named("principalColumn") != null ? strings(op.named("principalColumn")) : List.of("Id");
          if (table == null || fk == null || cols == null || principal == null || pcols == null) {
            unread(line, "AddForeignKey the probe cannot read");
          } else {
            b.sql(ddl.addForeignKey(table, fk, cols, principal, pcols, onDelete(op.named("onDelete")), false), line);
          }
        }
        case "DropForeignKey", "DropUniqueConstraint", "DropCheckConstraint", "DropPrimaryKey" -> {
          String table = table(op);
          String cname = s(op, "name", 0);
          if (table == null || cname == null) {
            unread(line, name + " of a constraint named at run time");
          } else {
            b.sql(name.equals("DropForeignKey") ? ddl.dropForeignKey(table, cname) : name.equals("DropPrimaryKey")
                ? ddl.dropPrimaryKey(table, cname) : ddl.dropConstraint(table, cname), line);
          }
        }
        case "AddPrimaryKey", "AddUniqueConstraint" -> {
          String table = table(op);
          String cname = s(op, "name", 0);
          List<String> cols = op.named("columns") != null ? strings(op.named("columns")) : strings(op.named("column"));
          if (table == null || cols == null) {
            unread(line, name + " the probe cannot read");
          } else {
            b.sql(name.equals("AddPrimaryKey") ? ddl.addPrimaryKey(table, cname, cols) : ddl.addUnique(table, cname,
                cols), line);
          }
        }
        case "AddCheckConstraint" -> {
          String table = table(op);
          String cname = s(op, "name", 0);
          String sql = str(op.named("sql"));
          if (table == null || cname == null || sql == null) {
            unread(line, "AddCheckConstraint the probe cannot read");
          } else {
            b.sql(ddl.addCheck(table, cname, sql, false), line);
          }
        }
        case "CreateTable" -> createTable(op, line);
        case "DropTable" -> {
          String t = s(op, "name", 0);
          String schema = str(op.named("schema"));
          if (t == null) {
            unread(line, "DropTable of a table named at run time");
          } else {
            b.sql(ddl.dropTable(schema == null ? t : schema + "." + t, false), line);
          }
        }
        case "RenameTable" -> {
          String t = s(op, "name", 0);
          String to = str(op.named("newName"));
          if (t == null || to == null) {
            unread(line, "RenameTable of a table named at run time");
          } else {
            b.sql(ddl.renameTable(t, to), line);
          }
        }
        case "EnsureSchema" -> {
          String schema = s(op, "name", 0);
          if (schema != null && !schema.equals("public")) {
            b.sql("CREATE SCHEMA IF NOT EXISTS " + b.ident(schema), line);
          }
        }
        case "AlterDatabase", "AlterTable", "CreateSequence", "AlterSequence", "RestartSequence", "DropSequence",
            "RenameSequence", "DropSchema" -> {
          // Comments, collations, extensions and sequences: catalog changes without table locks worth a finding.
          if (name.equals("DropSchema") && s(op, "name", 0) != null) {
            b.sql("DROP SCHEMA " + b.ident(s(op, "name", 0)), line);
          }
        }
        default -> {
          if (DATA_OPS.contains(name)) {
            data(op, line);
          } else {
            unread(line, "a MigrationBuilder operation the probe does not know (" + name + ")");
          }
        }
      }
    }

    /** InsertData/UpdateData/DeleteData: seeding rows by key, a bounded statement each. */
    private void data(Call op, int line) {
      String table = table(op);
      if (table == null) {
        b.unread(line, lineText(line), "seed data for a table named at run time", Unread.Kind.DATA);
        return;
      }
      switch (op.name()) {
        case "InsertData" -> b.sql("INSERT INTO " + ddl.q(table) + " DEFAULT VALUES", line);
        case "UpdateData", "DeleteData" -> {
          String key = str(op.named("keyColumn"));
          if (key == null && op.named("keyColumns") != null) {
            List<String> keys = strings(op.named("keyColumns"));
            key = keys == null || keys.isEmpty() ? null : keys.get(0);
          }
          if (key == null) {
            b.unread(line, lineText(line), "seed data the probe cannot read", Unread.Kind.DATA);
            return;
          }
          String where = " WHERE " + b.ident(key) + " = 0";
          b.sql(op.name().equals("UpdateData") ? "UPDATE " + ddl.q(table) + " SET " + b.ident(key) + " = "
              + b.ident(key) + where : "DELETE FROM " + ddl.q(table) + where, line);
        }
        default -> { }
      }
    }

    private static String onDelete(Node n) {
      if (n instanceof Member m) {
        return switch (m.name()) {
          case "Cascade" -> "CASCADE";
          case "SetNull" -> "SET NULL";
          case "Restrict" -> "RESTRICT";
          default -> null;
        };
      }
      return null;
    }

    /** A column of {@code AddColumn<T>(...)} or {@code table.Column<T>(...)}: store type, nullability, default. */
    private Column column(Call op, String name) {
      if (name == null) {
        return null;
      }
      String type = str(op.named("type"));
      if (type == null) {
        type = clrType(op.typeArgs(), op.named("maxLength"));
      }
      if (type == null) {
        return null;
      }
      Boolean nullable = bool(op.named("nullable"));
      String def = null;
      if (op.named("defaultValueSql") != null) {
        def = str(op.named("defaultValueSql"));
        if (def == null) {
          def = "'?'";
        }
      } else if (op.named("defaultValue") != null) {
        Node d = op.named("defaultValue");
        Boolean bv = bool(d);
        def = d instanceof Num n ? n.text() : bv != null ? (ddl.mysql() ? (bv ? "1" : "0") : bv.toString())
            : d instanceof Name nm && nm.name().equals("null") ? null
            : MigrationBuilder.literal(str(d) == null ? "?" : str(d));
      }
      String extra = null;
      String computed = str(op.named("computedColumnSql"));
      if (computed != null) {
        boolean stored = Boolean.TRUE.equals(bool(op.named("stored")));
        extra = "GENERATED ALWAYS AS (" + computed + ")" + (stored ? " STORED" : ddl.mysql() ? " VIRTUAL" : "");
      }
      // EF Core's nullable parameter defaults to false: a column is NOT NULL unless the migration says nullable.
      return new Column(name, type, nullable == null ? Boolean.FALSE : nullable, def, extra);
    }

    /** The provider's store type for a CLR type, when the migration does not give {@code type:}. */
    private String clrType(String clr, Node maxLength) {
      if (clr == null) {
        return null;
      }
      String t = clr.replace("?", "").strip();
      boolean my = ddl.mysql();
      String len = maxLength instanceof Num n ? n.text() : null;
      return switch (t) {
        case "string" -> len != null ? (my ? "varchar(" + len + ")" : "character varying(" + len + ")")
            : my ? "longtext" : "text";
        case "int" -> my ? "int" : "integer";
        case "long" -> "bigint";
        case "short" -> "smallint";
        case "bool" -> my ? "tinyint(1)" : "boolean";
        case "DateTime" -> my ? "datetime(6)" : "timestamp with time zone";
        case "DateTimeOffset" -> my ? "datetime(6)" : "timestamp with time zone";
        case "DateOnly" -> "date";
        case "TimeOnly", "TimeSpan" -> my ? "time(6)" : "interval";
        case "decimal" -> my ? "decimal(65,30)" : "numeric";
        case "double" -> my ? "double" : "double precision";
        case "float" -> my ? "float" : "real";
        case "Guid" -> my ? "char(36)" : "uuid";
        case "byte[]" -> my ? "longblob" : "bytea";
        default -> my ? "longtext" : "text";
      };
    }

    /**
     * {@code AlterColumn<T>(name, table, type, nullable, defaultValue, oldClrType, oldType, oldNullable, ...)}: the
     * provider alters the type only when it differs from the old one, and nullability and default when they change.
     */
    private void alterColumn(Call op, int line) {
      String table = table(op);
      String col = s(op, "name", 0);
      if (table == null || col == null) {
        unread(line, "AlterColumn of a column named at run time");
        return;
      }
      Column now = column(op, col);
      if (now == null) {
        unread(line, "AlterColumn the probe cannot read");
        return;
      }
      String oldType = str(op.named("oldType"));
      if (oldType == null && op.named("oldClrType") != null) {
        oldType = now.type(); // the old CLR type without a store type: the same store type, as EF Core assumes
      }
      boolean oldNullable = Boolean.TRUE.equals(bool(op.named("oldNullable")));
      if (ddl.mysql()) {
        boolean changes = oldType == null || !oldType.equalsIgnoreCase(now.type())
            || oldNullable != Boolean.TRUE.equals(now.nullable());
        if (changes) {
          b.sql("ALTER TABLE " + ddl.q(table) + " MODIFY COLUMN " + ddl.definition(now), line);
        }
        return;
      }
      if (oldType == null || !oldType.equalsIgnoreCase(now.type())) {
        b.sql("ALTER TABLE " + ddl.q(table) + " ALTER COLUMN " + b.ident(col) + " TYPE " + now.type(), line);
      }
      if (oldNullable != Boolean.TRUE.equals(now.nullable())) {
        b.sql(ddl.setNotNull(table, col, !Boolean.TRUE.equals(now.nullable()), now.type()), line);
      }
      String oldDefault = op.named("oldDefaultValue") == null ? null : Code.describe(op.named("oldDefaultValue"));
      String newDefault = op.named("defaultValue") == null ? null : Code.describe(op.named("defaultValue"));
      String oldSql = op.named("oldDefaultValueSql") == null ? null : Code.describe(op.named("oldDefaultValueSql"));
      String newSql = op.named("defaultValueSql") == null ? null : Code.describe(op.named("defaultValueSql"));
      if (!java.util.Objects.equals(oldDefault, newDefault) || !java.util.Objects.equals(oldSql, newSql)) {
        b.sql(ddl.setDefault(table, col, now.defaultSql()), line);
      }
    }

    /** {@code CreateTable(name, columns: table => new { Id = table.Column<int>(...) }, constraints: table => {...})}. */
    private void createTable(Call op, int line) {
      String t = s(op, "name", 0);
      String schema = str(op.named("schema"));
      Node columns = op.named("columns");
      if (t == null || !(columns instanceof Fn fn) || !(fn.expr() instanceof New nw) || !(nw.init() instanceof Obj obj)) {
        unread(line, "CreateTable the probe cannot read");
        return;
      }
      String table = schema == null ? t : schema + "." + t;
      List<Column> cols = new ArrayList<>();
      for (Arg a : obj.entries()) {
        Call colCall = columnCall(a.value());
        if (colCall == null || a.name() == null) {
          unread(a.value().line(), "a column the probe cannot read");
          continue;
        }
        String colName = str(colCall.named("name")) != null ? str(colCall.named("name")) : a.name();
        Column c = column(colCall, colName);
        if (c != null) {
          cols.add(c);
        }
      }
      List<String> constraints = new ArrayList<>();
      List<Object[]> after = new ArrayList<>();
      if (op.named("constraints") instanceof Fn cfn) {
        List<Call> calls = new ArrayList<>();
        for (Stmt s : cfn.statements()) {
          if (s instanceof Code.Expr e) {
            Code.calls(e.expr(), calls);
          }
        }
        for (Call c : calls) {
          String cname = str(c.arg(0));
          switch (c.name()) {
            case "PrimaryKey" -> {
              List<String> keys = lambdaColumns(c.arg(1));
              if (keys != null) {
                constraints.add((cname == null || ddl.mysql() ? "" : "CONSTRAINT " + b.ident(cname) + " ")
                    + "PRIMARY KEY (" + ddl.idents(keys) + ")");
              }
            }
            case "ForeignKey" -> {
              List<String> keys = lambdaColumns(c.named("column") != null ? c.named("column") : c.named("columns"));
              String principal = str(c.named("principalTable"));
              List<String> pcols = c.named("principalColumn") != null ? strings(c.named("principalColumn"))
                  : c.named("principalColumns") != null ? strings(c.named("principalColumns")) : List.of("Id");
              if (keys != null && principal != null && pcols != null) {
                after.add(new Object[] {ddl.addForeignKey(table, cname, keys, principal, pcols,
                    onDelete(c.named("onDelete")), false), c.line()});
              }
            }
            case "UniqueConstraint" -> {
              List<String> keys = lambdaColumns(c.arg(1));
              if (keys != null) {
                constraints.add("CONSTRAINT " + b.ident(cname == null ? table + "_key" : cname) + " UNIQUE ("
                    + ddl.idents(keys) + ")");
              }
            }
            default -> { }
          }
        }
      }
      b.sql(ddl.createTable(table, cols, constraints, false), line);
      for (Object[] a : after) {
        b.sql((String) a[0], (Integer) a[1]);
      }
    }

    /** The {@code table.Column<T>(...)} call of a column entry (annotations chained after it). */
    private static Call columnCall(Node n) {
      Node x = n;
      while (x instanceof Call c) {
        if (c.name().equals("Column")) {
          return c;
        }
        x = c.target();
      }
      return null;
    }

    /** {@code x => x.Id} or {@code x => new { x.A, x.B }}: the column names. */
    private static List<String> lambdaColumns(Node n) {
      if (!(n instanceof Fn fn) || fn.expr() == null) {
        return null;
      }
      if (fn.expr() instanceof Member m) {
        return List.of(m.name());
      }
      if (fn.expr() instanceof New nw && nw.init() instanceof Obj o) {
        List<String> out = new ArrayList<>();
        for (Arg a : o.entries()) {
          if (a.value() instanceof Member m) {
            out.add(m.name());
          } else if (a.name() != null) {
            out.add(a.name());
          }
        }
        return out;
      }
      return null;
    }
  }

  // ------------------------------------------------------------------------------------------------ models

  @Override
  public boolean mayDefineModels(String path) {
    return path.endsWith(".cs") && !claims(path);
  }

  @Override
  public List<OrmModel> models(String path, String text, RepoFiles files) {
    boolean dbSets = text.contains("DbSet<");
    boolean tables = text.contains("[Table(");
    if (!dbSets && !tables) {
      return List.of();
    }
    List<OrmModel> out = new ArrayList<>();
    List<Stmt> stmts = CodeParser.parse(text, Lang.CSHARP);
    Code.Constants consts = Code.Constants.of(stmts);
    for (ClassDecl c : Code.classes(stmts)) {
      for (Decl d : c.members()) {
        // public DbSet<User> Users { get; set; }: EF Core's table is the DbSet's name, its rows User objects.
        if (d.type() != null && d.type().startsWith("DbSet<") && d.type().endsWith(">")) {
          String entity = d.type().substring(6, d.type().length() - 1).strip();
          int dot = entity.lastIndexOf('.');
          entity = dot >= 0 ? entity.substring(dot + 1) : entity;
          out.add(new OrmModel(Framework.EF_CORE, entity, d.name(), path, d.line(), Map.of(), Map.of(),
              List.of(d.name())));
        }
      }
      Annotation table = null;
      for (Annotation a : c.annotations()) {
        if (a.name().equals("Table")) {
          table = a;
        }
      }
      String tableName = table == null ? null : consts.eval(table.arg(0));
      if (tableName == null) {
        continue;
      }
      Map<String, Integer> cols = new LinkedHashMap<>();
      for (Decl d : c.members()) {
        if (d.method() != null || !d.modifiers().contains("public") || d.annotation("NotMapped") != null
            || d.modifiers().contains("static") || d.modifiers().contains("const")) {
          continue;
        }
        Annotation col = d.annotation("Column");
        String name = col != null && consts.eval(col.arg(0)) != null ? consts.eval(col.arg(0)) : d.name();
        cols.putIfAbsent(name, d.line());
      }
      out.add(new OrmModel(Framework.EF_CORE, c.name(), tableName, path, c.line(), cols, Map.of(), List.of()));
    }
    return out;
  }
}
