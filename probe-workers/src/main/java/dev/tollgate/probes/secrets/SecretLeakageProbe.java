package dev.tollgate.probes.secrets;

import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.probes.api.Probe;
import dev.tollgate.probes.api.Rule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Secret leakage (issue #3): what this deploy ships carries no credential. One rule per secret format (data, from
 * {@code secrets/rules.yaml}) plus three class rules: {@code secrets/example-credential} (INFO), {@code secrets/invalid-config} and
 * {@code secrets/scan-incomplete}.
 * All rules read one shared scan of the range ({@link SecretsScan}).
 */
public final class SecretLeakageProbe implements Probe {
  private final List<Rule> rules;
  private final RuleBook book;

  /** The probe with the shipped rules. */
  public SecretLeakageProbe() {
    this(RuleBook.standard());
  }

  SecretLeakageProbe(RuleBook book) {
    this.book = book;
    List<Rule> all = new ArrayList<>();
    for (SecretRule r : book.rules()) {
      all.add(new PatternRule(r, book));
    }
    all.add(new ExampleCredentialRule(book));
    all.add(new InvalidConfigRule(book));
    all.add(new ScanIncompleteRule(book));
    all.sort(Comparator.comparing(Rule::id));
    this.rules = List.copyOf(all);
  }

  @Override
  public ProbeId id() {
    return ProbeId.SECRETS;
  }

  @Override
  public List<Rule> rules() {
    return rules;
  }

  @Override
  public List<String> validateRepositorySettings(dev.tollgate.probes.api.RepoConfig repo,
      dev.tollgate.probes.api.ServerSettings server, java.util.function.Function<String, java.util.Optional<String>> files) {
    try {
      RepoSecretsConfig.parse(repo.section("secrets"), files.apply(RepoSecretsConfig.BASELINE_PATH).orElse(null), book.ids());
      return List.of();
    } catch (IllegalArgumentException e) {
      return List.of(e.getMessage());
    }
  }
}
