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
      if (!c.notNull() || c.hasValueSource()) {
        continue;
      }
      boolean my = a.statement().dialect() == Dialect.MYSQL;
      String table = a.alter().table().name();
      StringBuilder msg = new StringBuilder("ADD COLUMN " + q(table + "." + c.name()) + " NOT NULL without a DEFAULT: ");
      msg.append(my ? "MySQL fills existing rows with the zero value and, in strict mode, the running release's INSERTs"
          + " that omit the column fail (\"Field doesn't have a default value\")."
          : "PostgreSQL rejects it on any non-empty table, and on an empty one the running release's INSERTs that omit"
              + " the column fail.");
      OldCode old = set.oldCode();
      if (old.available()) {
        OldCode.Usage inserts = old.inserts(table);
        msg.append(inserts.used() ? " The running release inserts into " + q(table) + " at " + inserts.evidence(3) + "."
            : " No INSERT into " + q(table) + " was found in the running release's code (" + inserts.filesSearched()
                + (inserts.filesSearched() == 1 ? " file" : " files") + ").");
      }
      out.add(at(a.statement(), msg.toString(),
          "ALTER TABLE " + table + " ADD COLUMN " + c.name() + " " + (c.type() == null ? "" : c.type().text())
              + " NULL (or with a constant DEFAULT); ship code that writes it; make it NOT NULL in a later release."));
    }
    return out;
  }
}
