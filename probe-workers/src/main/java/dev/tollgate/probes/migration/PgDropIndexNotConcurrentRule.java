package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.migration.sql.Name;
import java.util.ArrayList;
import java.util.List;

/** A DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the index's PostgreSQL table. */
final class PgDropIndexNotConcurrentRule extends MigrationRule {
  PgDropIndexNotConcurrentRule() {
    super("pg-drop-index-not-concurrent", Severity.BLOCK,
        "DROP INDEX without CONCURRENTLY locks the table against reads and writes.",
        "Use DROP INDEX CONCURRENTLY IF EXISTS, one index per statement, in a non-transactional migration.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.POSTGRESQL)) {
      return out;
    }
    for (MigrationStatement s : set.statementsOf(Command.DropIndex.class)) {
      if (s.dialect() == Dialect.POSTGRESQL && s.command() instanceof Command.DropIndex di && !di.concurrently()) {
        for (Name n : di.names()) {
          if (!s.isNewIndex(n)) {
            out.add(at(s, "DROP INDEX " + q(n) + " without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on its table:"
                + " every query on it waits, behind any long-running transaction.",
                "DROP INDEX CONCURRENTLY IF EXISTS " + n + " (no CASCADE), alone in a non-transactional migration."));
            break;
          }
        }
      }
    }
    return out;
  }
}
