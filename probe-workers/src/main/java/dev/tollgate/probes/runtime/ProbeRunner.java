package dev.tollgate.probes.runtime;

import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Probe;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleViolation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each rule of a probe, maps violations to contract findings and catches exceptions per rule: one broken
 * rule makes the probe ERROR (fail closed) without hiding what the other rules found.
 */
public final class ProbeRunner {
  private static final Logger log = LoggerFactory.getLogger(ProbeRunner.class);

  /** Rule ids ending so report a repository's configuration errors (one per probe). */
  private static final String INVALID_CONFIG = "/invalid-config";
  /** Appended to a finding of the baseline's policy pass (see {@link #run(Probe, RuleContext, Function)}). */
  static final String BASELINE_POLICY_NOTE = " (judged by the repository policy at the baseline: this range changes"
      + " that policy, and a change to it applies once it is deployed)";

  private final int maxFindings;

  /** @param maxFindings findings kept per probe result; more are counted and flagged as truncated */
  public ProbeRunner(int maxFindings) {
    if (maxFindings < 1) {
      throw new IllegalArgumentException("maxFindings: expected >= 1, got " + maxFindings);
    }
    this.maxFindings = maxFindings;
  }

  /** Runs every rule of {@code probe}. Never throws for a rule's failure. */
  public ProbeOutcome run(Probe probe, RuleContext ctx) {
    return run(probe, ctx, first -> null);
  }

  /**
   * Runs every rule of {@code probe} in {@code ctx} and then, when {@code atBaseline} gives a context after that pass
   * (it sees what the pass read), again in it: the same range judged by the repository's policy at the baseline
   * ({@link RuleContext#atBaselinePolicy}). The outcome holds the findings of both, the more severe where both have
   * one, so a range that loosens its own policy cannot pass on the looser one; a finding of the baseline's policy says
   * so. The baseline's own configuration errors are not this range's and are left out (a probe whose section is
   * invalid judges by its strict defaults).
   */
  public ProbeOutcome run(Probe probe, RuleContext ctx, Function<RuleContext, RuleContext> atBaseline) {
    Map<String, Finding> findings = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    int total = 0;
    // retryAt: the latest clearing time of the blocking violations, or null when any blocking one never clears.
    java.time.Instant retryAt = null;
    boolean blockingForever = false;
    for (RuleContext pass = ctx; pass != null; pass = pass == ctx ? atBaseline.apply(ctx) : null) {
      for (Rule rule : probe.rules()) {
        if (pass.baselinePolicy() && rule.id().value().endsWith(INVALID_CONFIG)) {
          continue;
        }
        List<RuleViolation> violations;
        try {
          violations = rule.check(pass);
        } catch (RuntimeException | StackOverflowError e) {
          // The message may quote repository content (a secret), so only the type and our frame are kept.
          String where = ourFrame(e);
          errors.add("rule " + rule.id() + " failed" + (pass.baselinePolicy() ? " under the baseline's policy: " : ": ")
              + e.getClass().getSimpleName() + where);
          log.atWarn().addKeyValue("event", "rule.failed").addKeyValue("rule", rule.id().value())
              .addKeyValue("exception", e.getClass().getName()).log("rule failed{}", where);
          continue;
        }
        for (RuleViolation v : violations) {
          Finding f = pass.baselinePolicy() ? underBaselinePolicy(toFinding(rule, v)) : toFinding(rule, v);
          if (f.severity() == Severity.BLOCK || f.severity() == Severity.UNKNOWN) {
            if (v.clearsAt() == null) {
              blockingForever = true;
            } else if (retryAt == null || v.clearsAt().isAfter(retryAt)) {
              retryAt = v.clearsAt();
            }
          }
          Finding seen = findings.putIfAbsent(f.fingerprint(), f);
          if (seen == null) {
            total++;
          } else if (rank(f.severity()) < rank(seen.severity())) {
            findings.put(f.fingerprint(), f); // the baseline's policy judges it more severely (a forward-only waiver)
          }
        }
      }
    }
    List<Finding> all = new ArrayList<>(findings.values());
    all.sort((a, b) -> Integer.compare(rank(a.severity()), rank(b.severity())));
    boolean truncated = all.size() > maxFindings;
    List<Finding> kept = truncated ? all.subList(0, maxFindings) : all;
    String note = errors.isEmpty() ? summary(probe, ctx, errors) : null;
    ProbeStatus status = status(errors, all);
    String reason = reason(errors, all, total);
    return new ProbeOutcome(status, note == null ? reason : reason + "; " + note, kept, truncated,
        status == ProbeStatus.FAIL && !blockingForever ? retryAt : null);
  }

