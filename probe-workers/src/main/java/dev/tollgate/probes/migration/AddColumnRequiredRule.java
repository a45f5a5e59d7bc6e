package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.ColumnDef;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.List;

/**
 * ADD COLUMN ... NOT NULL without a default on an existing table: PostgreSQL fails on any row, MySQL zero-fills, and
 * the running release's INSERTs, which do not name the column, fail. The old code's INSERTs are given as evidence.
 */
final class AddColumnRequiredRule extends MigrationRule {
  AddColumnRequiredRule() {
    super("add-column-required", Severity.BLOCK,
        "ADD COLUMN ... NOT NULL without a DEFAULT breaks the running release's INSERTs (and fails on a non-empty table).",
        "Add the column nullable (make it NOT NULL in a later release) or give it a constant DEFAULT.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    for (AddedColumns.Added a : AddedColumns.onExistingTables(set)) {
      ColumnDef c = a.column();
      MigrationStatement dropped = c.notNull() && c.hasValueSource() ? AddedColumns.defaultDroppedLater(set, a) : null;
      if (!c.notNull() || c.hasValueSource() && dropped == null) {
        continue;
      }
      boolean my = a.statement().dialect() == Dialect.MYSQL;
      String table = a.alter().table().name();
      StringBuilder msg = new StringBuilder("ADD COLUMN " + q(table + "." + c.name()) + " NOT NULL without a DEFAULT: ");
      if (dropped != null) {
        msg = new StringBuilder("ADD COLUMN " + q(table + "." + c.name()) + " NOT NULL with a DEFAULT that line "
            + dropped.line() + " drops again (a one-off default to fill existing rows, as Django does): ");
        msg.append("the running release's INSERTs that omit the column fail once the default is gone.");
      } else {
        msg.append(my ? "MySQL fills existing rows with the zero value and, in strict mode, the running release's INSERTs"
            + " that omit the column fail (\"Field doesn't have a default value\")."
            : "PostgreSQL rejects it on any non-empty table, and on an empty one the running release's INSERTs that omit"
                + " the column fail.");
      }
      OldCode old = set.oldCode();
      if (old.available()) {
        OldCode.Usage inserts = old.inserts(table);
        msg.append(inserts.used() ? " The running release inserts into " + q(table) + " at " + inserts.evidence(3) + "."
            : " No INSERT into " + q(table) + " was found in the running release's code (" + inserts.filesSearched()
                + (inserts.filesSearched() == 1 ? " file" : " files") + ").");
      }
      out.add(at(a.statement(), msg.toString(),
          "ALTER TABLE " + table + " ADD COLUMN " + c.name() + " " + (c.type() == null ? "" : c.type().text())
              + " NULL (or with a constant DEFAULT that stays: Django db_default); ship code that writes it; make it NOT NULL"
              + " in a later release."));
    }
    return out;
  }
}
