package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.migration.sql.TableConstraint;
import java.util.ArrayList;
import java.util.List;

/** Adding a FOREIGN KEY that is validated at once scans the table while writes to both tables are blocked. */
final class AddForeignKeyValidatingRule extends MigrationRule {
  AddForeignKeyValidatingRule() {
    super("add-foreign-key-validating", Severity.BLOCK,
        "Adding a validated FOREIGN KEY scans the table while writes to both tables wait.",
        "PostgreSQL: ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a separate migration.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    for (AddedConstraints.Added a : AddedConstraints.onExistingTables(set, TableConstraint.Kind.FOREIGN_KEY)) {
      if (!a.constraint().notValid()) {
        report(set, a.statement(), a.alter(), a.constraint().name(), String.valueOf(a.constraint().references()), out);
      }
    }
    for (AddedColumns.Added a : AddedColumns.onExistingTables(set)) {
      if (a.column().references() != null) {
        report(set, a.statement(), a.alter(), a.column().name() + "_fkey", String.valueOf(a.column().references()), out);
      }
    }
    return out;
  }

  private void report(MigrationSet set, MigrationStatement s, Command.AlterTable at, String name, String ref,
      List<RuleViolation> out) {
    String table = at.table().toString();
    if (s.dialect() == Dialect.MYSQL) {
      if (at.mysqlAssertedOnline() || foreignKeyChecksOff(set, s)) {
        return; // with foreign_key_checks=0 MySQL adds it INPLACE without validating; LOCK=NONE refuses a copy
      }
      out.add(at(s, "Adding FOREIGN KEY " + (name == null ? "" : q(name) + " ") + "on " + q(table) + " -> " + q(ref)
          + " with foreign_key_checks=1 forces ALGORITHM=COPY: the table is copied with writes blocked.",
          "Create foreign keys with the table, or SET foreign_key_checks = 0 for this statement (no validation), or use"
              + " an online schema-change tool."));
      return;
    }
    String n = name == null ? "fk_" + at.table().name() : name;
    out.add(at(s, "Adding FOREIGN KEY " + q(n) + " on " + q(table) + " -> " + q(ref) + " without NOT VALID takes SHARE ROW"
        + " EXCLUSIVE on both tables and scans " + q(table) + ": writes to both wait for the whole scan.",
        "ALTER TABLE " + table + " ADD CONSTRAINT " + n + " FOREIGN KEY (...) REFERENCES " + ref + " NOT VALID; then"
            + " ALTER TABLE " + table + " VALIDATE CONSTRAINT " + n + " in a separate migration."));
  }

  private static boolean foreignKeyChecksOff(MigrationSet set, MigrationStatement at) {
    boolean off = false;
    for (MigrationStatement s : set.statementsOf(Command.SetVariable.class)) {
      if (s.migration() != at.migration() || s.seq() >= at.seq()) {
        continue;
      }
      if (s.command() instanceof Command.SetVariable v && v.value("foreign_key_checks") != null) {
        String value = v.value("foreign_key_checks").strip();
        off = value.equals("0") || value.equalsIgnoreCase("off") || value.equalsIgnoreCase("false");
      }
    }
    return off;
  }
}
