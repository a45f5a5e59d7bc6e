package dev.tollgate.probes.secrets;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import java.util.List;

/**
 * The repository's secret allowlists cannot be read ({@code secrets:} in {@code .tollgate.yml} or the baseline
 * file), so the scan ran without them: blocking, because a typo must not silently change what is allowed.
 */
final class InvalidConfigRule implements Rule {
  private static final RuleId ID = RuleId.of("secrets/invalid-config");

  private final RuleBook book;

  InvalidConfigRule(RuleBook book) {
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
    return "The repository's secrets allowlist (.tollgate.yml secrets: or the baseline file) is invalid.";
  }

  @Override
  public String help() {
    return "Fix the key named in the message; see docs/rules/secrets/README.md for the format.";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    SecretsScan scan = SecretsScan.of(ctx, book);
    if (scan.configError() == null) {
      return List.of();
    }
    String file = scan.configError().startsWith(RepoSecretsConfig.BASELINE_PATH) ? RepoSecretsConfig.BASELINE_PATH
        : ctx.repoConfig().source().replaceFirst("@.*$", "");
    return List.of(new RuleViolation(file, 0, "Secrets allowlist invalid, scanned without it: " + scan.configError(),
        null, null, null, ID + ":" + file, null));
  }
}
