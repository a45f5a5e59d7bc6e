package dev.tollgate.probes.api;

import dev.tollgate.contracts.probe.Severity;
import java.util.List;

/** One check a deploy must pass. Implementations are stateless and thread-safe. */
public interface Rule {
  /** Stable id, e.g. {@code migration/drop-column}. */
  RuleId id();

  /** Default severity of this rule's violations: BLOCK, WARN or INFO. */
  Severity severity();

  /** One line: what is unsafe. */
  String summary();

  /** One line: what to do instead. */
  String help();

  /**
   * Examines the deploy. Pure with respect to {@code ctx}: no network, no clock reads except {@code ctx.clock()},
   * no repository access except through {@code ctx}.
   *
   * @return violations, empty when the deploy is safe with respect to this rule
   */
  List<RuleViolation> check(RuleContext ctx);
}
