package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.Framework;
import dev.tollgate.probes.migration.Migration;
import dev.tollgate.probes.migration.OrmModel;
import dev.tollgate.probes.migration.Unread;
import dev.tollgate.probes.migration.framework.DjangoFields.Field;
import dev.tollgate.probes.migration.framework.PythonReader.Assign;
import dev.tollgate.probes.migration.framework.PythonReader.Call;
import dev.tollgate.probes.migration.framework.PythonReader.ClassDef;
import dev.tollgate.probes.migration.framework.PythonReader.Const;
import dev.tollgate.probes.migration.framework.PythonReader.Dict;
import dev.tollgate.probes.migration.framework.PythonReader.Name;
import dev.tollgate.probes.migration.framework.PythonReader.Node;
import dev.tollgate.probes.migration.framework.PythonReader.Seq;
import dev.tollgate.probes.migration.framework.PythonReader.Str;
import dev.tollgate.probes.migration.framework.PythonReader.Value;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Django migrations ({@code <app>/migrations/NNNN_<name>.py}): each operation rendered as the SQL Django's schema
 * editor runs, against the app's model state as its earlier migrations left it (tables as Django derives them —
 * {@code <app_label>_<model>} unless {@code db_table} —, columns, types, NULL, defaults), and Django models for the
 * old-code check. docs/rules/migration/django.md.
 *
 * <p>Transaction model: on PostgreSQL a migration is atomic (one transaction) unless its class sets
 * {@code atomic = False}; on MySQL nothing is transactional.
 */
public final class DjangoReader implements FrameworkReader {
  private static final Pattern PATH = Pattern.compile("(^|/)([^/]+)/migrations/(\\d{4})_\\w*\\.py$");
  private static final Pattern MODELS = Pattern.compile("(^|/)([^/]+)/models(\\.py|/[^/]+\\.py)$");
  private static final Pattern LABEL = Pattern.compile("(?m)^\\s+label\\s*=\\s*['\"](\\w+)['\"]");

  @Override
  public Framework framework() {
    return Framework.DJANGO;
  }

  @Override
  public boolean claims(String path) {
    return path.endsWith(".py") && PATH.matcher(path).find() && !path.contains("site-packages/");
  }

  @Override
  public boolean claimsContent(String path, String text) {
    return path.endsWith(".py") && text.contains("migrations.Migration") && text.contains("operations");
  }

  // ------------------------------------------------------------------ app history

  /** One migration file of an app, parsed. */
  record Parsed(String name, String path, ClassDef migration, List<Value> operations, boolean atomic, List<String> after,
      List<String> replaces, Map<String, Value> names, String error, int errorLine) {}

  /** An app's migrations in order, parsed once per tree and evaluation ({@link RepoFiles#memo}). */
  static final class History {
    final String appLabel;
    final List<Parsed> migrations = new ArrayList<>();
    private final Map<String, Map<String, ModelState>> statesBefore = new HashMap<>();

    History(String appLabel) {
      this.appLabel = appLabel;
    }

    /** The app's model state before migration {@code name} runs: every earlier migration's state changes applied. */
    synchronized Map<String, ModelState> stateBefore(String name, boolean pg) {
      Map<String, ModelState> cached = statesBefore.get(name);
      if (cached != null) {
        return copy(cached);
      }
      Map<String, ModelState> state = new LinkedHashMap<>();
      for (Parsed p : migrations) {
        if (p.name().compareTo(name) >= 0) {
          break;
        }
        if (!p.replaces().isEmpty()) {
          continue; // a squash replaces migrations that are in the history already
        }
        Ops ops = new Ops(null, appLabel, state, pg, p.names());
        for (Value op : p.operations()) {
          ops.apply(op);
        }
      }
      statesBefore.put(name, copy(state));
      return state;
    }
  }

  private static Map<String, ModelState> copy(Map<String, ModelState> state) {
    Map<String, ModelState> out = new LinkedHashMap<>();
    state.forEach((k, v) -> out.put(k, v.copy()));
    return out;
  }

  /** A model as the migrations describe it. */
  static final class ModelState {
    String table;
    final LinkedHashMap<String, Field> fields = new LinkedHashMap<>();
    final Set<List<String>> uniqueTogether = new LinkedHashSet<>();

    ModelState(String table) {
      this.table = table;
    }

    ModelState copy() {
      ModelState m = new ModelState(table);
      m.fields.putAll(fields);
      m.uniqueTogether.addAll(uniqueTogether);
      return m;
    }
  }

  private static String appDir(String path) {
    return path.substring(0, path.lastIndexOf("migrations/"));
  }

  /** The app's label: {@code label = "..."} in its apps.py, else its package's name. */
  static String appLabel(String appDir, RepoFiles files) {
    var apps = files.read(appDir + "apps.py");
    if (apps.isPresent()) {
      Matcher m = LABEL.matcher(apps.get());
      if (m.find()) {
        return m.group(1);
      }
    }
    String d = appDir.endsWith("/") ? appDir.substring(0, appDir.length() - 1) : appDir;
    return d.substring(d.lastIndexOf('/') + 1);
  }

