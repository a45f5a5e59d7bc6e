package dev.tollgate.probes.parity;

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
 * A configuration file parity compares could not be read (over the file limit, not parseable): its keys would look
 * absent, so a drift in it would pass unseen.
 */
final class ReadIncompleteRule implements Rule {
  static final RuleId ID = RuleId.of("parity/read-incomplete");

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
    return "A configuration file of a compared environment could not be read, so its drift is unknown.";
  }

  @Override
  public String help() {
    return "Fix the file's syntax or keep it under worker.maxFileBytes, or exclude it (parity.exclude in .tollgate.yml) "
        + "when it is not environment configuration; an operator may downgrade the limit for an environment "
        + "(readLimits in the server's tollgate.yml).";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    ParityView view = ParityView.of(ctx);
    ReadLimits limits = ReadLimits.of(ctx);
    List<RuleViolation> out = new ArrayList<>();
    for (NotRead n : view.notRead()) {
      out.add(limits.violation(n.limit(), n.file(), n.message()));
    }
    return out;
  }
}
