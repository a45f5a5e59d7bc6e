package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.AlterAction;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SET NOT NULL on an existing column scans the table under ACCESS EXCLUSIVE and breaks old code that writes NULL. */
final class SetNotNullRule extends MigrationRule {
  SetNotNullRule() {
    super("set-not-null", Severity.BLOCK,
        "SET NOT NULL scans the whole table under an exclusive lock, and old code that writes NULL starts failing.",
        "Add CHECK (c IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL (PostgreSQL 12+).");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    int version = set.settings().postgresVersion();
    for (MigrationStatement s : set.statementsOf(Command.AlterTable.class)) {
      if (!(s.command() instanceof Command.AlterTable at) || s.isNewTable(at.table())) {
        continue;
      }
      for (AlterAction a : at.actions()) {
        if (s.dialect() == Dialect.POSTGRESQL && a instanceof AlterAction.SetNotNull nn) {
          Optional<ColumnInfo> before = s.columnBefore(nn.column());
          if (before.map(ColumnInfo::notNull).orElse(false)) {
            continue; // already NOT NULL: a no-op
          }
          if (version >= 12 && before.map(ColumnInfo::notNullCheckValidated).orElse(false)) {
            continue; // PostgreSQL 12+ uses the validated CHECK (c IS NOT NULL) and skips the scan
          }
          String col = at.table() + "." + nn.column();
          out.add(at(s, "SET NOT NULL on " + q(col) + " scans every row under an ACCESS EXCLUSIVE lock (reads and writes"
              + " wait), and instances still writing NULL start failing.",
              version >= 12
                  ? "ALTER TABLE " + at.table() + " ADD CONSTRAINT " + nn.column() + "_not_null CHECK (" + nn.column()
                      + " IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT " + nn.column() + "_not_null in a later migration;"
                      + " then SET NOT NULL (no scan) and drop the check."
                  : "Keep a validated CHECK (" + nn.column() + " IS NOT NULL) NOT VALID + VALIDATE instead of NOT NULL"
                      + " (PostgreSQL " + version + " scans on SET NOT NULL regardless)."));
        } else if (s.dialect() == Dialect.MYSQL && a instanceof AlterAction.ModifyColumn mc && mc.column().notNull()) {
          Optional<ColumnInfo> before = s.columnBefore(mc.before());
          if (before.isPresent() && !before.get().notNull()) {
            out.add(at(s, "MODIFY " + q(at.table() + "." + mc.column().name()) + " NOT NULL on a nullable column rebuilds"
                + " the table, fails if NULLs exist (or silently coerces them without strict mode), and breaks old code"
                + " that writes NULL.",
                "Backfill NULLs in batches and ship code that always writes the column first; then MODIFY it NOT NULL"
                    + " with ALGORITHM=INPLACE, LOCK=NONE, ideally with gh-ost/pt-online-schema-change on large tables."));
          }
        }
      }
    }
    return out;
  }
}
