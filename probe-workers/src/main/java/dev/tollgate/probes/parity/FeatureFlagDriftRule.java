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

/** A feature flag exists in only one environment, or is on in the target while the previous environment never ran it. */
final class FeatureFlagDriftRule implements Rule {
  static final RuleId ID = RuleId.of("parity/feature-flag-drift");

  @Override
  public RuleId id() {
    return ID;
  }

  @Override
  public Severity severity() {
    return Severity.WARN;
  }

  @Override
  public String summary() {
    return "A feature flag is defined in only one environment, or is enabled where the previous environment had it off.";
  }

  @Override
  public String help() {
    return "Define every flag in both environments and enable it in the previous environment first, so the "
        + "flagged code path has run there before it runs in the target.";
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
        if (!view.flag(key, a, b) || view.ignored(key)) {
          continue;
        }
        boolean secret = view.redactor().secret(key, a, b);
        if (a == null || b == null) {
          if (!view.specific(key)) {
            diffs.add(Differences.of(key, a, b, secret, "defined only in " + (a != null ? view.previous() : view.target())));
          }
        } else if (b.value().truthy() && a.value().falsy()) {
          diffs.add(Differences.of(key, a, b, secret,
              "on in " + view.target() + " but off in " + view.previous() + ": " + view.previous() + " never ran it"));
        } else if (!bool(a) && !bool(b) && !a.value().text().equals(b.value().text())) {
          // Rollout percentages, variants: a different value is a different experiment.
          diffs.add(Differences.of(key, a, b, secret, "different setting"));
        }
      }
    }
    return Differences.grouped(this, view, diffs,
        n -> Differences.count(n, "feature flag") + " differing between " + view.previous() + " and " + view.target());
  }

  private static boolean bool(Entry e) {
    return e.value().truthy() || e.value().falsy();
  }
}
