package dev.tollgate.contracts.override;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.evaluation.DeployTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One standing vote per person per revision; a change of mind is a withdrawal first. */
class BallotTest {
  static final DeployTarget TARGET = new DeployTarget("acme", "https://github.com/acme/shop.git", "production",
      "3f2c9a1b8e7d6c5b4a39281706f5e4d3c2b1a098", null);
  static final Instant AT = Instant.parse("2026-11-26T10:00:00Z");
  final List<OverrideRecorded> records = new ArrayList<>();

  BallotTest vote(String who, VoteDecision decision, int revision) {
    records.add(OverrideRecorded.vote("ev", "req", "o" + records.size(), TARGET, who, decision, "because of INC-1", revision,
        AT.plusSeconds(3600), AT.plusSeconds(records.size())));
    return this;
  }

  Map<String, Ballot.Vote> standing() {
    return Ballot.of(records);
  }

  @Test
  void aRejectionFollowedByAnApprovalStaysARejection() {
    vote("bob", VoteDecision.REJECT, 1).vote("bob", VoteDecision.APPROVE, 1);
    assertEquals(VoteDecision.REJECT, standing().get("bob").decision());
    assertFalse(standing().get("bob").approves(1, AT), "the second vote of the same revision does not count");
  }

  @Test
  void withdrawThenVoteAgainCounts() {
    vote("bob", VoteDecision.REJECT, 1).vote("bob", VoteDecision.WITHDRAW, 1).vote("Bob", VoteDecision.APPROVE, 1);
    assertEquals(1, standing().size(), "names compare case-insensitively");
    assertTrue(standing().get("bob").approves(1, AT));
  }

  @Test
  void aWithdrawnApprovalNoLongerCounts() {
    vote("alice", VoteDecision.APPROVE, 1).vote("alice", VoteDecision.WITHDRAW, 1);
    assertTrue(standing().isEmpty());
  }

  @Test
  void aVoteCountsOnlyForTheRevisionItWasCastOn() {
    vote("alice", VoteDecision.APPROVE, 1);
    assertTrue(standing().get("alice").approves(1, AT));
    assertFalse(standing().get("alice").approves(2, AT), "a re-evaluated NO_GO needs new votes");
    vote("alice", VoteDecision.REJECT, 2);
    assertEquals(VoteDecision.REJECT, standing().get("alice").decision(), "a newer revision's vote replaces the older");
    assertFalse(standing().get("alice").approves(1, AT.plusSeconds(7200)), "and votes expire");
  }

  @Test
  void recordsOfAnUnknownDecisionChangeNothing() {
    vote("alice", VoteDecision.APPROVE, 1);
    records.add(new OverrideRecorded(2, "ev", "req", "x", TARGET, List.of("alice"), "?", AT.plusSeconds(60), AT,
        VoteDecision.UNKNOWN, 1));
    assertTrue(standing().get("alice").approves(1, AT));
  }

  @Test
  void approvalsAreWrittenAsVersionOneAndEverythingElseAsVersionTwo() {
    vote("alice", VoteDecision.APPROVE, 1).vote("bob", VoteDecision.REJECT, 1).vote("bob", VoteDecision.WITHDRAW, 1);
    assertEquals(List.of(1, 2, 2), records.stream().map(OverrideRecorded::schemaVersion).toList());
    for (OverrideRecorded r : records) {
      assertEquals(r, Json.read(Json.write(r), OverrideRecorded.class));
    }
    // A version 1 record is an approval: nothing else may pretend to be one (a version 1 reader would count it).
    assertThrows(IllegalArgumentException.class, () -> new OverrideRecorded(1, "ev", "req", "x", TARGET, List.of("bob"),
        "no", AT, AT, VoteDecision.REJECT, 1));
    OverrideRecorded legacy = Json.read(("{\"schemaVersion\":1,\"evaluationId\":\"ev\",\"requestId\":\"r\",\"overrideId\":\"o\","
        + "\"target\":" + Json.writeString(TARGET) + ",\"approvers\":[\"alice\"],\"reason\":\"ok then\","
        + "\"expiresAt\":\"2026-11-26T12:00:00Z\",\"recordedAt\":\"2026-11-26T10:00:00Z\"}").getBytes(), OverrideRecorded.class);
    assertEquals(VoteDecision.APPROVE, legacy.decision());
    assertTrue(Ballot.of(List.of(legacy)).get("alice").approves(7, AT), "a legacy approval counts for any revision, as before");
  }
}
