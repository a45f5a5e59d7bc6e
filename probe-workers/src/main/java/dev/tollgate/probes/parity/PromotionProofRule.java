package dev.tollgate.probes.parity;

import dev.tollgate.contracts.history.CandidateStatus;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.repo.CommitInfo;
import com.google.re2j.Pattern;
import java.util.List;

/** The commit going to an environment never passed (GO verdict and a successful deploy) the environment it promotes from. */
final class PromotionProofRule implements Rule {
  static final RuleId ID = RuleId.of("parity/promotion-proof");

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
    return "The candidate commit was not deployed successfully to the environment it is promoted from.";
  }

  @Override
  public String help() {
    return "Deploy this commit to the previous environment first and let it pass the gate there; "
        + "for an emergency, use the hotfix bypass (environments.<env>.promotion.hotfix) or a recorded override.";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    ParityView view = ParityView.of(ctx);
    // Only a declared chain is proven: a chain guessed from file names must not block deploys that Tollgate
    // never saw the previous stage of (the team may deploy staging some other way).
    if (!view.active() || !view.declared()) {
      return List.of();
    }
    ParitySettings settings = view.settings();
    if (settings.proof() == ParitySettings.ProofMode.OFF) {
      return List.of();
    }
    String previous = view.previous();
    CandidateStatus status = ctx.history().candidateIn(previous);
    if (status.go() && status.deployed()) {
      return List.of();
    }
    String commit = ctx.target().candidate().substring(0, 7);
    String message;
    if (status.go()) {
      message = commit + " passed the gate for " + previous
          + (status.evaluationId() == null ? "" : " (evaluation " + status.evaluationId() + ")")
          + " but no successful deploy to " + previous + " was recorded";
    } else if (status.deployed()) {
      message = commit + " was deployed to " + previous + " without a GO verdict";
    } else {
      message = commit + " was never deployed to " + previous;
    }
    Severity severity = settings.proof() == ParitySettings.ProofMode.WARN ? Severity.WARN : Severity.BLOCK;
    Pattern hotfix = settings.hotfix();
    String subject = subject(ctx);
    if (hotfix != null && subject != null && hotfix.matcher(subject).find()) {
      // The bypass only softens the finding: it stays visible, and blocks again where warnings block.
      severity = Severity.WARN;
      message += " (hotfix bypass: the commit subject matches /" + settings.hotfixSource() + "/)";
    }
    String fix = "Deploy " + commit + " to " + previous + " first (" + view.settings().previousSource() + ")"
        + (severity == Severity.WARN ? ", then promote again; a hotfix must reach " + previous + " too." : ".");
    return List.of(RuleViolation.general(message).withSeverity(severity).withFix(fix)
        .withCommit(ctx.target().candidate())
        .withFingerprint("promotion:" + previous + ">" + view.target() + ":" + ctx.target().candidate()));
  }

  private static String subject(RuleContext ctx) {
    String candidate = ctx.target().candidate();
    List<CommitInfo> commits = ctx.changes().commits();
    for (int i = commits.size() - 1; i >= 0; i--) {
      if (commits.get(i).id().equals(candidate)) {
        return commits.get(i).subject();
      }
    }
    return null;
  }
}
