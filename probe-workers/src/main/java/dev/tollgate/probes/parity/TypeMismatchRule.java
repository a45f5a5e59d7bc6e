package dev.tollgate.probes.parity;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The same configuration key holds a different type of value in two environments (number in one, text in the other). */
final class TypeMismatchRule implements Rule {
  static final RuleId ID = RuleId.of("parity/type-mismatch");

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
    return "A configuration key has a different value type in two environments of the promotion chain.";
  }

  @Override
  public String help() {
    return "Give the key the same type in both environments (quote both or neither, a list in both), "
        + "so the code path staging exercised is the one production takes.";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    ParityView view = ParityView.of(ctx);
    if (!view.active()) {
      return List.of();
    }
    List<Differences.Diff> diffs = new ArrayList<>();
    for (ParityView.Pair pair : view.pairs()) {
      for (Map.Entry<String, Entry> e : pair.target().entrySet()) {
        String key = e.getKey();
        Entry b = e.getValue();
        Entry a = pair.previous().get(key);
        if (a == null || b.category() != Entry.Category.CONFIG || view.ignored(key)) {
          continue;
        }
        // Secret-like keys are compared by presence only: even a type says something about a secret.
        if (view.redactor().secret(key, a, b) || sameType(a, b)) {
          continue;
        }
        boolean loose = a.loose() || b.loose();
        diffs.add(new Differences.Diff(key, a, b, Redactor.show(a, false) + " (" + type(a, loose).label() + ")",
            Redactor.show(b, false) + " (" + type(b, loose).label() + ")", ""));
      }
    }
    return Differences.grouped(this, view, diffs,
        n -> Differences.count(n, "key") + " with a different type in " + view.previous() + " and " + view.target());
  }

  /**
   * Typed formats (YAML, JSON, HCL) compare declared types; when either side is read by a consumer that coerces
   * strings (dotenv, .properties, Spring), what the text looks like is compared instead, so {@code "8080"} in
   * application-staging.yml and {@code 8080} in application-production.properties agree.
   */
  static boolean sameType(Entry a, Entry b) {
    boolean loose = a.loose() || b.loose();
    return type(a, loose) == type(b, loose);
  }

  private static Value.Type type(Entry e, boolean loose) {
    return loose ? e.value().inferred() : e.value().type();
  }
}
