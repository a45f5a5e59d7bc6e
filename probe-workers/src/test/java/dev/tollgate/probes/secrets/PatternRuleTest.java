package dev.tollgate.probes.secrets;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data rule run alone through the harness: its finding as the gate renders it. Every rule's own samples are
 * checked by {@link SecretRuleSamplesTest}.
 */
class PatternRuleTest {
  private final RuleBook book = RuleBook.standard();

  @TempDir
  Path dir;

  @Test
  void flagsSlackWebhookAddedByTheDeploy() {
    String webhook = "https://hooks.slack.com/services/T" + "0A1B2C3D4/B" + "5E6F7G8H9J/" + "q7Wm2Xr9Kp4Ls8Dz3Nv6Hy1T";
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed()
        .commit("alerts.yaml", "slack:\n  url: " + webhook + "\n");
    harness("secrets/slack-webhook-url").assertViolations(repo, """
        BLOCK secrets/slack-webhook-url alerts.yaml:2
          Slack incoming webhook URL: hook… (72 characters), added in commit %s
        """.formatted(repo.head().substring(0, 12)));
  }

  @Test
  void passesSlackWebhookPlaceholder() {
    // The documentation's placeholder webhook: all zeros and X's.
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed()
        .commit("alerts.yaml", "url: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\n");
    harness("secrets/slack-webhook-url").assertNoViolations(repo);
  }

  private RuleHarness harness(String id) {
    return RuleHarness.of(new PatternRule(book.rule(book.indexOf(id)), book));
  }
}
