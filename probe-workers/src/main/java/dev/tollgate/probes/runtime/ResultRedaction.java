package dev.tollgate.probes.runtime;

import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.RepoPolicy;
import dev.tollgate.probes.secrets.SecretRedactor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one redaction point of the worker: every {@link ProbeCompleted} leaves through {@link CheckExecutor}, which
 * passes it here, so each text that may quote the repository — the reason, each finding's message, fix, file and
 * fingerprint, the repository policy's source and error — is masked by the secrets rule book whatever probe wrote
 * it. A new probe cannot forget it: probes never build a {@code ProbeCompleted} themselves ({@code
 * ResultRedactionTest} checks that no other class does).
 */
final class ResultRedaction {
  private final SecretRedactor redactor;

  ResultRedaction(SecretRedactor redactor) {
    this.redactor = Objects.requireNonNull(redactor, "redactor");
  }

  /** {@code result} with every text masked; the same instance when nothing needed masking. */
  ProbeCompleted apply(ProbeCompleted result) {
    // Fixes and files repeat across findings: each distinct text is scanned once.
    Map<String, String> seen = new HashMap<>();
    boolean changed = false;
    String reason = redact(result.reason(), seen);
    changed |= !Objects.equals(reason, result.reason());
    List<Finding> findings = new ArrayList<>(result.findings().size());
    for (Finding f : result.findings()) {
      Finding r = new Finding(f.ruleId(), f.severity(), redact(f.file(), seen), f.line(), redact(f.message(), seen),
          redact(f.fix(), seen), redact(f.fingerprint(), seen), f.commit());
      changed |= !r.equals(f);
      findings.add(r);
    }
    RepoPolicy policy = result.repoPolicy();
    if (policy != null) {
      RepoPolicy p = new RepoPolicy(redact(policy.source(), seen), policy.requiredProbes(), policy.deadlines(),
          policy.warningsBlock(), redact(policy.error(), seen));
      changed |= !p.equals(policy);
      policy = p;
    }
    if (!changed) {
      return result;
    }
    return new ProbeCompleted(result.schemaVersion(), result.evaluationId(), result.checkId(), result.requestId(),
        result.probe(), result.status(), reason, findings, result.findingsTruncated(), policy, result.worker(),
        result.startedAt(), result.completedAt(), result.retryAt(), result.attempt(), result.range()); // counts and times: no text
  }

  private String redact(String text, Map<String, String> seen) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    return seen.computeIfAbsent(text, redactor::redact);
  }
}
