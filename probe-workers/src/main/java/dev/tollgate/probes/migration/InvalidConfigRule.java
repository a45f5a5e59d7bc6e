package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import java.util.ArrayList;
import java.util.List;

/** The {@code migrations} settings are invalid: a typo must not silently turn a check off, so the probe fails closed. */
final class InvalidConfigRule extends MigrationRule {
  InvalidConfigRule() {
    super("invalid-config", Severity.BLOCK,
        "The migrations section of .tollgate.yml or tollgate.yml is invalid.",
        "Fix the key or value named in the message.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    for (String p : set.settings().problems()) {
      // One finding per problem: the default fingerprint (no file, no line) would merge them.
      out.add(RuleViolation.general(p).withFingerprint("migration/invalid-config:" + p));
    }
    return out;
  }
}