  /** The probe's note on what it read; a failure to compute it fails the probe like a rule's would. */
  private static String summary(Probe probe, RuleContext ctx, List<String> errors) {
    try {
      return probe.summary(ctx);
    } catch (RuntimeException e) {
      errors.add("probe summary failed: " + e.getClass().getSimpleName() + ourFrame(e));
      return null;
    }
  }

  /** A finding of the baseline's policy pass: the candidate's policy may not have it, so it says why it is there. */
  private static Finding underBaselinePolicy(Finding f) {
    return new Finding(f.ruleId(), f.severity(), f.file(), f.line(), f.message() + BASELINE_POLICY_NOTE, f.fix(),
        f.fingerprint(), f.commit());
  }

  static Finding toFinding(Rule rule, RuleViolation v) {
    // path:rule-id:line; a finding about no file (a first deploy, a setting) is the rule's alone, never ":rule:0".
    String fingerprint = v.fingerprint() != null ? v.fingerprint()
        : v.file() == null ? rule.id().toString() : v.file() + ":" + rule.id() + ":" + v.line();
    return new Finding(rule.id().value(), v.severity() != null ? v.severity() : rule.severity(), v.file(), v.line(),
        v.message() != null ? v.message() : rule.summary(), v.fix() != null ? v.fix() : rule.help(), fingerprint,
        v.commit());
  }

  private static ProbeStatus status(List<String> errors, List<Finding> findings) {
    if (!errors.isEmpty()) {
      return ProbeStatus.ERROR;
    }
    if (findings.stream().anyMatch(f -> f.severity() == Severity.BLOCK || f.severity() == Severity.UNKNOWN)) {
      return ProbeStatus.FAIL;
    }
    return findings.stream().anyMatch(f -> f.severity() == Severity.WARN) ? ProbeStatus.WARN : ProbeStatus.PASS;
  }

  private static String reason(List<String> errors, List<Finding> findings, int total) {
    if (!errors.isEmpty()) {
      return String.join("; ", errors);
    }
    long blocking = findings.stream().filter(f -> f.severity() == Severity.BLOCK || f.severity() == Severity.UNKNOWN).count();
    long warnings = findings.stream().filter(f -> f.severity() == Severity.WARN).count();
    if (blocking == 0 && warnings == 0) {
      return total == 0 ? "no findings" : total + " informational finding" + (total == 1 ? "" : "s");
    }
    List<String> parts = new ArrayList<>();
    if (blocking > 0) {
      parts.add(blocking + " blocking finding" + (blocking == 1 ? "" : "s"));
    }
    if (warnings > 0) {
      parts.add(warnings + " warning" + (warnings == 1 ? "" : "s"));
    }
    return String.join(", ", parts);
  }

  private static int rank(Severity s) {
    return switch (s) {
      case BLOCK, UNKNOWN -> 0;
      case WARN -> 1;
      case INFO -> 2;
    };
  }

  private static String ourFrame(Throwable e) {
    for (StackTraceElement frame : e.getStackTrace()) {
      if (frame.getClassName().startsWith("dev.tollgate.")) {
        return " at " + frame.getFileName() + ":" + frame.getLineNumber();
      }
    }
    return "";
  }
}
