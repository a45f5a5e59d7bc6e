package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.AlterAction;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.migration.sql.Name;
import dev.tollgate.probes.migration.sql.TableConstraint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * In one transaction, a slow statement (DML, a scan, an index build) after one that took ACCESS EXCLUSIVE on a table:
 * the lock is held to commit, so a "fast" ALTER becomes an outage of that table for the whole transaction.
 */
final class LongTxAfterExclusiveLockRule extends MigrationRule {
  LongTxAfterExclusiveLockRule() {
    super("long-tx-after-exclusive-lock", Severity.BLOCK,
        "A slow statement runs in the same transaction after one that took ACCESS EXCLUSIVE, so the table stays locked.",
        "Split the migration so each ACCESS EXCLUSIVE step commits on its own; run backfills separately.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.POSTGRESQL)) {
      return out;
    }
    State st = new State();
    for (List<MigrationStatement> unit : set.transactionalUnits()) {
      for (MigrationStatement s : unit) {
        visit(s, st, out);
      }
    }
    return out;
  }

  /** Where the walk is: the current unit and the first ACCESS EXCLUSIVE statement in it. */
  private static final class State {
    TransactionUnit unit;
    MigrationStatement holder;
    final Set<TransactionUnit> reported = new HashSet<>();
  }

  private static void visit(MigrationStatement s, State st, List<RuleViolation> out) {
    if (s.unit() != st.unit) {
      st.unit = s.unit();
      st.holder = null;
    }
    if (s.dialect() != Dialect.POSTGRESQL || !st.unit.transactional() || st.reported.contains(st.unit)) {
      return;
    }
    MigrationStatement holder = st.holder;
    if (holder != null && slow(s)) {
      out.add(at(s, "`" + s.statement().excerpt() + "` runs after `" + holder.statement().excerpt() + "` (line "
          + holder.line() + ") in the same transaction (" + st.unit.label() + "): the ACCESS EXCLUSIVE lock on "
          + q(lockedTable(holder)) + " is held until commit, so every query on it waits for this statement too.",
          "Commit the lock-taking statement on its own (a separate migration or changeset) and run this one after it."));
      st.reported.add(st.unit);
      return;
    }
    if (holder == null && takesAccessExclusive(s)) {
      st.holder = s;
    }
  }

  private static Name lockedTable(MigrationStatement s) {
    Command c = s.command();
    if (c instanceof Command.AlterTable at) {
      return at.table();
    }
    if (c instanceof Command.Truncate t) {
      return t.tables().get(0);
    }
    if (c instanceof Command.LockTables l) {
      return l.tables().get(0);
    }
    if (c instanceof Command.Drop d) {
      return d.names().get(0);
    }
    if (c instanceof Command.DropIndex di) {
      return di.names().get(0);
    }
    if (c instanceof Command.RefreshMaterializedView r) {
      return r.view();
    }
    return Name.of("?");
  }

  static boolean takesAccessExclusive(MigrationStatement s) {
    Command c = s.command();
    if (c instanceof Command.AlterTable at) {
      return !s.isNewTable(at.table()) && at.actions().stream().anyMatch(RuleSupport::accessExclusive);
    }
    if (c instanceof Command.Truncate t) {
      return t.tables().stream().anyMatch(n -> !s.isNewTable(n));
    }
    if (c instanceof Command.LockTables l) {
      return l.mode() == null || l.mode().equals("ACCESS EXCLUSIVE");
    }
    if (c instanceof Command.Drop d) {
      return d.type().equals("TABLE") && d.names().stream().anyMatch(n -> !s.isNewTable(n));
    }
    if (c instanceof Command.DropIndex di) {
      return !di.concurrently() && di.names().stream().anyMatch(n -> !s.isNewIndex(n));
    }
    if (c instanceof Command.RefreshMaterializedView r) {
      return !r.concurrently() && !s.isNewTable(r.view());
    }
    return false;
  }

  /** Statements whose duration grows with table size. */
  static boolean slow(MigrationStatement s) {
    Command c = s.command();
    if (c instanceof Command.Update || c instanceof Command.Delete) {
      return true;
    }
    if (c instanceof Command.Insert i) {
      return i.fromQuery();
    }
    if (c instanceof Command.CreateIndex ci) {
      return !s.isNewTable(ci.table());
    }
    if (c instanceof Command.RefreshMaterializedView || c instanceof Command.Vacuum || c instanceof Command.Cluster
        || c instanceof Command.Reindex) {
      return true;
    }
    if (c instanceof Command.AlterTable at && !s.isNewTable(at.table())) {
      for (AlterAction a : at.actions()) {
        if (a instanceof AlterAction.ValidateConstraint || a instanceof AlterAction.SetNotNull
            || a instanceof AlterAction.AlterColumnType) {
          return true;
        }
        if (a instanceof AlterAction.AddConstraint k && !k.constraint().notValid()
            && (k.constraint().kind() == TableConstraint.Kind.FOREIGN_KEY || k.constraint().kind() == TableConstraint.Kind.CHECK
                || k.constraint().kind() == TableConstraint.Kind.UNIQUE || k.constraint().kind() == TableConstraint.Kind.PRIMARY_KEY)) {
          return true;
        }
      }
    }
    return false;
  }
}
