package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A new enum value used in the same transaction that adds it ("unsafe use of new value", PostgreSQL 12+), or ADD VALUE
 * in a transaction block at all before PostgreSQL 12.
 */
final class EnumAddValueInTransactionRule extends MigrationRule {
  EnumAddValueInTransactionRule() {
    super("enum-add-value-in-transaction", Severity.BLOCK,
        "A new enum value is used in the transaction that adds it: PostgreSQL rejects it and the deploy fails.",
        "ALTER TYPE ... ADD VALUE IF NOT EXISTS alone in one migration; use the value in a later one.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.POSTGRESQL)) {
      return out;
    }
    int version = set.settings().postgresVersion();
    Map<TransactionUnit, Map<String, MigrationStatement>> added = new HashMap<>();
    if (set.statementsOf(Command.AlterType.class).isEmpty()) {
      return out; // no ALTER TYPE: nothing to check
    }
    for (MigrationStatement s : set.statements()) {
      if (s.dialect() != Dialect.POSTGRESQL || !s.unit().transactional()) {
        continue;
      }
      if (s.command() instanceof Command.AlterType at && at.action() == Command.TypeAction.ADD_VALUE) {
        if (version < 12) {
          out.add(at(s, "ALTER TYPE " + q(at.type()) + " ADD VALUE '" + at.value() + "' cannot run inside a transaction"
              + " block before PostgreSQL 12, and " + s.unit().label() + ".",
              "Run ALTER TYPE " + at.type() + " ADD VALUE IF NOT EXISTS '" + at.value() + "' alone, outside a transaction."));
        } else {
          added.computeIfAbsent(s.unit(), u -> new HashMap<>()).put(at.value(), s);
        }
        continue;
      }
      Map<String, MigrationStatement> values = added.get(s.unit());
      if (values == null) {
        continue;
      }
      for (String literal : s.literals()) {
        MigrationStatement adder = values.get(literal);
        if (adder != null) {
          Command.AlterType at = (Command.AlterType) adder.command();
          out.add(at(s, "Uses the enum value '" + literal + "' that line " + adder.line() + " adds to " + q(at.type())
              + " in the same transaction (" + s.unit().label() + "): PostgreSQL fails with \"unsafe use of new value\".",
              "Commit ALTER TYPE " + at.type() + " ADD VALUE IF NOT EXISTS '" + literal + "' in its own migration and use the"
                  + " value in a later one. Deploy code that can read the value before code that writes it."));
          values.remove(literal);
          break;
        }
      }
    }
    return out;
  }
}
