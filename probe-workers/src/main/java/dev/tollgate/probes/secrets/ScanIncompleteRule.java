package dev.tollgate.probes.secrets;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.ReadLimits;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import java.util.ArrayList;
import java.util.List;

/**
 * Part of what the deploy ships was not scanned for secrets: a size, byte or commit limit cut the scan. Blocks (a
 * file the scan skipped may hold the key), unless the operators downgraded that limit for the environment.
 */
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
    return Severity.BLOCK;
  }

  @Override
  public String summary() {
    return "Part of the deploy was not scanned for secrets because a scan limit was reached.";
  }

  @Override
  public String help() {
    return "Keep large generated or vendored files out of the repository (or out of the scan with secrets.allowPaths), "
        + "or raise worker.maxFileBytes, worker.maxCommits or secrets.maxTotalBytes in the server's tollgate.yml; an "
        + "operator may downgrade the limit for an environment (readLimits). Scan skipped files with 'tollgate scan-secrets'.";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    SecretsScan scan = SecretsScan.of(ctx, book);
    if (scan.failure() != null) {
      throw scan.failure(); // the probe errors (fail closed); the runner reports the type, never the message
    }
    ReadLimits limits = ReadLimits.of(ctx);
    List<RuleViolation> out = new ArrayList<>();
    for (ScanWarning w : scan.report().warnings()) {
      out.add(limits.violation(w.limit(), w.file(), w.message()).withCommit(w.commit())
          .withFingerprint(ID + ":" + (w.file() != null ? w.file() : w.limit().key())));
    }
    return out;
  }
}
