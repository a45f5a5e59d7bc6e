package dev.tollgate.probes.secrets;

import dev.tollgate.contracts.probe.Severity;

/**
 * A credential found, redacted: where it is and which rule found it, a keyed fingerprint of its value and a
 * preview of at most its first 4 characters. The value itself never leaves the scanner.
 *
 * @param file path relative to the repository (or to the scanned directory)
 * @param line 1-based line where the value starts
 * @param commit the commit that introduced it, or null when scanning files
 * @param fingerprint keyed hash of rule, path and value; stable across runs with the same key
 * @param preview at most the first 4 characters of the value (fewer for short values) and an ellipsis
 * @param length the value's length in characters
 */
public record SecretFinding(String ruleId, Severity severity, String description, String file, int line, String commit,
    String fingerprint, String preview, int length) {

  /** One line for humans: description, preview and length, never the value. */
  public String message() {
    return description + ": " + preview + " (" + length + " characters)"
        + (commit == null ? "" : ", added in commit " + commit.substring(0, Math.min(12, commit.length())));
  }

  SecretFinding withCommit(String newCommit) {
    return new SecretFinding(ruleId, severity, description, file, line, newCommit, fingerprint, preview, length);
  }
}
