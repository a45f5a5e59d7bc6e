package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.DialectDetector;
import dev.tollgate.probes.migration.Framework;
import dev.tollgate.probes.migration.Migration;
import dev.tollgate.probes.migration.Unread;
import dev.tollgate.probes.migration.framework.Code.Arg;
import dev.tollgate.probes.migration.framework.Code.Call;
import dev.tollgate.probes.migration.framework.Code.ClassDecl;
import dev.tollgate.probes.migration.framework.Code.Decl;
import dev.tollgate.probes.migration.framework.Code.Fn;
import dev.tollgate.probes.migration.framework.Code.Name;
import dev.tollgate.probes.migration.framework.Code.New;
import dev.tollgate.probes.migration.framework.Code.Node;
import dev.tollgate.probes.migration.framework.Code.Return;
import dev.tollgate.probes.migration.framework.Code.Stmt;
import dev.tollgate.probes.migration.framework.CodeLexer.Lang;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flyway Java migrations ({@code V<version>__Description.java} extending {@code BaseJavaMigration}): the SQL strings
 * its {@code migrate(Context)} passes to JDBC and Spring's JdbcTemplate ({@code execute}, {@code executeUpdate},
 * {@code update}, {@code prepareStatement}, {@code addBatch}, {@code batchUpdate}), in one transaction unless
 * {@code canExecuteInTransaction()} returns false. A SQL string built at run time, or the connection handed to code
 * the probe does not read, is unread. docs/rules/migration/flyway-java.md.
 */
public final class FlywayJavaReader implements FrameworkReader {
  private static final Pattern PATH = Pattern.compile("(^|.*/)V(\\d+(?:[._]\\d+)*)__[^/]+\\.java");
  private static final Set<String> SQL_CALLS = Set.of("execute", "executeUpdate", "executeLargeUpdate", "update",
      "prepareStatement", "prepareCall", "addBatch", "batchUpdate", "executeQuery", "query", "queryForList",
      "queryForObject", "queryForMap", "queryForRowSet");
  /** Helpers whose name says they only read ({@code tableExists(connection, ...)}, {@code getDbType(connection)}). */
  private static final Pattern READ_HELPER = Pattern.compile(
      "(has|get|is|find|count|check|exists|select|list|fetch|read|load|describe|show|table|column|index|sequence)"
          + "([A-Z_].*)?");
  /** Helpers whose name says they run the SQL they are given ({@code executeSql(connection, sql)}). */
  private static final Pattern SQL_HELPER = Pattern.compile("(execute|exec|run|update)(Sql|SQL|Statement|Query|Update)?");
  /** JDBC and JdbcTemplate plumbing the connection may be handed to: they run only the SQL given to them. */
  private static final Set<String> PLUMBING = Set.of("JdbcTemplate", "NamedParameterJdbcTemplate",
      "SingleConnectionDataSource", "ScriptUtils", "DSL", "JdbcClient");

  @Override
  public Framework framework() {
    return Framework.FLYWAY_JAVA;
  }

  @Override
  public boolean claims(String path) {
    return PATH.matcher(path).matches();
  }

  @Override
  public boolean confirms(String path, String text) {
    return text.contains("JavaMigration") || text.contains("migrate(");
  }

  @Override
  public boolean claimsContent(String path, String text) {
    return path.endsWith(".java") && text.contains("BaseJavaMigration");
  }

