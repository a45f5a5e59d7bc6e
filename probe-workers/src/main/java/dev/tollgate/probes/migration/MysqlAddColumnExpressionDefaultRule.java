package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.List;

/** ADD COLUMN ... DEFAULT (expr) cannot be INSTANT in MySQL: the table is rebuilt and writes wait. */
final class MysqlAddColumnExpressionDefaultRule extends MigrationRule {
  MysqlAddColumnExpressionDefaultRule() {
    super("mysql-add-column-expression-default", Severity.BLOCK,
        "ADD COLUMN with an expression DEFAULT cannot be INSTANT: MySQL rebuilds the table while writes wait.",
        "Add the column without the default, then ALTER ... SET DEFAULT, and backfill in batches.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.MYSQL)) {
      return out;
    }
    for (AddedColumns.Added a : AddedColumns.onExistingTables(set)) {
      var d = a.column().defaultValue();
      if (a.statement().dialect() != Dialect.MYSQL || d == null || !d.parenthesized() || d.literal()
          || a.alter().mysqlAssertedOnline()) {
        continue;
      }
      out.add(at(a.statement(), "ADD COLUMN " + q(a.alter().table() + "." + a.column().name()) + " DEFAULT " + d.text()
          + ": an expression default is not INSTANT, so MySQL rebuilds " + q(a.alter().table()) + " with writes blocked.",
          "ALTER TABLE " + a.alter().table() + " ADD COLUMN " + a.column().name() + " "
              + (a.column().type() == null ? "" : a.column().type().text()) + ", ALGORITHM=INSTANT; then SET DEFAULT "
              + d.text() + " and backfill existing rows in batches."));
    }
    return out;
  }
}
