package dev.tollgate.contracts.probe;

import static dev.tollgate.contracts.Checks.requireText;
import static dev.tollgate.contracts.Checks.requireValue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One thing a probe found. Never carries a secret value: probes redact before they build a finding, and
 * {@code fingerprint} identifies the finding without its content.
 *
 * @param ruleId stable rule id, e.g. {@code migration/drop-column}
 * @param file repository path, or null when the finding is not about a file
 * @param line 1-based line, or 0 when not about a line
 * @param message what is unsafe, redacted
 * @param fix what to do instead
 * @param fingerprint stable identity of this finding ({@code path:rule-id:line} or a content hash)
 * @param commit commit that introduced the finding, when known
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Finding(String ruleId, Severity severity, String file, int line, String message, String fix,
    String fingerprint, String commit) {
  public Finding {
    requireText(ruleId, "finding.ruleId");
    requireValue(severity, "finding.severity");
    requireText(message, "finding.message");
    requireText(fingerprint, "finding.fingerprint");
    if (line < 0) {
      throw new IllegalArgumentException("finding.line: expected >= 0, got " + line);
    }
  }
}
