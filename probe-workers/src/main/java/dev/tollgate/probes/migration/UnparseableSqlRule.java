package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Problem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A migration statement the probe cannot read: it may hide anything, so it fails closed (and it may fail at deploy). */
final class UnparseableSqlRule extends MigrationRule {
  UnparseableSqlRule() {
    super("unparseable-sql", Severity.BLOCK,
        "A migration statement cannot be parsed, so its safety cannot be checked (and it may fail at deploy time).",
        "Fix the SQL (unterminated string, comment, dollar quote or parenthesis).");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (MigrationStatement s : set.statementsOf(Command.Invalid.class)) {
      if (s.command() instanceof Command.Invalid inv) {
        seen.add(s.path() + ":" + s.line());
        out.add(at(s, "Cannot parse `" + s.statement().excerpt() + "`: " + inv.reason(),
            "Fix the statement so the database (and the linter) can read it."));
      }
    }
    for (Migration m : set.pending()) {
      for (Problem p : m.problems()) {
        if (seen.add(m.path() + ":" + p.line())) {
          out.add(RuleViolation.at(m.path(), Math.max(1, p.line()), "Cannot parse " + m.path().substring(m.path().lastIndexOf('/') + 1)
              + ": " + p.message()).withFix("Fix the file so the database (and the linter) can read it."));
        }
      }
    }
    return out;
  }
}
