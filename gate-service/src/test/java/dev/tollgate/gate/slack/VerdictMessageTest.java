package dev.tollgate.gate.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.contracts.verdict.ReasonCode;
import dev.tollgate.gate.policy.OverridePolicy;
import dev.tollgate.gate.view.EvaluationView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Block Kit message: what it shows, when it offers buttons, and what it must never show. */
class VerdictMessageTest {
  static final Instant AT = Instant.parse("2026-11-26T10:00:00Z");
  static final String SHA = "3f2c9a1b8e7d6c5b4a39281706f5e4d3c2b1a098";
  static final OverridePolicy TWO_OF_TWO = new OverridePolicy(List.of("alice", "bob"), 2, Duration.ofHours(4),
      Set.of(ProbeId.SECRETS));

  static EvaluationView view(EvaluationView.Verdict verdict, List<EvaluationView.ProbeView> probes,
      List<EvaluationView.OverrideView> overrides) {
    return new EvaluationView("ev-1", verdict == null ? "PENDING" : "COMPLETE", "acme", "https://github.com/acme/shop.git",
        "production", SHA, null, "GITHUB", "Codertocat (GitHub)", "req-1", AT, verdict, probes, overrides, null);
  }

  static EvaluationView.Verdict noGo(Reason... reasons) {
    return new EvaluationView.Verdict("NO_GO", List.of(reasons), "p1", AT, 1200, 1, null, false);
  }

  static EvaluationView.ProbeView probe(String name, String status, Finding... findings) {
    return new EvaluationView.ProbeView(name, true, status, null, AT, 120L, "w1", List.of(findings), false);
  }

  static Finding finding(String rule, String message) {
    return new Finding(rule, Severity.BLOCK, "db/V2__drop.sql", 3, message, "do it in two releases", "fp-" + rule, null);
  }

  static final Reason FAILED = new Reason(ReasonCode.PROBE_FAILED, ProbeId.MIGRATIONS, "probe migrations failed");

  static List<JsonNode> blocks(ObjectNode message, String type) {
    List<JsonNode> out = new ArrayList<>();
    message.path("blocks").forEach(b -> {
      if (b.path("type").asText().equals(type)) {
        out.add(b);
      }
    });
    return out;
  }

  @Test
  void anOverridableNoGoShowsEverythingAndOffersBothButtonsWithOnlyTheEvaluationId() {
    EvaluationView v = view(noGo(FAILED), List.of(probe("migrations", "FAIL", finding("migration/drop-column", "drops email")),
        probe("rollback", "PASS")), List.of());
    ObjectNode m = VerdictMessage.render(v, TWO_OF_TWO, "https://tollgate.example.com/evaluations/ev-1", true);
    String all = m.toString();
    assertTrue(m.path("text").asText().startsWith("Tollgate NO_GO: acme/shop to production"), m.path("text").asText());
    assertTrue(all.contains("3f2c9a1b8e7d") && all.contains("Codertocat (GitHub)") && all.contains("probe migrations failed"), all);
    assertTrue(all.contains("`migration/drop-column` `db/V2__drop.sql:3` — drops email"), all);
    assertTrue(all.contains(":x: `migrations` FAIL") && all.contains(":white_check_mark: `rollback` PASS"), all);
    assertTrue(all.contains("<https://tollgate.example.com/evaluations/ev-1|Open in Tollgate>"), all);
    List<JsonNode> actions = blocks(m, "actions");
    assertEquals(1, actions.size(), all);
    JsonNode approve = actions.get(0).path("elements").path(0);
    JsonNode reject = actions.get(0).path("elements").path(1);
    assertEquals(VerdictMessage.APPROVE, approve.path("action_id").asText());
    assertEquals("ev-1", approve.path("value").asText());
    assertEquals("Approve override (2 needed)", approve.path("text").path("text").asText());
    assertEquals(VerdictMessage.REJECT, reject.path("action_id").asText());
    assertEquals("ev-1", reject.path("value").asText());
    assertEquals(m, VerdictMessage.render(v, TWO_OF_TWO, "https://tollgate.example.com/evaluations/ev-1", true),
        "deterministic: the reporter skips identical renders");
  }