  @Override
  public Migration read(MigrationSource source) {
    List<Stmt> stmts = CodeParser.parse(source.text(), Lang.JAVA);
    ClassDecl cls = null;
    for (ClassDecl c : Code.classes(stmts)) {
      if (c.member("migrate") != null && c.member("migrate").method() != null) {
        cls = c;
        break;
      }
    }
    if (cls == null) {
      return null;
    }
    Matcher vm = PATH.matcher(source.path());
    Code.Constants consts = Code.Constants.of(stmts);
    Fn migrate = cls.member("migrate").method();
    List<Call> calls = new ArrayList<>();
    collect(migrate.statements(), cls, calls, new HashSet<>(), 0);
    StringBuilder sample = new StringBuilder();
    for (Call c : calls) {
      if (SQL_CALLS.contains(c.name()) && consts.eval(c.arg(0)) != null) {
        sample.append(consts.eval(c.arg(0))).append(";\n");
      }
    }
    Dialect dialect = Dialects.of(source, () -> DialectDetector.fromContent(sample.toString()));
    MigrationBuilder b = new MigrationBuilder(source, Framework.FLYWAY_JAVA, vm.matches() ? vm.group(2).replace('_', '.')
        : null, dialect);
    boolean tx = !returnsFalse(cls.member("canExecuteInTransaction"));
    b.unit(tx ? "Flyway runs this Java migration in one transaction"
        : "canExecuteInTransaction() returns false, so Flyway runs this Java migration without a transaction",
        migrate.line(), tx);
    String[] lines = source.text().split("\n", -1);
    for (Call c : calls) {
      int line = c.line();
      String excerpt = line <= lines.length ? lines[line - 1].strip() : "";
      if (SQL_CALLS.contains(c.name()) && c.arg(0) != null && !isReadOnly(c)) {
        String sql = consts.eval(c.arg(0));
        if (sql != null) {
          b.sql(sql, c.arg(0).line());
        } else if (!(c.arg(0) instanceof Name n && n.name().equals("context"))) {
          b.unread(line, excerpt, "SQL built at run time", Unread.Kind.SCHEMA);
        }
      } else if (handsOutTheConnection(c)) {
        Node sqlArg = c.args().size() > 1 ? c.args().get(c.args().size() - 1).value() : null;
        if (READ_HELPER.matcher(c.name()).matches() && !SQL_HELPER.matcher(c.name()).matches()) {
          continue; // tableExists(connection, "x"): by its name, a helper that only reads
        }
        if (SQL_HELPER.matcher(c.name()).matches() && sqlArg != null && consts.eval(sqlArg) != null) {
          b.sql(consts.eval(sqlArg), sqlArg.line()); // executeSql(connection, "ALTER TABLE ...")
          continue;
        }
        b.unread(line, excerpt, SQL_HELPER.matcher(c.name()).matches() ? "SQL built at run time"
            : "hands the database connection to code the probe does not read", Unread.Kind.SCHEMA);
      }
    }
    return b.build();
  }

  /** Query methods whose SQL only reads ({@code executeQuery("SELECT ...")}): they change nothing. */
  private static boolean isReadOnly(Call c) {
    return c.name().startsWith("query") || c.name().equals("executeQuery");
  }

  /** A call that passes {@code context} or a connection to something other than JDBC plumbing. */
  private static boolean handsOutTheConnection(Call c) {
    if (SQL_CALLS.contains(c.name()) || c.name().equals("getConnection") || c.name().equals("createStatement")) {
      return false;
    }
    for (Arg a : c.args()) {
      Node v = a.value();
      boolean connection = v instanceof Name n && (n.name().equals("context") || n.name().equals("connection")
          || n.name().equals("conn")) || v instanceof Call inner && inner.name().equals("getConnection");
      if (connection) {
        return true;
      }
    }
    return false;
  }

  private static boolean returnsFalse(Decl d) {
    if (d == null || d.method() == null) {
      return false;
    }
    for (Stmt s : d.method().statements()) {
      if (s instanceof Return r && r.expr() instanceof Name n && n.name().equals("false")) {
        return true;
      }
    }
    return false;
  }

  /** Every call of {@code stmts} in order, following the migration's own helper methods. */
  private static void collect(List<Stmt> stmts, ClassDecl cls, List<Call> out, Set<String> followed, int depth) {
    if (depth > 6) {
      return;
    }
    List<Call> here = new ArrayList<>();
    for (Stmt s : stmts) {
      Node e = s instanceof Code.Expr x ? x.expr() : s instanceof Return r ? r.expr() : null;
      if (e != null) {
        Code.calls(e, here);
        List<New> news = new ArrayList<>();
        Code.news(e, news);
        for (New nw : news) {
          if (!PLUMBING.contains(nw.type())) {
            // new Migrator(context.getConnection()): the connection handed to a constructor the probe cannot follow.
            here.add(new Call(new Name(nw.type(), nw.line()), nw.args(), null, nw.line(), 0));
          }
        }
      } else if (s instanceof Code.Block blk) {
        Code.calls(blk.head(), here);
        List<Call> inner = new ArrayList<>();
        collect(blk.body(), cls, inner, followed, depth + 1);
        collect(blk.otherwise(), cls, inner, followed, depth + 1);
        here.addAll(inner);
      }
    }
    for (Call c : here) {
      Decl helper = c.target() == null || c.target() instanceof Name t && t.name().equals("this")
          ? cls.member(c.name()) : null;
      if (helper != null && helper.method() != null && followed.add(c.name())) {
        collect(helper.method().statements(), cls, out, followed, depth + 1);
      } else {
        out.add(c);
      }
    }
  }
}
