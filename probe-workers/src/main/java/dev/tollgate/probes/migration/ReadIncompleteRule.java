package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.NotRead;
import dev.tollgate.probes.api.ReadLimits;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import java.util.ArrayList;
import java.util.List;

/**
 * A migration could not be read (over the file limit, or not text): whatever it runs — a {@code DROP TABLE} at its
 * end — no rule has seen, so the deploy fails closed.
 */
final class ReadIncompleteRule implements Rule {
  static final RuleId ID = RuleId.of("migration/read-incomplete");

  @Override
  public RuleId id() {
    return ID;
  }

  @Override
  public Severity severity() {
    return Severity.BLOCK;
  }

  @Override
  public String summary() {
    return "A migration could not be read, so what it does to the schema is unknown.";
  }

  @Override
  public String help() {
    return "Split the migration under worker.maxFileBytes (or have an operator raise it), and keep migrations text; "
        + "an operator may downgrade the limit for an environment (readLimits in the server's tollgate.yml).";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    ReadLimits limits = ReadLimits.of(ctx);
    List<RuleViolation> out = new ArrayList<>();
    for (NotRead n : MigrationSet.of(ctx).notRead()) {
      out.add(limits.violation(n.limit(), n.file(), n.message()));
    }
    return out;
  }
}