  @Test
  void noButtonsWhenTheNoGoIsNotOverridableNobodyMayApproveOrItIsNoNoGo() {
    Reason leaked = new Reason(ReasonCode.PROBE_FAILED, ProbeId.SECRETS, "probe secrets failed");
    ObjectNode secrets = VerdictMessage.render(view(noGo(FAILED, leaked), List.of(), List.of()), TWO_OF_TWO, null, true);
    assertTrue(blocks(secrets, "actions").isEmpty(), secrets.toString());
    assertTrue(secrets.toString().contains("Not overridable: probe secrets failed"), secrets.toString());

    ObjectNode nobody = VerdictMessage.render(view(noGo(FAILED), List.of(), List.of()), OverridePolicy.NONE, null, true);
    assertTrue(blocks(nobody, "actions").isEmpty(), "no approvers configured");

    EvaluationView.Verdict go = new EvaluationView.Verdict("GO", List.of(), "p1", AT, 900, 1, null, false);
    assertTrue(blocks(VerdictMessage.render(view(go, List.of(), List.of()), TWO_OF_TWO, null, true), "actions").isEmpty());

    ObjectNode status = VerdictMessage.render(view(noGo(FAILED), List.of(), List.of()), TWO_OF_TWO, null, false);
    assertTrue(blocks(status, "actions").isEmpty(), "informational replies carry no buttons");
    assertTrue(blocks(VerdictMessage.render(view(noGo(FAILED), List.of(), List.of()), null, null, true), "actions").isEmpty(),
        "an environment no longer configured");
  }

  @Test
  void aSecretNeverReachesTheChannelAndRepositoryTextCannotPingOrLink() {
    Finding leak = new Finding("secrets/aws-access-key", Severity.BLOCK, "config/prod.env", 2,
        "AWS key AKIAIOSFODNN7EXAMPLE in config", "rotate it", "fp-1", null);
    Finding rude = finding("migration/drop-column", "<!channel> see <https://evil.example|here> & xoxb-123-456-abcdef");
    ObjectNode m = VerdictMessage.render(view(noGo(FAILED), List.of(probe("secrets", "FAIL", leak), probe("migrations", "FAIL", rude)),
        List.of()), TWO_OF_TWO, null, true);
    String all = m.toString();
    assertFalse(all.contains("AKIAIOSFODNN7EXAMPLE"), all);
    assertTrue(all.contains("`secrets/aws-access-key` `config/prod.env:2` — a credential (value withheld)"), all);
    assertFalse(all.contains("<!channel>") || all.contains("<https://evil"), all);
    assertTrue(all.contains("&lt;!channel&gt;"), all);
    assertFalse(all.contains("xoxb-123-456-abcdef"), "token-shaped text is masked: " + all);
  }

  @Test
  void aHeldNoGoShowsWhenTheGateDecidesAgainAndVotesShowTheirCount() {
    Instant retry = Instant.parse("2026-11-27T08:00:00Z");
    EvaluationView.Verdict held = new EvaluationView.Verdict("NO_GO", List.of(new Reason(ReasonCode.PROBE_FAILED, ProbeId.CALENDAR,
        "probe calendar failed")), "p1", AT, 10, 1, retry, true);
    EvaluationView.OverrideView vote = new EvaluationView.OverrideView("alice", "hotfix INC-42, tested on staging", AT,
        AT.plus(Duration.ofHours(4)));
    ObjectNode m = VerdictMessage.render(view(held, List.of(), List.of(vote)), TWO_OF_TWO, null, true);
    String all = m.toString();
    assertTrue(all.contains("NO_GO (held)"), all);
    assertTrue(all.contains("*Held* until <!date^" + retry.getEpochSecond() + "^"), all);
    assertTrue(all.contains("*Override approvals* (1 of 2)") && all.contains("alice: hotfix INC-42, tested on staging"), all);
  }

  @Test
  void aRunningEvaluationSaysHowManyProbesAnswered() {
    ObjectNode m = VerdictMessage.render(view(null, List.of(probe("migrations", "PENDING"), probe("rollback", "PASS")), List.of()),
        TWO_OF_TWO, null, true);
    assertTrue(m.toString().contains("checking (1 of 2 probes answered)"), m.toString());
    assertTrue(m.path("text").asText().startsWith("Tollgate checking"));
    assertTrue(blocks(m, "actions").isEmpty());
  }
}
