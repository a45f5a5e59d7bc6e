package dev.tollgate.probes.rollback;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RepoConfig;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import java.util.ArrayList;
import java.util.List;

/** The rollback settings cannot be read: a typo must not silently turn a check off, so the probe fails closed. */
final class InvalidRollbackConfigRule implements Rule {
  static final RuleId ID = RuleId.of("rollback/invalid-config");

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
    return "The rollback section of .tollgate.yml or tollgate.yml is invalid.";
  }

  @Override
  public String help() {
    return "Fix the key or value named in the message; docs/rollback.md lists the settings.";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    String file = settingsFile(ctx.repoConfig());
    List<RuleViolation> out = new ArrayList<>();
    for (RollbackSettings.Problem p : RollbackSettings.of(ctx).problems()) {
      // The operators' file is not in the repository: no path to point at.
      String at = p.server() ? null : file;
      // Several problems share a file and line 0, and the runner keeps one finding per fingerprint.
      out.add(RuleViolation.at(at, 0, p.message())
          .withFingerprint((at == null ? "" : at) + ":" + ID + ":" + Integer.toHexString(p.message().hashCode())));
    }
    return out;
  }

  private static String settingsFile(RepoConfig config) {
    String source = config.source();
    int at = source.indexOf('@');
    return at > 0 ? source.substring(0, at) : RepoConfig.FILE_NAMES.get(0);
  }
}
