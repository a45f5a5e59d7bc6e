package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lock-taking DDL without a lock timeout: while it waits for its lock behind a long transaction, every later query on
 * the table queues behind it. Reported once per migration, at its first such statement.
 */
final class MissingLockTimeoutRule extends MigrationRule {
  MissingLockTimeoutRule() {
    super("missing-lock-timeout", Severity.WARN,
        "Lock-taking DDL runs without a lock timeout: waiting for its lock, it queues every later query on the table.",
        "SET lock_timeout = '2s' (MySQL: SET SESSION lock_wait_timeout = 5) at the top of the migration, and retry.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (set.settings().lockTimeoutSetByRole()) {
      return out; // the migration role carries lock_timeout (ALTER ROLE ... SET lock_timeout): not visible in SQL
    }
    State st = new State();
    int migrations = set.pending().size();
    for (MigrationStatement s : set.statements()) {
      visit(s, st, out);
      if (st.reported.size() == migrations) {
        break; // one finding per migration, and every migration has one
      }
    }
    return out;
  }

  /** Where the walk is: the current migration, whether its session has a timeout, the unit a SET LOCAL covers. */
  private static final class State {
    Migration migration;
    boolean session;
    TransactionUnit localUnit;
    final Set<Migration> reported = new HashSet<>();
  }

  private static void visit(MigrationStatement s, State st, List<RuleViolation> out) {
    if (s.migration() != st.migration) {
      st.migration = s.migration();
      st.session = false;
      st.localUnit = null;
    }
    boolean pg = s.dialect() == Dialect.POSTGRESQL;
    if (s.command() instanceof Command.SetVariable v) {
      String value = v.value(pg ? "lock_timeout" : "lock_wait_timeout");
      if (value != null) {
        boolean on = !value.strip().replace("'", "").equals("0") && !value.equalsIgnoreCase("default");
        if (pg && v.scope().equals("LOCAL")) {
          st.localUnit = on ? s.unit() : null;
        } else {
          st.session = on;
        }
      }
      return;
    }
    if (st.reported.contains(st.migration) || st.session || st.localUnit == s.unit() || !RuleSupport.takesBlockingLock(s)) {
      return;
    }
    st.reported.add(st.migration);
    {
      out.add(at(s, "`" + s.statement().excerpt() + "` waits for a table lock with no "
          + (pg ? "lock_timeout" : "lock_wait_timeout") + " set: behind one long-running transaction it waits, and every"
          + " query of the running release on that table queues behind it.",
          pg ? "Start the migration with SET lock_timeout = '2s' (SET LOCAL inside a transaction) and retry on timeout."
              : "Start the migration with SET SESSION lock_wait_timeout = 5 and retry on timeout."));
    }
  }
}
