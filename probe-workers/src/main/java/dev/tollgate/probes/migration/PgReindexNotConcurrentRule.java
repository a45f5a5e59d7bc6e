package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.List;

/** A REINDEX without CONCURRENTLY blocks writes to the table and reads that use the index. */
final class PgReindexNotConcurrentRule extends MigrationRule {
  PgReindexNotConcurrentRule() {
    super("pg-reindex-not-concurrent", Severity.BLOCK,
        "REINDEX without CONCURRENTLY blocks writes to the table and reads that use the index.",
        "Use REINDEX ... CONCURRENTLY (PostgreSQL 12+) in a non-transactional migration.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.POSTGRESQL)) {
      return out;
    }
    for (MigrationStatement s : set.statementsOf(Command.Reindex.class)) {
      if (s.dialect() == Dialect.POSTGRESQL && s.command() instanceof Command.Reindex r && !r.concurrently()) {
        boolean can = set.settings().postgresVersion() >= 12;
        out.add(at(s, "REINDEX " + r.target() + (r.name() == null ? "" : " " + q(r.name()))
            + " without CONCURRENTLY takes SHARE on the table (writes wait) and ACCESS EXCLUSIVE on each index (reads"
            + " using it wait) until the rebuild ends.",
            can ? "REINDEX " + r.target() + " CONCURRENTLY " + (r.name() == null ? "..." : r.name())
                + " in its own non-transactional migration."
                : "PostgreSQL " + set.settings().postgresVersion() + " has no REINDEX CONCURRENTLY: CREATE INDEX CONCURRENTLY"
                    + " a replacement, then DROP INDEX CONCURRENTLY the old one."));
      }
    }
    return out;
  }
}
