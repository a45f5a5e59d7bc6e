package dev.tollgate.probes.secrets;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import java.util.ArrayList;
import java.util.List;

/** Part of what the deploy ships was not scanned for secrets: a size, byte or commit limit cut the scan. */
final class ScanIncompleteRule implements Rule {
  private static final RuleId ID = RuleId.of("secrets/scan-incomplete");

  private final RuleBook book;

  ScanIncompleteRule(RuleBook book) {
    this.book = book;
  }

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
    return "Part of the deploy was not scanned for secrets because a scan limit was reached.";
  }

  @Override
  public String help() {
    return "Keep large generated or vendored files out of the repository, or raise worker.maxFileBytes / "
        + "secrets.maxTotalBytes in the server's tollgate.yml; scan the skipped files with 'tollgate scan-secrets'.";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    SecretsScan scan = SecretsScan.of(ctx, book);
    if (scan.failure() != null) {
      throw scan.failure(); // the probe errors (fail closed); the runner reports the type, never the message
    }
    List<RuleViolation> out = new ArrayList<>();
    for (ScanWarning w : scan.report().warnings()) {
      out.add(new RuleViolation(w.file(), 0, w.message(), null, null, w.commit(),
          ID + ":" + (w.file() != null ? w.file() : w.message()), null));
    }
    return out;
  }
}
