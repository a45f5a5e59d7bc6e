package dev.tollgate.probes.parity;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A configuration key is set in the target environment but not in the one it is promoted from, or the reverse. */
final class MissingEnvKeyRule implements Rule {
  static final RuleId ID = RuleId.of("parity/missing-key");

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
    return "A configuration key is set in one environment of the promotion chain but not in the other.";
  }

  @Override
  public String help() {
    return "Set the key in both environments, or declare it environment-specific in .tollgate.yml "
        + "(environments.<env>.specificKeys).";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    ParityView view = ParityView.of(ctx);
    if (!view.active()) {
      return List.of();
    }
    List<Differences.Diff> diffs = new ArrayList<>();
    for (ParityView.Pair pair : view.pairs()) {
      Set<String> keys = new LinkedHashSet<>(pair.previous().keySet());
      keys.addAll(pair.target().keySet());
      for (String key : keys) {
        Entry a = pair.previous().get(key);
        Entry b = pair.target().get(key);
        Entry present = a != null ? a : b;
        if ((a == null) == (b == null) || present.category() != Entry.Category.CONFIG) {
          continue;
        }
        // Flags and images have their own, softer rules; specific and ignored keys are declared to differ.
        if (view.ignored(key) || view.specific(key) || view.flag(key, a, b) || ImageDriftRule.imageKey(present)) {
          continue;
        }
        diffs.add(Differences.of(key, a, b, view.redactor().secret(key, a, b), ""));
      }
    }
    return Differences.grouped(this, view, diffs,
        n -> Differences.count(n, "key") + " set in only one of " + view.previous() + " and " + view.target());
  }
}
