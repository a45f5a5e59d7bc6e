package dev.tollgate.probes.api;

import dev.tollgate.contracts.probe.Severity;

/**
 * One place a rule is violated. Optional parts fall back to the rule's own: message to {@link Rule#summary()},
 * fix to {@link Rule#help()}, severity to {@link Rule#severity()}, fingerprint to {@code path:rule-id:line}.
 * Never put a secret value in any field: redact first.
 *
 * @param file repository path, or null when the violation is not about a file
 * @param line 1-based line, 0 when not about a line
 * @param commit the commit that introduced it, when known
 * @param clearsAt when this violation ends by itself (a freeze window's end), else null
 */
public record RuleViolation(String file, int line, String message, String fix, Severity severity, String commit,
    String fingerprint, java.time.Instant clearsAt) {

  public RuleViolation {
    if (line < 0) {
      throw new IllegalArgumentException("line: expected >= 0, got " + line);
    }
  }

  /** A violation at {@code file:line} with the rule's own message. */
  public static RuleViolation at(String file, int line) {
    return new RuleViolation(file, line, null, null, null, null, null, null);
  }

  /** A violation at {@code file:line} with its own message. */
  public static RuleViolation at(String file, int line, String message) {
    return new RuleViolation(file, line, message, null, null, null, null, null);
  }

  /** A violation not tied to a file. */
  public static RuleViolation general(String message) {
    return new RuleViolation(null, 0, message, null, null, null, null, null);
  }

  public RuleViolation withFix(String newFix) {
    return new RuleViolation(file, line, message, newFix, severity, commit, fingerprint, clearsAt);
  }

  public RuleViolation withSeverity(Severity newSeverity) {
    return new RuleViolation(file, line, message, fix, newSeverity, commit, fingerprint, clearsAt);
  }

  public RuleViolation withCommit(String newCommit) {
    return new RuleViolation(file, line, message, fix, severity, newCommit, fingerprint, clearsAt);
  }

  public RuleViolation withFingerprint(String newFingerprint) {
    return new RuleViolation(file, line, message, fix, severity, commit, newFingerprint, clearsAt);
  }

  /** The same violation, ending by itself at {@code instant}. */
  public RuleViolation clearingAt(java.time.Instant instant) {
    return new RuleViolation(file, line, message, fix, severity, commit, fingerprint, instant);
  }
}
