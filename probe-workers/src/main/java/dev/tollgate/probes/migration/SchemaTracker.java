package dev.tollgate.probes.migration;

import dev.tollgate.probes.migration.sql.AlterAction;
import dev.tollgate.probes.migration.sql.ColumnDef;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Name;
import dev.tollgate.probes.migration.sql.Statement;
import dev.tollgate.probes.migration.sql.TableConstraint;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Replays migrations into a minimal catalog (tables, columns, NOT NULL checks, indexes): first the history the
 * running release already applied, then this deploy's statements. Tables are keyed by their unqualified name: two
 * schemas with the same table name are rare in one repository's migrations, and a miss only makes a rule
 * conservative.
 */
final class SchemaTracker {
  static final class Table {
    final Map<String, ColumnInfo> columns = new LinkedHashMap<>();
    final Map<String, String> notNullChecks = new HashMap<>();
  }

  private final Map<String, Table> tables = new HashMap<>();
  private final Map<String, String> indexTables = new HashMap<>();

  Table table(Name name) {
    return tables.get(name.name());
  }

  String indexTable(Name index) {
    return indexTables.get(index.name());
  }

  /** The columns an ALTER TABLE touches, as they are now (before it is applied). */
  Map<String, ColumnInfo> touched(Command.AlterTable at) {
    Table t = tables.get(at.table().name());
    if (t == null) {
      return Map.of();
    }
    Map<String, ColumnInfo> out = null; // most ALTERs touch no existing column: no map for them
    for (AlterAction a : at.actions()) {
      String col = null;
      if (a instanceof AlterAction.AlterColumnType x) {
        col = x.column();
      } else if (a instanceof AlterAction.ModifyColumn x) {
        col = x.before();
      } else if (a instanceof AlterAction.SetNotNull x) {
        col = x.column();
      } else if (a instanceof AlterAction.DropNotNull x) {
        col = x.column();
      } else if (a instanceof AlterAction.DropColumn x) {
        col = x.column();
      } else if (a instanceof AlterAction.RenameColumn x) {
        col = x.from();
      }
      if (col != null && t.columns.containsKey(col)) {
        if (out == null) {
          out = new HashMap<>(4);
        }
        out.put(col, t.columns.get(col));
      }
    }
    return out == null ? Map.of() : out;
  }

  void apply(Statement s) {
    Command cmd = s.command();
    if (cmd instanceof Command.CreateTable ct) {
      Table t = new Table();
      for (ColumnDef c : ct.columns()) {
        t.columns.put(c.name(), new ColumnInfo(c.name(), c.type(), c.notNull() || c.primaryKey(), c.hasValueSource(), false));
      }
      for (TableConstraint k : ct.constraints()) {
        if (k.kind() == TableConstraint.Kind.PRIMARY_KEY) {
          for (String col : k.columns()) {
            t.columns.computeIfPresent(col, (n, c) -> c.withNotNull(true));
          }
        }
      }
      tables.put(ct.table().name(), t);
    } else if (cmd instanceof Command.AlterTable at) {
      alter(at);
    } else if (cmd instanceof Command.Drop d && d.type().equals("TABLE")) {
      d.names().forEach(n -> tables.remove(n.name()));
    } else if (cmd instanceof Command.RenameTables r) {
      for (Command.Rename x : r.renames()) {
        Table t = tables.remove(x.from().name());
        if (t != null) {
          tables.put(x.to().name(), t);
        }
      }
    } else if (cmd instanceof Command.CreateIndex ci && ci.name() != null) {
      indexTables.put(ci.name().name(), ci.table().name());
    }
  }

  /** Marks a validated NOT NULL check; a column the history does not show yet is recorded with what is known. */
  private static ColumnInfo checked(String name, ColumnInfo c) {
    return c == null ? new ColumnInfo(name, null, false, false, true) : c.withCheck(true);
  }

  private void alter(Command.AlterTable at) {
    Table t = tables.computeIfAbsent(at.table().name(), k -> new Table());
    for (AlterAction a : at.actions()) {
      if (a instanceof AlterAction.AddColumn x) {
        ColumnDef c = x.column();
        t.columns.put(c.name(), new ColumnInfo(c.name(), c.type(), c.notNull(), c.hasValueSource(), false));
      } else if (a instanceof AlterAction.DropColumn x) {
        t.columns.remove(x.column());
      } else if (a instanceof AlterAction.AlterColumnType x) {
        t.columns.computeIfPresent(x.column(), (n, c) -> c.withType(x.type()));
      } else if (a instanceof AlterAction.ModifyColumn x) {
        ColumnInfo old = t.columns.remove(x.before());
        ColumnDef c = x.column();
        t.columns.put(c.name(), new ColumnInfo(c.name(), c.type(), c.notNull(), c.hasValueSource(),
            old != null && old.notNullCheckValidated()));
      } else if (a instanceof AlterAction.RenameColumn x) {
        ColumnInfo old = t.columns.remove(x.from());
        if (old != null) {
          t.columns.put(x.to(), old.renamed(x.to()));
        }
      } else if (a instanceof AlterAction.RenameTo x) {
        tables.remove(at.table().name());
        tables.put(x.newName().name(), t);
      } else if (a instanceof AlterAction.SetNotNull x) {
        t.columns.computeIfPresent(x.column(), (n, c) -> c.withNotNull(true));
      } else if (a instanceof AlterAction.DropNotNull x) {
        t.columns.computeIfPresent(x.column(), (n, c) -> c.withNotNull(false));
      } else if (a instanceof AlterAction.SetDefault x) {
        t.columns.computeIfPresent(x.column(), (n, c) -> c.withDefault(true));
      } else if (a instanceof AlterAction.DropDefault x) {
        t.columns.computeIfPresent(x.column(), (n, c) -> c.withDefault(false));
      } else if (a instanceof AlterAction.AddConstraint x) {
        TableConstraint k = x.constraint();
        String col = k.notNullColumn();
        if (col != null && k.name() != null) {
          t.notNullChecks.put(k.name(), col);
          if (!k.notValid()) {
            t.columns.compute(col, SchemaTracker::checked);
          }
        }
        if (k.kind() == TableConstraint.Kind.PRIMARY_KEY) {
          for (String pk : k.columns()) {
            t.columns.computeIfPresent(pk, (n, c) -> c.withNotNull(true));
          }
        }
      } else if (a instanceof AlterAction.ValidateConstraint x) {
        String col = t.notNullChecks.get(x.name());
        if (col != null) {
          t.columns.compute(col, SchemaTracker::checked);
        }
      } else if (a instanceof AlterAction.DropConstraint x) {
        String col = x.name() == null ? null : t.notNullChecks.remove(x.name());
        if (col != null) {
          t.columns.computeIfPresent(col, (n, c) -> c.withCheck(false));
        }
      }
    }
  }
}
