package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.migration.sql.TableConstraint;
import java.util.ArrayList;
import java.util.List;

/** ADD PRIMARY KEY on an existing table builds an index (and, in PostgreSQL, scans for NULLs) under a blocking lock. */
final class AddPrimaryKeyRule extends MigrationRule {
  AddPrimaryKeyRule() {
    super("add-primary-key", Severity.BLOCK,
        "Adding a PRIMARY KEY builds its index (and checks NOT NULL) while the table is locked.",
        "PostgreSQL: make the columns NOT NULL safely, CREATE UNIQUE INDEX CONCURRENTLY, then ADD PRIMARY KEY USING INDEX.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    for (AddedConstraints.Added a : AddedConstraints.onExistingTables(set, TableConstraint.Kind.PRIMARY_KEY)) {
      String table = a.alter().table().toString();
      if (a.statement().dialect() == Dialect.MYSQL) {
        if (!a.alter().mysqlAssertedOnline()) {
          out.add(at(a.statement(), "ADD PRIMARY KEY on " + q(table) + " rebuilds the clustered index: the whole table is"
              + " rebuilt, with replica lag for its duration.",
              "Use gh-ost/pt-online-schema-change, or ALGORITHM=INPLACE, LOCK=NONE on a small table."));
        }
      } else if (a.constraint().usingIndex() == null) {
        out.add(at(a.statement(), "ADD PRIMARY KEY on " + q(table) + " (" + String.join(", ", a.constraint().columns())
            + ") builds a unique index and sets NOT NULL (a full scan) under ACCESS EXCLUSIVE.",
            "Make the columns NOT NULL via a validated CHECK; CREATE UNIQUE INDEX CONCURRENTLY " + a.alter().table().name()
                + "_pkey_idx ON " + table + " (...); then ALTER TABLE " + table + " ADD CONSTRAINT "
                + a.alter().table().name() + "_pkey PRIMARY KEY USING INDEX " + a.alter().table().name() + "_pkey_idx."));
      }
    }
    for (AddedColumns.Added a : AddedColumns.onExistingTables(set)) {
      if (a.column().primaryKey()) {
        out.add(at(a.statement(), "ADD COLUMN " + q(a.alter().table() + "." + a.column().name()) + " PRIMARY KEY fills and"
            + " indexes every existing row under a lock that blocks the table.",
            "Add the column nullable, backfill in batches, build a unique index concurrently, then ADD PRIMARY KEY USING"
                + " INDEX."));
      }
    }
    return out;
  }
}
