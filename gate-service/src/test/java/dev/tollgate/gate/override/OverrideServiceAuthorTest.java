package dev.tollgate.gate.override;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.contracts.evaluation.Source;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Who may not vote on a deploy comes from authentication: the submitting principal and the platform's deployers, never
 * the {@code requestedBy} label the caller chose.
 */
class OverrideServiceAuthorTest {
  static final DeployTarget TARGET = new DeployTarget("acme", "https://github.com/acme/shop.git", "production",
      "3f2c9a1b8e7d6c5b4a39281706f5e4d3c2b1a098", null);

  static EvaluationRequested request(String requestedBy, String submittedBy, List<String> deployers) {
    EvaluationRequested r = EvaluationRequested.of("ev", "req", TARGET, Source.API, requestedBy, null, null, null, List.of(),
        Instant.EPOCH, null);
    return submittedBy == null ? r : r.withSubmitter(submittedBy, deployers);
  }

  @Test
  void theSubmitterAndTheDeployersArePartiesWhateverTheLabelSays() {
    EvaluationRequested labelled = request("mallory (token alice)", "alice", List.of());
    assertTrue(OverrideService.isParty("alice", labelled), "the token that submitted it");
    assertTrue(OverrideService.isParty("ALICE", labelled), "names compare case-insensitively");
    assertFalse(OverrideService.isParty("mallory", labelled), "requestedBy is a label and decides nothing");
    EvaluationRequested github = request("octocat (GitHub)", "octocat", List.of("hubot"));
    assertTrue(OverrideService.isParty("hubot", github), "the deployment's creator");
    assertEquals(Set.of("octocat", "hubot"), OverrideService.parties(github));
  }

  @Test
  void requestsRecordedBeforeTheSubmitterFieldUseTheAuthenticatedPartOfTheLabel() {
    assertTrue(OverrideService.isParty("alice", request("mallory (token alice)", null, null)), "the token in the label");
    assertFalse(OverrideService.isParty("mallory", request("mallory (token alice)", null, null)));
    assertTrue(OverrideService.isParty("codertocat", request("Codertocat (GitHub)", null, null)), "a GitHub login");
    assertTrue(OverrideService.isParty("ci", request("ci", null, null)), "a token's own name");
  }

  @Test
  void someoneElseIsNotAParty() {
    assertFalse(OverrideService.isParty("bob", request("alice (GitHub)", "alice", List.of("hubot"))));
    assertFalse(OverrideService.isParty("alice", request("alice-bot (GitHub)", "alice-bot", List.of())));
  }
}
