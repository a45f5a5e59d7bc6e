package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.AlterAction;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.migration.sql.TypeName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Changing a column's type rewrites the table (PostgreSQL, unless binary coercible) or copies it (MySQL), and old
 * code may not handle the new type. Uses the migration history for the old type; without it, widening-looking
 * changes are a warning only.
 */
final class ChangeColumnTypeRule extends MigrationRule {
  ChangeColumnTypeRule() {
    super("change-column-type", Severity.BLOCK,
        "Changing a column's type rewrites or copies the table while it is locked, and old code may break.",
        "Expand/contract: add a new column, dual-write, backfill in batches, switch reads, drop the old column later.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    boolean utc = set.settings().utcSessionTimeZone();
    int version = set.settings().postgresVersion();
    for (MigrationStatement s : set.statementsOf(Command.AlterTable.class)) {
      if (!(s.command() instanceof Command.AlterTable at) || s.isNewTable(at.table())) {
        continue;
      }
      for (AlterAction a : at.actions()) {
        if (s.dialect() == Dialect.POSTGRESQL && a instanceof AlterAction.AlterColumnType t) {
          Optional<ColumnInfo> before = s.columnBefore(t.column());
          TypeName from = before.map(ColumnInfo::type).orElse(null);
          String col = q(at.table() + "." + t.column());
          if (t.using() == null && from != null && RuleSupport.pgNoRewrite(from, t.type(), utc, version)) {
            continue;
          }
          if (t.using() == null && from == null && widening(t.type())) {
            out.add(at(s, "ALTER COLUMN " + col + " TYPE " + t.type() + ": without the column's old type (not in the"
                + " migration history) it cannot be told whether this is a binary-coercible widening (no rewrite) or a"
                + " rewrite of the whole table under ACCESS EXCLUSIVE.",
                "Make sure the old type is varchar(n ≤ new n), varchar or numeric(p ≤ new p, same scale); otherwise"
                    + " expand/contract with a new column.").withSeverity(Severity.WARN));
            continue;
          }
          out.add(at(s, "ALTER COLUMN " + col + (from == null ? "" : " from " + from) + " TYPE " + t.type()
              + (t.using() != null ? " USING ..." : "") + " rewrites " + q(at.table())
              + " and all its indexes under ACCESS EXCLUSIVE (reads and writes wait), and the running release may not"
              + " read or write the new type.",
              "Add a new column of type " + t.type() + ", write both (trigger or application), backfill in batches,"
                  + " switch reads, then drop " + t.column() + " in a later release."));
        } else if (s.dialect() == Dialect.MYSQL && a instanceof AlterAction.ModifyColumn mc && mc.column().type() != null
            && !at.mysqlAssertedOnline()) {
          Optional<ColumnInfo> before = s.columnBefore(mc.before());
          TypeName from = before.map(ColumnInfo::type).orElse(null);
          String col = q(at.table() + "." + mc.before());
          if (from == null) {
            out.add(at(s, "MODIFY/CHANGE " + col + " restates the type as " + mc.column().type() + "; the old type is not"
                + " in the migration history, so it cannot be told whether the type changes (a blocking table copy).",
                "If the type changes, use gh-ost/pt-online-schema-change or expand/contract; add ALGORITHM=INPLACE,"
                    + " LOCK=NONE so MySQL refuses rather than copies.").withSeverity(Severity.WARN));
            continue;
          }
          if (RuleSupport.mysqlInPlace(from, mc.column().type())) {
            continue;
          }
          out.add(at(s, "MODIFY/CHANGE " + col + " from " + from + " to " + mc.column().type()
              + " needs ALGORITHM=COPY: MySQL copies " + q(at.table()) + " with writes blocked, and old code may break on"
              + " the new type.",
              "Expand/contract with a new column, or run it with gh-ost/pt-online-schema-change."));
        }
      }
    }
    return out;
  }

  private static boolean widening(TypeName to) {
    return to.isTextLike() || to.name().equals("numeric") || to.name().equals("varbit");
  }
}
