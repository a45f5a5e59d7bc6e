package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.Framework;
import dev.tollgate.probes.migration.Migration;
import dev.tollgate.probes.migration.OrmModel;
import dev.tollgate.probes.migration.Unread;
import dev.tollgate.probes.migration.framework.RubyReader.Arr;
import dev.tollgate.probes.migration.framework.RubyReader.Assign;
import dev.tollgate.probes.migration.framework.RubyReader.Call;
import dev.tollgate.probes.migration.framework.RubyReader.ClassDef;
import dev.tollgate.probes.migration.framework.RubyReader.Def;
import dev.tollgate.probes.migration.framework.RubyReader.Node;
import dev.tollgate.probes.migration.framework.RubyReader.Str;
import dev.tollgate.probes.migration.framework.RubyReader.Sym;
import dev.tollgate.probes.migration.framework.RubyReader.Value;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.migration.sql.SqlScript;
import dev.tollgate.probes.migration.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rails / ActiveRecord migrations ({@code db/migrate/<version>_<name>.rb}, and the other {@code db/*migrate}
 * directories of multi-database and post-deploy setups), {@code db/schema.rb} and {@code db/structure.sql} as the
 * running release's schema, and ActiveRecord models for the old-code check. docs/rules/migration/rails.md.
 *
 * <p>Transaction model: on PostgreSQL each migration runs in one transaction unless the class calls
 * {@code disable_ddl_transaction!}; on MySQL nothing is transactional. {@code def change} (and {@code def up}) run;
 * {@code def down} and {@code dir.down} do not. {@code safety_assured { }} is an acknowledgement (see
 * {@code Acknowledgements}): reported, never a silent pass.
 */
public final class RailsReader implements FrameworkReader {
  private static final Pattern PATH = Pattern.compile("(^|/)db/[a-z_]*migrate/(\\d+)_[^/]+\\.rb$");
  private static final Pattern SCHEMA = Pattern.compile("(^|/)db/([a-z_]+_)?(schema\\.rb|structure\\.sql)$");
  private static final Pattern MODELS = Pattern.compile("(^|/)app/models/.+\\.rb$");
  private static final Pattern VERSION = Pattern.compile("^(\\d+)_");

  @Override
  public Framework framework() {
    return Framework.RAILS;
  }

  @Override
  public boolean claims(String path) {
    return path.endsWith(".rb") && PATH.matcher(path).find();
  }

  @Override
  public boolean claimsContent(String path, String text) {
    return path.endsWith(".rb") && text.contains("ActiveRecord::Migration");
  }

  @Override
  public Migration read(MigrationSource source) {
    Dialect dialect = source.dialectOr(Dialect.POSTGRESQL);
    Matcher v = VERSION.matcher(source.fileName());
    MigrationBuilder b = new MigrationBuilder(source, Framework.RAILS, v.find() ? v.group(1) : null, dialect);
    RubyReader.Result parsed = RubyReader.read(source.text());
    if (parsed.error() != null) {
      b.unread(parsed.errorLine(), source.fileName(), "Ruby the probe cannot read: " + parsed.error(), Unread.Kind.SCHEMA);
    }
    ClassDef migration = migrationClass(parsed.nodes());
    if (migration == null) {
      if (parsed.error() == null) {
        b.unread(1, source.fileName(), "no ActiveRecord::Migration class in the file", Unread.Kind.SCHEMA);
      }
      return b.build();
    }
    boolean disabled = false;
    Map<String, Def> defs = new LinkedHashMap<>();
    for (Node n : migration.body()) {
      if (n instanceof Call c && c.receiver() == null && c.name().equals("disable_ddl_transaction!")) {
        disabled = true;
      } else if (n instanceof Def d) {
        defs.put(d.name().startsWith("self.") ? d.name().substring(5) : d.name(), d);
      }
    }
    b.unit(disabled ? "disable_ddl_transaction!: each statement commits on its own"
        : "Rails runs this migration in one transaction", migration.line(), !disabled);
    String timeout = lockTimeout(source);
    if (timeout != null) {
      // strong_migrations (or database.yml) sets it on the connection before every migration: what Rails runs.
      b.sql(dialect == Dialect.POSTGRESQL ? "SET lock_timeout = " + MigrationBuilder.literal(timeout)
          : "SET SESSION lock_wait_timeout = " + timeout.replaceAll("\\D", ""), migration.line());
    }
    Map<String, Def> helpers = new HashMap<>(defs);
    helpers.remove("change");
    helpers.remove("up");
    helpers.remove("down");
    RailsOps ops = new RailsOps(b, false, helpers);
    Def change = defs.get("change");
    Def up = defs.get("up");
    Def down = defs.get("down");
    if (change != null) {
      ops.read(change.body(), true);
      if (!ops.irreversible()) {
        b.wayBack("its reversible `change` method");
      } else if (down != null && wayBack(down)) {
        b.wayBack("its `down` method");
      }
    } else if (up != null) {
      ops.read(up.body(), false);
      if (down != null && wayBack(down)) {
        b.wayBack("its `down` method");
      }
    }
    return b.build();
  }

  private static final Pattern STRONG_MIGRATIONS_TIMEOUT = Pattern.compile(
      "(?m)^\\s*StrongMigrations\\.lock_timeout\\s*=\\s*(\\d+)(?:\\.(seconds?|minutes?))?");
  private static final Pattern DATABASE_YML_TIMEOUT = Pattern.compile("(?m)^\\s+lock_timeout:\\s*['\"]?(\\d+)\\s*(ms|s|min)?");

  /**
   * The lock timeout the application sets for migrations: strong_migrations' {@code StrongMigrations.lock_timeout} in
   * {@code config/initializers/strong_migrations.rb}, or a {@code lock_timeout} session variable in
   * {@code config/database.yml}; null when neither does.
   */
  static String lockTimeout(MigrationSource source) {
    int db = source.path().lastIndexOf("db/");
    String root = db < 0 ? "" : source.path().substring(0, db);
    var init = source.files().read(root + "config/initializers/strong_migrations.rb");
    if (init.isPresent()) {
      Matcher m = STRONG_MIGRATIONS_TIMEOUT.matcher(init.get());
      if (m.find()) {
        int n = Integer.parseInt(m.group(1));
        return (m.group(2) != null && m.group(2).startsWith("minute") ? n * 60 : n) + "s";
      }
    }
    var yml = source.files().read(root + "config/database.yml");
    if (yml.isPresent()) {
      Matcher m = DATABASE_YML_TIMEOUT.matcher(yml.get());
      if (m.find()) {
        return m.group(1) + (m.group(2) == null ? "ms" : m.group(2));
      }
    }
    return null;
  }

  /** A {@code down} that does something other than raising IrreversibleMigration. */
  private static boolean wayBack(Def down) {
    if (down.body().isEmpty()) {
      return false;
    }
    for (Node n : down.body()) {
      if (n instanceof RubyReader.Other o && o.text().contains("IrreversibleMigration")) {
        return false;
      }
      if (n instanceof Call c && c.text().contains("IrreversibleMigration")) {
        return false;
      }
    }
    return true;
  }

  private static ClassDef migrationClass(List<Node> nodes) {
    for (Node n : nodes) {
      if (n instanceof ClassDef c) {
        if (!c.module() && c.superclass() != null && c.superclass().contains("Migration")) {
          return c;
        }
        ClassDef inner = migrationClass(c.body());
        if (inner != null) {
          return inner;
        }
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ schema

  @Override
  public boolean isSchemaFile(String path) {
    return SCHEMA.matcher(path).find();
  }

  @Override
  public List<Statement> readSchema(MigrationSource source) {
    Dialect dialect = source.dialectOr(Dialect.POSTGRESQL);
    if (source.path().endsWith(".sql")) {
      return SqlScript.parse(source.text(), dialect).statements();
    }
    MigrationBuilder b = new MigrationBuilder(source, Framework.RAILS, null, dialect);
    b.unit("schema", 1, false);
    RubyReader.Result parsed = RubyReader.read(source.text());
    RailsOps ops = new RailsOps(b, true, Map.of());
    for (Node n : parsed.nodes()) {
      // ActiveRecord::Schema[7.1].define(version: ...) do ... end
      if (n instanceof Call c && c.block() != null && c.name().equals("define")) {
        ops.read(c.block().body(), false);
      }
    }
    return b.statements();
  }

  // ------------------------------------------------------------------ models

  @Override
  public boolean mayDefineModels(String path) {
    return MODELS.matcher(path).find();
  }

  @Override
  public List<OrmModel> models(String path, String text, RepoFiles files) {
    if (!text.contains("class ")) {
      return List.of();
    }
    List<OrmModel> out = new ArrayList<>();
    collectModels(path, RubyReader.read(text).nodes(), "", out);
    return out;
  }

  private static void collectModels(String path, List<Node> nodes, String namespace, List<OrmModel> out) {
    for (Node n : nodes) {
      if (!(n instanceof ClassDef c)) {
        continue;
      }
      if (c.module() || c.superclass() == null || !isRecord(c.superclass())) {
        collectModels(path, c.body(), namespace + c.name() + "::", out);
        continue;
      }
      String table = null;
      boolean abstractClass = false;
      Map<String, Integer> ignored = new LinkedHashMap<>();
      Map<String, Value> constants = new HashMap<>();
      for (Node m : c.body()) {
        if (m instanceof Assign a) {
          switch (a.target()) {
            case "self.table_name" -> table = a.value() instanceof Str s && !s.interpolated() ? s.value()
                : a.value() instanceof Sym s ? s.name() : table;
            case "self.abstract_class" -> abstractClass = a.value() instanceof RubyReader.Bool bo && bo.value();
            case "self.ignored_columns" -> addIgnored(a.value(), a.line(), ignored, constants);
            default -> {
              if (!a.target().isEmpty() && Character.isUpperCase(a.target().charAt(0))) {
                constants.put(a.target(), a.value());
              }
            }
          }
        } else if (m instanceof Call call && call.receiver() == null && (call.name().equals("ignore_column")
            || call.name().equals("ignore_columns"))) {
          for (Value v : call.args()) {
            addIgnored(v, call.line(), ignored, constants);
          }
        }
      }
      if (abstractClass) {
        continue;
      }
      String name = namespace + c.name();
      out.add(new OrmModel(Framework.RAILS, c.name(), table != null ? table : Inflector.tableName(c.name()), path, c.line(),
          null, ignored, List.of()));
      collectModels(path, c.body(), name + "::", out);
    }
  }

  /** A superclass that makes an ActiveRecord model (STI subclasses of other models are not followed). */
  private static boolean isRecord(String superclass) {
    return superclass.equals("ApplicationRecord") || superclass.equals("ActiveRecord::Base")
        || superclass.endsWith("Record") || superclass.endsWith("::ApplicationRecord");
  }

  private static void addIgnored(Value v, int line, Map<String, Integer> ignored, Map<String, Value> constants) {
    if (v instanceof RubyReader.Expr e && !e.text().contains("+") && constants.containsKey(e.text().replace(".freeze", "").strip())) {
      addIgnored(constants.get(e.text().replace(".freeze", "").strip()), line, ignored, Map.of());
      return;
    }
    if (v instanceof RubyReader.Expr e && e.text().contains("+")) {
      for (String part : e.text().split("\\+")) {
        String p = part.replace(".freeze", "").strip();
        if (constants.containsKey(p)) {
          addIgnored(constants.get(p), line, ignored, Map.of());
        } else {
          addIgnored(new RubyReader.Expr(p), line, ignored, Map.of());
        }
      }
      return;
    }
    if (v instanceof Arr a) {
      for (Value x : a.items()) {
        addIgnored(x, line, ignored, constants);
      }
    } else if (v instanceof Str s && !s.interpolated()) {
      ignored.put(s.value(), line);
    } else if (v instanceof Sym s) {
      ignored.put(s.name(), line);
    } else if (v instanceof RubyReader.Expr e) {
      // self.ignored_columns += %w[a b] + ["c"], or a frozen list: the literal names in it count.
      Matcher m = Pattern.compile("[:\"']([A-Za-z_][A-Za-z0-9_]*)\"?'?|%[wi]\\[([^\\]]*)\\]").matcher(e.text());
      while (m.find()) {
        if (m.group(1) != null) {
          ignored.put(m.group(1), line);
        } else {
          for (String w : m.group(2).strip().split("\\s+")) {
            if (!w.isEmpty()) {
              ignored.put(w, line);
            }
          }
        }
      }
    }
  }
}
