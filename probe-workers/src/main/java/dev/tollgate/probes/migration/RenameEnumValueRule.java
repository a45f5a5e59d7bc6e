package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.List;

/** Renaming an enum value breaks the running release, which still writes and compares the old value. */
final class RenameEnumValueRule extends MigrationRule {
  RenameEnumValueRule() {
    super("rename-enum-value", Severity.BLOCK,
        "Migration renames an enum value: the running release still writes and reads the old one.",
        "Add the new value, migrate code and data to it, then stop using the old value.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.POSTGRESQL)) {
      return out;
    }
    for (BreakingChange c : BreakingChange.of(set)) {
      if (c.kind() == BreakingChange.Kind.RENAME_ENUM_VALUE) {
        out.add(at(c.statement(), "ALTER TYPE " + q(c.table()) + " RENAME VALUE '" + c.column() + "' TO '" + c.newName()
            + "': the running release's writes of '" + c.column() + "' fail and its reads (Enum.valueOf) break on '"
            + c.newName() + "'.",
            "ALTER TYPE " + c.table() + " ADD VALUE '" + c.newName() + "'; ship code that reads both; migrate rows;"
                + " stop writing '" + c.column() + "' (PostgreSQL cannot drop an enum value without recreating the type)."));
      }
    }
    return out;
  }
}