  private History history(MigrationSource source) {
    String appDir = appDir(source.path());
    return source.files().memo(List.of("django", appDir), () -> {
      History h = new History(appLabel(appDir, source.files()));
      for (String p : source.files().list(appDir + "migrations/")) {
        if (!claims(p) || p.equals(source.path())) {
          continue;
        }
        source.files().read(p).ifPresent(text -> h.migrations.add(parse(p, text)));
      }
      h.migrations.sort((a, b) -> a.name().compareTo(b.name()));
      return h;
    });
  }

  static Parsed parse(String path, String text) {
    String file = path.substring(path.lastIndexOf('/') + 1);
    String name = file.substring(0, file.length() - 3);
    PythonReader.Result r = PythonReader.read(text);
    ClassDef migration = null;
    Map<String, Value> names = new HashMap<>(); // module and class variables an operation may name (SQL = """...""")
    for (Node n : r.nodes()) {
      if (n instanceof ClassDef c && c.name().equals("Migration")) {
        migration = c;
      } else if (n instanceof Assign a) {
        names.put(a.target(), a.value());
      }
    }
    List<Value> operations = new ArrayList<>();
    boolean atomic = true;
    List<String> after = new ArrayList<>();
    List<String> replaces = new ArrayList<>();
    if (migration != null) {
      for (Node n : migration.body()) {
        if (n instanceof Assign a) {
          names.put(a.target(), a.value());
          switch (a.target()) {
            case "operations" -> {
              if (a.value() instanceof Seq s) {
                operations.addAll(s.items());
              } else {
                operations.add(a.value());
              }
            }
            case "atomic" -> atomic = !(a.value() instanceof Const k && k.name().equals("False"));
            case "dependencies" -> after.addAll(pairs(a.value()));
            case "replaces" -> replaces.addAll(pairs(a.value()));
            default -> { }
          }
        }
      }
    }
    List<Value> resolved = new ArrayList<>();
    for (Value op : operations) {
      resolved.add(op instanceof Name nm && names.containsKey(nm.dotted()) ? names.get(nm.dotted()) : op);
    }
    return new Parsed(name, path, migration, resolved, atomic, after, replaces, names, r.error(), r.errorLine());
  }

