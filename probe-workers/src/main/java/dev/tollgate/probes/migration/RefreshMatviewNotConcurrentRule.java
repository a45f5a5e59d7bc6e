package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.List;

/** REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks every reader of the view for the whole refresh. */
final class RefreshMatviewNotConcurrentRule extends MigrationRule {
  RefreshMatviewNotConcurrentRule() {
    super("refresh-matview-not-concurrent", Severity.BLOCK,
        "REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks every reader of the view.",
        "Use REFRESH MATERIALIZED VIEW CONCURRENTLY (needs a unique index on the view).");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.POSTGRESQL)) {
      return out;
    }
    for (MigrationStatement s : set.statementsOf(Command.RefreshMaterializedView.class)) {
      if (s.dialect() == Dialect.POSTGRESQL && s.command() instanceof Command.RefreshMaterializedView r
          && !r.concurrently() && !s.isNewTable(r.view())) {
        out.add(at(s, r.withNoData()
            ? "REFRESH MATERIALIZED VIEW " + q(r.view()) + " WITH NO DATA empties the view: the running release's queries"
                + " on it fail until it is refreshed again."
            : "REFRESH MATERIALIZED VIEW " + q(r.view()) + " without CONCURRENTLY takes ACCESS EXCLUSIVE: every reader"
                + " waits for the whole refresh.",
            "CREATE UNIQUE INDEX CONCURRENTLY on the view once, then REFRESH MATERIALIZED VIEW CONCURRENTLY " + r.view()
                + " (readers continue)."));
      }
    }
    return out;
  }
}
