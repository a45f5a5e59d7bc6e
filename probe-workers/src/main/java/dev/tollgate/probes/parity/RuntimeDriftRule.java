package dev.tollgate.probes.parity;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Two environments pin different runtime, tool or infrastructure versions (Node, Java, Postgres engine, ...). */
final class RuntimeDriftRule implements Rule {
  static final RuleId ID = RuleId.of("parity/runtime-drift");

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
    return "Two environments of the promotion chain pin different runtime or infrastructure versions.";
  }

  @Override
  public String help() {
    return "Run the previous environment on the version the target will run, or upgrade both together.";
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
        Entry any = a != null ? a : b;
        if (view.ignored(key) || !(any.category() == Entry.Category.RUNTIME || versionKey(any))) {
          continue;
        }
        if (a != null && b != null) {
          if (!a.value().text().equals(b.value().text())) {
            diffs.add(Differences.of(key, a, b, view.redactor().secret(key, a, b), ""));
          }
        } else if (any.category() == Entry.Category.RUNTIME) {
          // A pin file on one side only: that environment runs whatever the machine has.
          diffs.add(new Differences.Diff(key, a, b, a == null ? "(not pinned)" : a.value().text(),
              b == null ? "(not pinned)" : b.value().text(), ""));
        }
      }
    }
    return Differences.grouped(this, view, diffs,
        n -> Differences.count(n, "version") + " differing between " + view.previous() + " and " + view.target());
  }

  /**
   * Configuration keys naming a version ({@code engine_version}, {@code java.version}, {@code nodeVersion}) or a
   * runtime ({@code lambda_runtime}). {@code apiVersion} is a manifest schema, not something the service runs on.
   */
  static boolean versionKey(Entry e) {
    if (e.category() != Entry.Category.CONFIG || !e.value().scalar()) {
      return false;
    }
    String leaf = e.leaf().toLowerCase(Locale.ROOT).replaceAll("[-_]", "");
    return (leaf.endsWith("version") && !leaf.equals("apiversion") && !leaf.equals("schemaversion"))
        || leaf.endsWith("runtime");
  }
}
