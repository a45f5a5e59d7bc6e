package dev.tollgate.probes.parity;

import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleViolation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders differences the way every parity rule reports them: one finding per file, listing each difference as
 * {@code - key: staging <value> vs production <value>}, so a reviewer sees a file's whole drift at once.
 * Values arrive here already redacted.
 */
final class Differences {
  /**
   * One difference of one key.
   *
   * @param previous the previous environment's entry (null when missing), for file and line
   * @param target the target environment's entry (null when missing)
   * @param previousText how the previous value is shown (redacted by the caller when secret)
   * @param targetText how the target value is shown
   * @param note appended after the values, e.g. why it matters; may be empty
   */
  record Diff(String key, Entry previous, Entry target, String previousText, String targetText, String note) {
    /** The file the difference is reported in: the target's, else the previous environment's. */
    String file() {
      return target != null ? target.file() : previous.file();
    }

    int line() {
      return target != null ? target.line() : previous.line();
    }
  }

  private Differences() {}

  /** A difference shown with the standard value rendering. */
  static Diff of(String key, Entry previous, Entry target, boolean secret, String note) {
    return new Diff(key, previous, target, Redactor.show(previous, secret), Redactor.show(target, secret), note);
  }

  /**
   * One violation per file.
   *
   * @param header what the listed keys have in common, given the count, e.g. "3 keys set in only one of ..."
   */
  static List<RuleViolation> grouped(Rule rule, ParityView view, List<Diff> diffs, java.util.function.IntFunction<String> header) {
    Map<String, List<Diff>> byFile = new TreeMap<>();
    for (Diff d : diffs) {
      byFile.computeIfAbsent(d.file(), f -> new ArrayList<>()).add(d);
    }
    List<RuleViolation> out = new ArrayList<>();
    for (Map.Entry<String, List<Diff>> group : byFile.entrySet()) {
      List<Diff> list = new ArrayList<>(group.getValue());
      list.sort(Comparator.comparing(Diff::key));
      StringBuilder message = new StringBuilder(header.apply(list.size())).append(':');
      int line = Integer.MAX_VALUE;
      for (Diff d : list) {
        message.append("\n  - ").append(d.key()).append(": ").append(view.previous()).append(' ').append(d.previousText())
            .append(" vs ").append(view.target()).append(' ').append(d.targetText());
        if (!d.note().isEmpty()) {
          message.append(" (").append(d.note()).append(')');
        }
        if (d.line() > 0) {
          line = Math.min(line, d.line());
        }
      }
      String file = group.getKey();
      out.add(RuleViolation.at(file, line == Integer.MAX_VALUE ? 0 : line, message.toString())
          .withFingerprint(file + ":" + rule.id() + ":" + view.previous() + ">" + view.target()));
    }
    return out;
  }

  /** "1 key" / "2 keys". */
  static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
