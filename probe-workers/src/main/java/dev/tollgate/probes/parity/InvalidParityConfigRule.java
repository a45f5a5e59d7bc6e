package dev.tollgate.probes.parity;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RepoConfig;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import java.util.ArrayList;
import java.util.List;

/** The parity settings, or an environment's configuration file, cannot be read, so parity cannot be checked. */
final class InvalidParityConfigRule implements Rule {
  static final RuleId ID = RuleId.of("parity/invalid-config");

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
    return "Environment parity cannot be checked: its settings or a configuration file are invalid.";
  }

  @Override
  public String help() {
    return "Fix the named setting or file; see docs/parity.md for the .tollgate.yml keys.";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    ParityView view = ParityView.of(ctx);
    List<RuleViolation> out = new ArrayList<>();
    String settingsFile = settingsFile(ctx.repoConfig());
    for (String error : view.settings().errors()) {
      // Server settings are the operators' file, not the repository's: no path to point at.
      String file = error.startsWith("server ") ? null : settingsFile;
      out.add(RuleViolation.at(file, 0, error).withFingerprint(fingerprint(file, error)));
    }
    for (ParityView.Problem p : view.problems()) {
      String file = p.file() != null ? p.file() : settingsFile;
      out.add(RuleViolation.at(file, p.line(), p.message()).withFingerprint(fingerprint(file, p.message())));
    }
    return out;
  }

  private static String settingsFile(RepoConfig config) {
    String source = config.source();
    int at = source.indexOf('@');
    return at > 0 ? source.substring(0, at) : RepoConfig.FILE_NAMES.get(0);
  }

  /** Several problems may share a file and line 0, and the runner keeps one finding per fingerprint. */
  private static String fingerprint(String file, String message) {
    return (file == null ? "" : file) + ":" + ID + ":" + Integer.toHexString(message.hashCode());
  }
}
