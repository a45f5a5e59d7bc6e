package dev.tollgate.probes.secrets;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import java.util.List;

/**
 * A credential published as an example in SDK or vendor documentation is in a deployable config file: not a leak
 * (it grants nothing), but configuration that cannot work in production. Reported as INFO, never blocking.
 */
final class ExampleCredentialRule implements Rule {
  static final RuleId ID = RuleId.of("secrets/example-credential");
  static final Severity SEVERITY = Severity.INFO;

  private final RuleBook book;

  ExampleCredentialRule(RuleBook book) {
    this.book = book;
  }

  /** The finding's description: what the example stands for and where it is published. */
  static String describe(KnownExample example) {
    return "Documented example " + example.credential() + " (published at " + example.source()
        + ") in a deployable config file";
  }

  @Override
  public RuleId id() {
    return ID;
  }

  @Override
  public Severity severity() {
    return SEVERITY;
  }

  @Override
  public String summary() {
    return "A credential published as an example in vendor documentation is in deployed configuration.";
  }

  @Override
  public String help() {
    return "Not a leak: the example grants nothing. Replace it with the real value read from a secret store at run "
        + "time, or remove the setting; an example key in production config means the feature cannot work.";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    return SecretsScan.of(ctx, book).violationsOf(ID.value());
  }
}
