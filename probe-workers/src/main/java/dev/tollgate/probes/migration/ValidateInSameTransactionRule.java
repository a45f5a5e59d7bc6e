package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.AlterAction;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** VALIDATE CONSTRAINT in the same transaction as its ADD ... NOT VALID scans while the ADD's strong lock is still held. */
final class ValidateInSameTransactionRule extends MigrationRule {
  ValidateInSameTransactionRule() {
    super("validate-in-same-transaction", Severity.BLOCK,
        "VALIDATE CONSTRAINT runs in the same transaction as its ADD ... NOT VALID, so the scan runs under the ADD's lock.",
        "Put VALIDATE CONSTRAINT in its own migration (or changeset).");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.POSTGRESQL)) {
      return out;
    }
    Map<TransactionUnit, Map<String, Integer>> added = new HashMap<>();
    for (MigrationStatement s : set.statementsOf(Command.AlterTable.class)) {
      if (s.dialect() != Dialect.POSTGRESQL || !s.unit().transactional()
          || !(s.command() instanceof Command.AlterTable at) || s.isNewTable(at.table())) {
        continue;
      }
      Map<String, Integer> inUnit = added.computeIfAbsent(s.unit(), u -> new HashMap<>());
      for (AlterAction a : at.actions()) {
        if (a instanceof AlterAction.AddConstraint c && c.constraint().notValid() && c.constraint().name() != null) {
          inUnit.put(c.constraint().name(), s.line());
        } else if (a instanceof AlterAction.ValidateConstraint v && inUnit.containsKey(v.name())) {
          out.add(at(s, "VALIDATE CONSTRAINT " + q(v.name()) + " runs in the same transaction as its ADD ... NOT VALID"
              + " (line " + inUnit.get(v.name()) + "; " + s.unit().label() + "): the ADD's lock on " + q(at.table())
              + " is held until commit, so the whole validation scan blocks writes (or reads, for CHECK).",
              "Move `ALTER TABLE " + at.table() + " VALIDATE CONSTRAINT " + v.name() + "` to a later migration."));
        }
      }
    }
    return out;
  }
}
