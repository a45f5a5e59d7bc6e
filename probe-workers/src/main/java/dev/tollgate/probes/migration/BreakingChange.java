package dev.tollgate.probes.migration;

import dev.tollgate.probes.migration.sql.AlterAction;
import dev.tollgate.probes.migration.sql.ColumnDef;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Name;
import dev.tollgate.probes.migration.sql.TypeName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A schema change the running release (and, for the rollback probe, a rolled-back release) may not survive: the
 * compatibility half of the migration rules, as data. The rollback probe reads {@link #of(MigrationSet)} and asks
 * {@link #usage(OldCode)} whether the old code still uses the object (expand/contract) instead of parsing SQL again.
 *
 * @param kind what changes
 * @param statement where
 * @param table the table (or view, schema, type) concerned
 * @param column the column, for column changes, else null
 * @param newName the new name for renames, else null
 */
public record BreakingChange(Kind kind, MigrationStatement statement, Name table, String column, String newName) {
  /** Kinds of incompatible change. */
  public enum Kind {
    DROP_COLUMN, RENAME_COLUMN, DROP_TABLE, RENAME_TABLE, DROP_SCHEMA, RENAME_SCHEMA, RENAME_ENUM_VALUE, TRUNCATE,
    ADD_REQUIRED_COLUMN, SET_NOT_NULL, CHANGE_COLUMN_TYPE, DELETE_ROWS
  }

  /** Every breaking change of the deploy's pending migrations, on objects that existed before the deploy. */
  public static List<BreakingChange> of(MigrationSet set) {
    return set.memo(BreakingChange.class, () -> compute(set));
  }

  private static List<BreakingChange> compute(MigrationSet set) {
    List<BreakingChange> out = new ArrayList<>();
    for (MigrationStatement s : set.statementsOf(Command.AlterTable.class, Command.Drop.class, Command.RenameTables.class, Command.AlterRename.class,
        Command.AlterType.class, Command.Truncate.class, Command.Delete.class)) {
      Command c = s.command();
      if (c instanceof Command.AlterTable at && !s.isNewTable(at.table())) {
        for (AlterAction a : at.actions()) {
          if (a instanceof AlterAction.DropColumn d) {
            out.add(new BreakingChange(Kind.DROP_COLUMN, s, at.table(), d.column(), null));
          } else if (a instanceof AlterAction.RenameColumn r) {
            out.add(new BreakingChange(Kind.RENAME_COLUMN, s, at.table(), r.from(), r.to()));
          } else if (a instanceof AlterAction.ModifyColumn m && m.renames()) {
            out.add(new BreakingChange(Kind.RENAME_COLUMN, s, at.table(), m.oldName(), m.column().name()));
          } else if (a instanceof AlterAction.RenameTo r) {
            out.add(new BreakingChange(Kind.RENAME_TABLE, s, at.table(), null, r.newName().name()));
          } else if (a instanceof AlterAction.AddColumn add && add.column().notNull() && !add.column().hasValueSource()) {
            out.add(new BreakingChange(Kind.ADD_REQUIRED_COLUMN, s, at.table(), add.column().name(), null));
          } else if (a instanceof AlterAction.SetNotNull nn) {
            out.add(new BreakingChange(Kind.SET_NOT_NULL, s, at.table(), nn.column(), null));
          } else if (a instanceof AlterAction.AlterColumnType t) {
            TypeName from = s.columnBefore(t.column()).map(ColumnInfo::type).orElse(null);
            if (!RuleSupport.pgNoRewrite(from, t.type(), false, 99)) {
              out.add(new BreakingChange(Kind.CHANGE_COLUMN_TYPE, s, at.table(), t.column(), null));
            }
          } else if (a instanceof AlterAction.ModifyColumn m && m.column().type() != null) {
            Optional<ColumnInfo> before = s.columnBefore(m.before());
            ColumnDef def = m.column();
            if (before.isEmpty() || !RuleSupport.mysqlInPlace(before.get().type(), def.type())) {
              out.add(new BreakingChange(Kind.CHANGE_COLUMN_TYPE, s, at.table(), m.before(), null));
            }
          }
        }
      } else if (c instanceof Command.Drop d) {
        Kind kind = d.type().equals("SCHEMA") || d.type().equals("DATABASE") ? Kind.DROP_SCHEMA
            : d.type().equals("TABLE") || d.type().contains("VIEW") || d.type().equals("FOREIGN TABLE") ? Kind.DROP_TABLE : null;
        if (kind != null && !d.temporary()) {
          for (Name n : d.names()) {
            if (kind == Kind.DROP_SCHEMA || !s.isNewTable(n)) {
              out.add(new BreakingChange(kind, s, n, null, null));
            }
          }
        }
      } else if (c instanceof Command.RenameTables r) {
        for (Command.Rename x : r.renames()) {
          if (!s.isNewTable(x.from())) {
            out.add(new BreakingChange(Kind.RENAME_TABLE, s, x.from(), null, x.to().name()));
          }
        }
      } else if (c instanceof Command.AlterRename r && r.type().equals("SCHEMA")) {
        out.add(new BreakingChange(Kind.RENAME_SCHEMA, s, r.name(), null, r.newName()));
      } else if (c instanceof Command.AlterRename r && (r.type().equals("VIEW") || r.type().equals("MATERIALIZED VIEW"))
          && !s.isNewTable(r.name())) {
        out.add(new BreakingChange(Kind.RENAME_TABLE, s, r.name(), null, r.newName()));
      } else if (c instanceof Command.AlterType at && at.action() == Command.TypeAction.RENAME_VALUE) {
        out.add(new BreakingChange(Kind.RENAME_ENUM_VALUE, s, at.type(), at.value(), at.newValue()));
      } else if (c instanceof Command.Truncate t) {
        for (Name n : t.tables()) {
          if (!s.isNewTable(n)) {
            out.add(new BreakingChange(Kind.TRUNCATE, s, n, null, null));
          }
        }
      } else if (c instanceof Command.Delete d && !s.isNewTable(d.table())) {
        out.add(new BreakingChange(Kind.DELETE_ROWS, s, d.table(), null, null));
      }
    }
    return List.copyOf(out);
  }

  /** What the old code says about the object this change removes or renames (column, or table). */
  public OldCode.Usage usage(OldCode old) {
    return column != null && kind != Kind.RENAME_ENUM_VALUE ? old.column(table.name(), column) : old.table(table.name());
  }

  /** {@code users.legacy_flag} or {@code users}. */
  public String subject() {
    return column == null ? table.toString() : table + "." + column;
  }
}
