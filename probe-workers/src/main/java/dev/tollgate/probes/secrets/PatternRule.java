package dev.tollgate.probes.secrets;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import java.util.List;

/** A credential of one documented format is in what the deploy ships (one data rule of {@code secrets/rules.yaml}). */
final class PatternRule implements Rule {
  static final String HELP = "Revoke and rotate the credential (it reached git history), remove it and read it from a "
      + "secret store at run time; for a test value add 'tollgate:allow' on the line or its fingerprint to "
      + RepoSecretsConfig.BASELINE_PATH + ".";

  private final SecretRule rule;
  private final RuleBook book;

  PatternRule(SecretRule rule, RuleBook book) {
    this.rule = rule;
    this.book = book;
  }

  @Override
  public RuleId id() {
    return rule.id();
  }

  @Override
  public Severity severity() {
    return rule.severity();
  }

  @Override
  public String summary() {
    return rule.description() + " is in the deployed code.";
  }

  @Override
  public String help() {
    return HELP;
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    return SecretsScan.of(ctx, book).violationsOf(rule.id().value());
  }
}
