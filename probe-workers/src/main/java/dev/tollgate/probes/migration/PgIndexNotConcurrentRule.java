package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.List;

/** A CREATE INDEX without CONCURRENTLY on an existing PostgreSQL table blocks its writes for the whole build. */
final class PgIndexNotConcurrentRule extends MigrationRule {
  PgIndexNotConcurrentRule() {
    super("pg-index-not-concurrent", Severity.BLOCK,
        "CREATE INDEX without CONCURRENTLY blocks writes to the table for the whole index build.",
        "Use CREATE INDEX CONCURRENTLY IF NOT EXISTS, alone in a migration that runs outside a transaction.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.POSTGRESQL)) {
      return out;
    }
    for (MigrationStatement s : set.statementsOf(Command.CreateIndex.class)) {
      if (s.dialect() == Dialect.POSTGRESQL && s.command() instanceof Command.CreateIndex ci && !ci.concurrently()
          && !s.isNewTable(ci.table())) {
        String name = ci.name() == null ? "" : q(ci.name()) + " ";
        out.add(at(s, "CREATE " + (ci.unique() ? "UNIQUE " : "") + "INDEX " + name + "on " + q(ci.table())
            + " without CONCURRENTLY takes a SHARE lock: INSERT/UPDATE/DELETE on " + q(ci.table())
            + " wait until the index is built, which can take minutes on a large table.",
            "CREATE " + (ci.unique() ? "UNIQUE " : "") + "INDEX CONCURRENTLY IF NOT EXISTS "
                + (ci.name() == null ? "" : pg(ci.name()) + " ") + "ON " + pg(ci.table())
                + " (...) in its own non-transactional migration; if it fails, drop the INVALID index and retry."));
      }
    }
    return out;
  }
}