  /** {@code [("app", "0001_x"), ...]} → {@code ["app.0001_x", ...]}. */
  private static List<String> pairs(Value v) {
    List<String> out = new ArrayList<>();
    if (v instanceof Seq s) {
      for (Value x : s.items()) {
        if (x instanceof Seq pair && pair.items().size() == 2 && pair.items().get(0) instanceof Str a
            && pair.items().get(1) instanceof Str b) {
          out.add(a.value() + "." + b.value());
        }
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ reading a migration

  @Override
  public Migration read(MigrationSource source) {
    Dialect dialect = source.dialectOr(Dialect.POSTGRESQL);
    boolean pg = dialect == Dialect.POSTGRESQL;
    Parsed p = parse(source.path(), source.text());
    Matcher v = Pattern.compile("^(\\d{4})").matcher(source.fileName());
    MigrationBuilder b = new MigrationBuilder(source, Framework.DJANGO, v.find() ? v.group(1) : null, dialect);
    History h = history(source);
    b.id(h.appLabel + "." + p.name(), p.after());
    if (p.error() != null) {
      b.unread(p.errorLine(), source.fileName(), "Python the probe cannot read: " + p.error(), Unread.Kind.SCHEMA);
    }
    if (p.migration() == null) {
      if (p.error() == null) {
        b.unread(1, source.fileName(), "no Migration class in the file", Unread.Kind.SCHEMA);
      }
      return b.build();
    }
    b.unit(p.atomic() ? "Django runs this migration in one transaction (atomic)"
        : "atomic = False: each statement commits on its own", p.migration().line(), p.atomic());
    if (!p.replaces().isEmpty() && h.migrations.stream().anyMatch(m -> p.replaces().contains(h.appLabel + "." + m.name()))) {
      return b.build(); // a squash of migrations the database has: Django records it as applied without running it
    }
    Map<String, ModelState> state = h.stateBefore(p.name(), pg);
    Ops ops = new Ops(b, h.appLabel, state, pg, p.names());
    for (Value op : p.operations()) {
      ops.apply(op);
    }
    if (ops.reversible) {
      b.wayBack("Django reverses its operations (migrate to the previous migration)");
    }
    return b.build();
  }

  /** The history of a Django app is replayed only for apps with a pending migration. */
  @Override
  public boolean replays(String baselinePath, List<Migration> pending) {
    String dir = appDir(baselinePath);
    for (Migration m : pending) {
      if (m.framework() == Framework.DJANGO && m.path().startsWith(dir) && appDir(m.path()).equals(dir)) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ operations

  /** Applies operations to the model state and, with a builder, renders the SQL they run. */
  static final class Ops {
    private final MigrationBuilder b;
    private final String app;
    private final Map<String, ModelState> state;
    private final boolean pg;
    private final Map<String, Value> names;
    boolean reversible = true;

    Ops(MigrationBuilder b, String app, Map<String, ModelState> state, boolean pg, Map<String, Value> names) {
      this.b = b;
      this.app = app;
      this.state = state;
      this.pg = pg;
      this.names = names;
    }

    /** A module or class variable named by an operation, as its value. */
    private Value resolve(Value v) {
      return v instanceof Name n && names.containsKey(n.dotted()) ? names.get(n.dotted()) : v;
    }

    private void sql(String sql, int line) {
      if (b != null) {
        b.sql(sql, line);
      }
    }

    private void unread(Call c, String reason, Unread.Kind kind) {
      if (b != null) {
        b.unread(c.line(), c.text(), reason, kind);
      }
    }

    private String id(String name) {
      return b != null ? b.ident(name) : name;
    }

    private ModelState model(String name) {
      return state.get(name.toLowerCase(Locale.ROOT));
    }

    private ModelState modelOrDefault(String name) {
      ModelState m = model(name);
      if (m == null) {
        // Defined before the history the probe can see (another app, a removed squash): Django's default table.
        m = new ModelState(app + "_" + name.toLowerCase(Locale.ROOT));
        state.put(name.toLowerCase(Locale.ROOT), m);
      }
      return m;
    }

    /** The table of a referenced model ({@code app.model}): known to this app's state, else Django's default. */
    private String tableOf(String ref) {
      if (ref == null) {
        return null;
      }
      String[] parts = ref.split("\\.");
      if (parts.length == 2 && parts[0].equals(app) && model(parts[1]) != null) {
        return model(parts[1]).table;
      }
      return parts.length == 2 ? parts[0] + "_" + parts[1] : ref;
    }

    void apply(Value v) {
      if (!(v instanceof Call c)) {
        if (b != null) {
          b.unread(1, String.valueOf(v), "an operation the probe cannot read", Unread.Kind.SCHEMA);
        }
        return;
      }
      String op = c.simpleName();
      switch (op) {
        case "CreateModel" -> createModel(c);
        case "DeleteModel" -> {
          String n = str(c.param("name", 0));
          ModelState m = n == null ? null : model(n);
          if (m != null) {
            sql("DROP TABLE " + id(m.table) + " CASCADE", c.line());
            state.remove(n.toLowerCase(Locale.ROOT));
          } else {
            unread(c, "a model the migration history does not define", Unread.Kind.SCHEMA);
          }
        }
        case "RenameModel" -> {
          String from = str(c.param("old_name", 0));
          String to = str(c.param("new_name", 1));
          if (from == null || to == null) {
            unread(c, "arguments the probe cannot read statically", Unread.Kind.SCHEMA);
            return;
          }
          ModelState m = modelOrDefault(from);
          state.remove(from.toLowerCase(Locale.ROOT));
          String defaultOld = app + "_" + from.toLowerCase(Locale.ROOT);
          if (m.table.equals(defaultOld)) {
            String newTable = app + "_" + to.toLowerCase(Locale.ROOT);
            sql("ALTER TABLE " + id(m.table) + " RENAME TO " + id(newTable), c.line());
            m.table = newTable;
          }
          state.put(to.toLowerCase(Locale.ROOT), m);
        }
        case "AlterModelTable" -> {
          String n = str(c.param("name", 0));
          Value t = c.param("table", 1);
          if (n == null) {
            unread(c, "arguments the probe cannot read statically", Unread.Kind.SCHEMA);
            return;
          }
          ModelState m = modelOrDefault(n);
          String newTable = t instanceof Str s ? s.value() : app + "_" + n.toLowerCase(Locale.ROOT);
          if (!newTable.equals(m.table)) {
            sql("ALTER TABLE " + id(m.table) + " RENAME TO " + id(newTable), c.line());
            m.table = newTable;
          }
        }
        case "AddField" -> addField(c);
        case "RemoveField" -> removeField(c);
        case "RenameField" -> renameField(c);
        case "AlterField" -> alterField(c);
        case "AddIndex", "AddIndexConcurrently" -> addIndex(c, op.endsWith("Concurrently"));
        case "RemoveIndex", "RemoveIndexConcurrently" -> {
          String n = str(c.param("name", 1));
          if (n == null) {
            unread(c, "arguments the probe cannot read statically", Unread.Kind.SCHEMA);
            return;
          }
          sql("DROP INDEX " + (op.endsWith("Concurrently") && pg ? "CONCURRENTLY " : "") + id(n)
              + (pg ? "" : " ON " + id(modelOrDefault(str(c.param("model_name", 0))).table)), c.line());
        }
        case "RenameIndex" -> {
          String from = str(c.kw("old_name"));
          String to = str(c.kw("new_name"));
          if (from != null && to != null) {
            sql("ALTER INDEX " + id(from) + " RENAME TO " + id(to), c.line());
          } else if (c.kw("old_fields") == null) {
            unread(c, "arguments the probe cannot read statically", Unread.Kind.SCHEMA);
          }
        }
        case "AddConstraint", "AddConstraintNotValid" -> addConstraint(c, op.equals("AddConstraintNotValid"));
        case "RemoveConstraint" -> {
          String model = str(c.param("model_name", 0));
          String n = str(c.param("name", 1));
          if (model == null || n == null) {
            unread(c, "arguments the probe cannot read statically", Unread.Kind.SCHEMA);
            return;
          }
          sql("ALTER TABLE " + id(modelOrDefault(model).table) + " DROP CONSTRAINT " + id(n), c.line());
        }
        case "ValidateConstraint" -> {
          String model = str(c.param("model_name", 0));
          String n = str(c.param("name", 1));
          if (model == null || n == null) {
            unread(c, "arguments the probe cannot read statically", Unread.Kind.SCHEMA);
            return;
          }
          sql("ALTER TABLE " + id(modelOrDefault(model).table) + " VALIDATE CONSTRAINT " + id(n), c.line());
        }
        case "AlterUniqueTogether" -> alterUniqueTogether(c);
        case "AlterIndexTogether" -> alterIndexTogether(c);
        case "RunSQL" -> runSql(c);
        case "RunPython" -> {
          Value code = c.param("code", 0);
          if (code instanceof Name n && n.dotted().endsWith("noop")) {
            return;
          }
          if (c.param("reverse_code", 1) == null) {
            reversible = false;
          }
          unread(c, "Python code run by the migration (RunPython)", Unread.Kind.DATA);
        }
        case "SeparateDatabaseAndState" -> {
          // The database operations run; the state operations only change what Django believes (and later migrations).
          Map<String, ModelState> before = copy(state);
          Value db = resolve(c.kw("database_operations"));
          if (db instanceof Seq s) {
            for (Value x : s.items()) {
              apply(resolve(x));
            }
          }
          state.clear();
          state.putAll(before);
          Ops stateOnly = new Ops(null, app, state, pg, names);
          Value st = resolve(c.kw("state_operations"));
          if (st instanceof Seq s) {
            for (Value x : s.items()) {
              stateOnly.apply(resolve(x));
            }
          }
        }
        case "AlterOrderWithRespectTo" -> {
          String n = str(c.param("name", 0));
          if (n != null && model(n) != null && !(c.param("order_with_respect_to", 1) instanceof Const)) {
            sql("ALTER TABLE " + id(model(n).table) + " ADD COLUMN " + id("_order") + " integer NOT NULL DEFAULT 0",
                c.line());
          }
        }
        case "CreateExtension", "BtreeGinExtension", "BtreeGistExtension", "CITextExtension", "CryptoExtension",
             "HStoreExtension", "TrigramExtension", "UnaccentExtension", "BloomExtension" -> {
          String ext = op.equals("CreateExtension") ? str(c.param("name", 0)) : op.replace("Extension", "").toLowerCase(Locale.ROOT);
          if (ext != null && pg) {
            sql("CREATE EXTENSION IF NOT EXISTS " + id(ext.equals("trigram") ? "pg_trgm" : ext), c.line());
          }
        }
        case "AlterModelOptions", "AlterModelManagers", "AlterModelBases", "CreateCollation", "RemoveCollation" -> { }
        default -> unread(c, "a Django operation the probe does not know", Unread.Kind.SCHEMA);
      }
    }

    private void createModel(Call c) {
      String n = str(c.param("name", 0));
      if (n == null) {
        unread(c, "arguments the probe cannot read statically", Unread.Kind.SCHEMA);
        return;
      }
      Value options = c.param("options", 2);
      String table = app + "_" + n.toLowerCase(Locale.ROOT);
      if (options instanceof Dict d && d.entries().get("db_table") instanceof Str t) {
        table = t.value();
      }
      ModelState m = new ModelState(table);
      List<String> cols = new ArrayList<>();
      List<String> after = new ArrayList<>();
      Value fields = c.param("fields", 1);
      if (fields instanceof Seq s) {
        for (Value f : s.items()) {
          if (f instanceof Seq pair && pair.items().size() == 2 && pair.items().get(0) instanceof Str fname) {
            Field field = DjangoFields.field(fname.value(), pair.items().get(1), app, pg);
            m.fields.put(fname.value(), field);
            if (field.column() == null) {
              after.add(m2mTable(table, n, field));
              continue;
            }
            cols.add(columnSql(field, true) + (field.primaryKey() ? " PRIMARY KEY" : field.unique() ? " UNIQUE" : ""));
            if (field.references() != null) {
              after.add("ALTER TABLE " + id(table) + " ADD CONSTRAINT " + id(table + "_" + field.column() + "_fk")
                  + " FOREIGN KEY (" + id(field.column()) + ") REFERENCES " + id(tableOf(field.references())) + " (" + id("id")
                  + ")");
            }
            if (field.dbIndex()) {
              after.add("CREATE INDEX " + id(table + "_" + field.column() + "_idx") + " ON " + id(table) + " ("
                  + id(field.column()) + ")");
            }
          }
        }
      }
      state.put(n.toLowerCase(Locale.ROOT), m);
      sql("CREATE TABLE " + id(table) + " (" + String.join(", ", cols) + ")", c.line());
      for (String s : after) {
        sql(s, c.line());
      }
    }

    private String m2mTable(String table, String model, Field field) {
      String join = table + "_" + field.name();
      String target = field.references() == null ? model.toLowerCase(Locale.ROOT) : field.references().split("\\.")[1];
      return "CREATE TABLE " + id(join) + " (" + id("id") + " bigserial PRIMARY KEY, " + id(model.toLowerCase(Locale.ROOT) + "_id")
          + " bigint NOT NULL, " + id(target + "_id") + " bigint NOT NULL)";
    }

    /** {@code "col" type [NOT NULL] [DEFAULT x]}: with the one-off default Django uses to fill existing rows. */
    private String columnSql(Field f, boolean create) {
      StringBuilder s = new StringBuilder(id(f.column())).append(' ').append(f.sqlType());
      if (!f.nullable() && !f.primaryKey()) {
        s.append(" NOT NULL");
      }
      if (f.dbDefault() != null) {
        s.append(" DEFAULT ").append(f.dbDefault());
      } else if (!create && f.pyDefault() != null) {
        s.append(" DEFAULT ").append(f.pyDefault());
      }
      return s.toString();
    }

    private void addField(Call c) {
      String model = str(c.param("model_name", 0));
      String name = str(c.param("name", 1));
      Value fv = c.param("field", 2);
      if (model == null || name == null || fv == null) {
        unread(c, "arguments the probe cannot read statically", Unread.Kind.SCHEMA);
        return;
      }
      ModelState m = modelOrDefault(model);
      Field f = DjangoFields.field(name, fv, app, pg);
      boolean preserve = !(c.kw("preserve_default") instanceof Const k && k.name().equals("False"));
      m.fields.put(name, preserve ? f : f.withoutPyDefault());
      if (f.column() == null) {
        sql(m2mTable(m.table, model, f), c.line());
        return;
      }
      String t = id(m.table);
      sql("ALTER TABLE " + t + " ADD COLUMN " + columnSql(f, false), c.line());
      if (f.dbDefault() == null && f.pyDefault() != null) {
        // Django keeps no database default: it fills existing rows with the one-off default and drops it at once.
        sql("ALTER TABLE " + t + " ALTER COLUMN " + id(f.column()) + " DROP DEFAULT", c.line());
      }
      if (f.unique()) {
        sql("ALTER TABLE " + t + " ADD CONSTRAINT " + id(m.table + "_" + f.column() + "_key") + " UNIQUE ("
            + id(f.column()) + ")", c.line());
      }
      if (f.dbIndex()) {
        sql("CREATE INDEX " + id(m.table + "_" + f.column() + "_idx") + " ON " + t + " (" + id(f.column()) + ")", c.line());
      }
      if (f.references() != null) {
        sql("ALTER TABLE " + t + " ADD CONSTRAINT " + id(m.table + "_" + f.column() + "_fk") + " FOREIGN KEY ("
            + id(f.column()) + ") REFERENCES " + id(tableOf(f.references())) + " (" + id("id") + ")", c.line());
      }
    }

    private void removeField(Call c) {
      String model = str(c.param("model_name", 0));
      String name = str(c.param("name", 1));
      if (model == null || name == null) {
        unread(c, "arguments the probe cannot read statically", Unread.Kind.SCHEMA);
        return;
      }
      ModelState m = modelOrDefault(model);
      Field f = m.fields.remove(name);
      if (f != null && f.column() == null) {
        sql("DROP TABLE " + id(m.table + "_" + name), c.line());
        return;
      }
      // A field the visible history does not define: its column is the field's name (or <name>_id for a relation).
      String column = f != null ? f.column() : name;
      sql("ALTER TABLE " + id(m.table) + " DROP COLUMN " + id(column) + " CASCADE", c.line());
    }

    private void renameField(Call c) {
      String model = str(c.param("model_name", 0));
      String from = str(c.param("old_name", 1));
      String to = str(c.param("new_name", 2));
      if (model == null || from == null || to == null) {
        unread(c, "arguments the probe cannot read statically", Unread.Kind.SCHEMA);
        return;
      }
      ModelState m = modelOrDefault(model);
      Field f = m.fields.remove(from);
      String oldColumn = f != null ? f.column() : from;
      String newColumn = f == null ? to : f.renamed(to).column();
      if (f != null) {
        m.fields.put(to, f.renamed(to));
      }
      if (oldColumn != null && newColumn != null && !oldColumn.equals(newColumn)) {
        sql("ALTER TABLE " + id(m.table) + " RENAME COLUMN " + id(oldColumn) + " TO " + id(newColumn), c.line());
      }
    }

    private void alterField(Call c) {
      String model = str(c.param("model_name", 0));
      String name = str(c.param("name", 1));
      Value fv = c.param("field", 2);
      if (model == null || name == null || fv == null) {
        unread(c, "arguments the probe cannot read statically", Unread.Kind.SCHEMA);
        return;
      }
      ModelState m = modelOrDefault(model);
      Field old = m.fields.get(name);
      Field f = DjangoFields.field(name, fv, app, pg);
      boolean preserve = !(c.kw("preserve_default") instanceof Const k && k.name().equals("False"));
      m.fields.put(name, f);
      if (f.column() == null) {
        return;
      }
      if (old == null) {
        // The history does not show the field before: render what the new definition makes sure of.
        unread(c, "a field the migration history does not define", Unread.Kind.SCHEMA);
        return;
      }
      if (f.sameColumnAs(old) && java.util.Objects.equals(f.references(), old.references())) {
        return; // choices, help_text, validators, a Python default: nothing changes in the database
      }
      String t = id(m.table);
      String col = id(f.column());
      List<String> actions = new ArrayList<>();
      if (old.column() != null && !old.column().equals(f.column())) {
        sql("ALTER TABLE " + t + " RENAME COLUMN " + id(old.column()) + " TO " + col, c.line());
      }
      if (!f.sqlType().equals(old.sqlType())) {
        // Django casts (USING col::type) only when the base type changes, not for varchar(50) -> varchar(100).
        boolean cast = !f.sqlType().replaceAll("\\(.*\\)", "").equals(old.sqlType().replaceAll("\\(.*\\)", ""));
        actions.add(pg ? "ALTER COLUMN " + col + " TYPE " + f.sqlType() + (cast ? " USING " + col + "::" + f.sqlType() : "")
            : "MODIFY " + columnSql(f, true));
      }
      if (!java.util.Objects.equals(f.dbDefault(), old.dbDefault())) {
        actions.add("ALTER COLUMN " + col + (f.dbDefault() == null ? " DROP DEFAULT" : " SET DEFAULT " + f.dbDefault()));
      }
      if (old.nullable() && !f.nullable()) {
        if (f.pyDefault() != null && f.dbDefault() == null) {
          // Django fills the NULLs with the default before SET NOT NULL (four steps, one transaction).
          sql("UPDATE " + t + " SET " + col + " = " + f.pyDefault() + " WHERE " + col + " IS NULL", c.line());
        }
        actions.add(pg ? "ALTER COLUMN " + col + " SET NOT NULL" : "MODIFY " + columnSql(f, true));
      } else if (!old.nullable() && f.nullable()) {
        actions.add(pg ? "ALTER COLUMN " + col + " DROP NOT NULL" : "MODIFY " + columnSql(f, true));
      }
      if (!actions.isEmpty()) {
        sql("ALTER TABLE " + t + " " + String.join(", ", actions), c.line());
      }
      if (f.unique() && !old.unique()) {
        sql("ALTER TABLE " + t + " ADD CONSTRAINT " + id(m.table + "_" + f.column() + "_key") + " UNIQUE (" + col + ")",
            c.line());
      } else if (!f.unique() && old.unique()) {
        sql("ALTER TABLE " + t + " DROP CONSTRAINT " + id(m.table + "_" + f.column() + "_key"), c.line());
      }
      if (f.dbIndex() && !old.dbIndex()) {
        sql("CREATE INDEX " + id(m.table + "_" + f.column() + "_idx") + " ON " + t + " (" + col + ")", c.line());
      } else if (!f.dbIndex() && old.dbIndex()) {
        sql("DROP INDEX " + id(m.table + "_" + f.column() + "_idx"), c.line());
      }
      if (f.references() != null && !f.references().equals(old.references())) {
        sql("ALTER TABLE " + t + " ADD CONSTRAINT " + id(m.table + "_" + f.column() + "_fk") + " FOREIGN KEY (" + col
            + ") REFERENCES " + id(tableOf(f.references())) + " (" + id("id") + ")", c.line());
      }
      if (!preserve) {
        m.fields.put(name, f.withoutPyDefault());
      }
    }

    private void addIndex(Call c, boolean concurrently) {
      String model = str(c.param("model_name", 0));
      Value idx = c.param("index", 1);
      if (model == null || !(idx instanceof Call index)) {
        unread(c, "arguments the probe cannot read statically", Unread.Kind.SCHEMA);
        return;
      }
      ModelState m = modelOrDefault(model);
      String n = str(index.kw("name"));
      List<String> cols = new ArrayList<>();
      Value fields = index.kw("fields");
      if (fields instanceof Seq s) {
        for (Value x : s.items()) {
          String fname = str(x);
          if (fname == null) {
            unread(c, "index fields the probe cannot read statically", Unread.Kind.SCHEMA);
            return;
          }
          boolean desc = fname.startsWith("-");
          Field f = m.fields.get(desc ? fname.substring(1) : fname);
          cols.add(id(f != null && f.column() != null ? f.column() : desc ? fname.substring(1) : fname) + (desc ? " DESC" : ""));
        }
      } else {
        cols.add("(tollgate_expression)"); // an expression index: Index(Lower("email"), name=...)
      }
      String using = switch (index.simpleName()) {
        case "GinIndex" -> " USING gin";
        case "GistIndex" -> " USING gist";
        case "BrinIndex" -> " USING brin";
        case "HashIndex" -> " USING hash";
        case "SpGistIndex" -> " USING spgist";
        case "BloomIndex" -> " USING bloom";
        default -> "";
      };
      String where = index.kw("condition") != null ? " WHERE tollgate_condition" : "";
      sql("CREATE INDEX " + (concurrently && pg ? "CONCURRENTLY " : "") + id(n != null ? n : m.table + "_idx") + " ON "
          + id(m.table) + (pg ? using : "") + " (" + String.join(", ", cols) + ")" + (pg ? where : ""), c.line());
    }

    private void addConstraint(Call c, boolean notValid) {
      String model = str(c.param("model_name", 0));
      Value cv = c.param("constraint", 1);
      if (model == null || !(cv instanceof Call con)) {
        unread(c, "arguments the probe cannot read statically", Unread.Kind.SCHEMA);
        return;
      }
      ModelState m = modelOrDefault(model);
      String n = str(con.kw("name"));
      String name = id(n != null ? n : m.table + "_constraint");
      switch (con.simpleName()) {
        case "CheckConstraint" -> sql("ALTER TABLE " + id(m.table) + " ADD CONSTRAINT " + name
            + " CHECK (tollgate_condition)" + (notValid && pg ? " NOT VALID" : ""), c.line());
        case "UniqueConstraint" -> {
          List<String> cols = new ArrayList<>();
          if (con.kw("fields") instanceof Seq s) {
            for (Value x : s.items()) {
              Field f = str(x) == null ? null : m.fields.get(str(x));
              cols.add(id(f != null && f.column() != null ? f.column() : String.valueOf(str(x))));
            }
          }
          if (con.kw("condition") != null || cols.isEmpty()) {
            // A partial or expression unique constraint is a unique index.
            sql("CREATE UNIQUE INDEX " + name + " ON " + id(m.table) + " (" + (cols.isEmpty() ? "(tollgate_expression)"
                : String.join(", ", cols)) + ")" + (con.kw("condition") != null && pg ? " WHERE tollgate_condition" : ""),
                c.line());
          } else {
            sql("ALTER TABLE " + id(m.table) + " ADD CONSTRAINT " + name + " UNIQUE (" + String.join(", ", cols) + ")",
                c.line());
          }
        }
        case "ExclusionConstraint" -> sql("ALTER TABLE " + id(m.table) + " ADD CONSTRAINT " + name
            + " EXCLUDE USING gist (tollgate_expression WITH =)", c.line());
        default -> unread(c, "a constraint class the probe does not know", Unread.Kind.SCHEMA);
      }
    }

    private void alterUniqueTogether(Call c) {
      String model = str(c.param("name", 0));
      Value v = c.param("unique_together", 1);
      if (model == null) {
        unread(c, "arguments the probe cannot read statically", Unread.Kind.SCHEMA);
        return;
      }
      ModelState m = modelOrDefault(model);
      Set<List<String>> now = new LinkedHashSet<>(groups(v));
      for (List<String> g : now) {
        if (!m.uniqueTogether.contains(g)) {
          List<String> cols = g.stream().map(x -> m.fields.get(x) != null && m.fields.get(x).column() != null
              ? m.fields.get(x).column() : x).toList();
          sql("ALTER TABLE " + id(m.table) + " ADD CONSTRAINT " + id(m.table + "_" + String.join("_", cols) + "_uniq")
              + " UNIQUE (" + String.join(", ", cols.stream().map(this::id).toList()) + ")", c.line());
        }
      }
      for (List<String> g : m.uniqueTogether) {
        if (!now.contains(g)) {
          List<String> cols = g.stream().map(x -> m.fields.get(x) != null && m.fields.get(x).column() != null
              ? m.fields.get(x).column() : x).toList();
          sql("ALTER TABLE " + id(m.table) + " DROP CONSTRAINT " + id(m.table + "_" + String.join("_", cols) + "_uniq"),
              c.line());
        }
      }
      m.uniqueTogether.clear();
      m.uniqueTogether.addAll(now);
    }

    private void alterIndexTogether(Call c) {
      String model = str(c.param("name", 0));
      if (model == null) {
        unread(c, "arguments the probe cannot read statically", Unread.Kind.SCHEMA);
        return;
      }
      ModelState m = modelOrDefault(model);
      for (List<String> g : groups(c.param("index_together", 1))) {
        sql("CREATE INDEX " + id(m.table + "_" + String.join("_", g) + "_idx") + " ON " + id(m.table) + " ("
            + String.join(", ", g.stream().map(this::id).toList()) + ")", c.line());
      }
    }

    private static List<List<String>> groups(Value v) {
      List<List<String>> out = new ArrayList<>();
      if (v instanceof Seq s) {
        boolean flat = s.items().stream().allMatch(x -> x instanceof Str);
        if (flat && !s.items().isEmpty()) {
          out.add(s.items().stream().map(x -> ((Str) x).value()).toList());
          return out;
        }
        for (Value x : s.items()) {
          if (x instanceof Seq g) {
            out.add(g.items().stream().map(y -> y instanceof Str st ? st.value() : String.valueOf(y)).toList());
          }
        }
      }
      return out;
    }

    private void runSql(Call c) {
      Value sqlValue = resolve(c.param("sql", 0));
      if (c.param("reverse_sql", 1) == null) {
        reversible = false;
      }
      List<Value> parts = new ArrayList<>();
      if (sqlValue instanceof Seq s) {
        for (Value x : s.items()) {
          parts.add(x instanceof Seq pair && !pair.items().isEmpty() ? pair.items().get(0) : x);
        }
      } else {
        parts.add(sqlValue);
      }
      for (Value raw : parts) {
        Value part = resolve(raw);
        if (part instanceof Name n && n.dotted().endsWith("noop")) {
          continue;
        }
        if (!(part instanceof Str s) || s.formatted()) {
          unread(c, "SQL the probe cannot see (not a string literal)", Unread.Kind.SCHEMA);
          continue;
        }
        if (b == null) {
          continue;
        }
        String text = s.value();
        if (text.contains("%s") || text.contains("%(")) {
          b.sql(text.replaceAll("%\\([^)]*\\)s|%s", "'tollgate_param'"), s.line()); // parameters are values
        } else if (s.from() >= 0) {
          b.sqlAt(s.from(), s.to(), s.line());
        } else {
          b.sql(text, s.line());
        }
      }
    }
  }

  static String str(Value v) {
    return v instanceof Str s && !s.formatted() ? s.value() : null;
  }

  // ------------------------------------------------------------------ models

  @Override
  public boolean mayDefineModels(String path) {
    return path.endsWith(".py") && MODELS.matcher(path).find() && !path.contains("/migrations/");
  }

  @Override
  public List<OrmModel> models(String path, String text, RepoFiles files) {
    if (!text.contains("models.") && !text.contains("Model")) {
      return List.of();
    }
    int cut = path.indexOf("/models.py");
    String appDir = cut >= 0 ? path.substring(0, cut + 1) : path.substring(0, path.lastIndexOf("/models/") + 1);
    String label = appLabel(appDir, files);
    PythonReader.Result r = PythonReader.read(text);
    Map<String, ClassDef> classes = new LinkedHashMap<>();
    for (Node n : r.nodes()) {
      if (n instanceof ClassDef c) {
        classes.put(c.name(), c);
      }
    }
    List<OrmModel> out = new ArrayList<>();
    for (ClassDef c : classes.values()) {
      if (!isModel(c, classes) || meta(c, "abstract") instanceof Const k && k.name().equals("True")
          || meta(c, "proxy") instanceof Const p && p.name().equals("True")) {
        continue;
      }
      Map<String, Integer> columns = new LinkedHashMap<>();
      collectColumns(c, classes, label, columns, new java.util.HashSet<>());
      String table = meta(c, "db_table") instanceof Str t ? t.value() : label + "_" + c.name().toLowerCase(Locale.ROOT);
      out.add(new OrmModel(Framework.DJANGO, c.name(), table, path, c.line(), columns, Map.of(), List.of()));
    }
    return out;
  }

  private static boolean isModel(ClassDef c, Map<String, ClassDef> classes) {
    for (Value base : c.bases()) {
      String b = base instanceof Name n ? n.dotted() : String.valueOf(base);
      if (b.endsWith("Model") || b.endsWith("models.Model") || classes.containsKey(b) && isModel(classes.get(b), classes)) {
        return true;
      }
    }
    return false;
  }

  private static void collectColumns(ClassDef c, Map<String, ClassDef> classes, String label, Map<String, Integer> columns,
      Set<String> seen) {
    if (!seen.add(c.name())) {
      return;
    }
    for (Value base : c.bases()) {
      if (base instanceof Name n && classes.containsKey(n.dotted())) {
        collectColumns(classes.get(n.dotted()), classes, label, columns, seen); // fields of an abstract base in the file
      }
    }
    for (Node n : c.body()) {
      if (n instanceof Assign a && a.value() instanceof Call call && call.simpleName().endsWith("Field")
          && !a.target().contains(".")) {
        Field f = DjangoFields.field(a.target(), call, label, true);
        if (f.column() != null) {
          columns.put(f.column(), a.line());
        }
      } else if (n instanceof Assign a && a.value() instanceof Call call && (call.simpleName().equals("ForeignKey")
          || call.simpleName().equals("OneToOneField"))) {
        Field f = DjangoFields.field(a.target(), call, label, true);
        columns.put(f.column(), a.line());
      }
    }
  }

  private static Value meta(ClassDef c, String key) {
    for (Node n : c.body()) {
      if (n instanceof ClassDef m && m.name().equals("Meta")) {
        for (Node x : m.body()) {
          if (x instanceof Assign a && a.target().equals(key)) {
            return a.value();
          }
        }
      }
    }
    return null;
  }
}
