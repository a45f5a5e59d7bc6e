package dev.tollgate.contracts.verdict;

import static dev.tollgate.contracts.Checks.requireText;
import static dev.tollgate.contracts.Checks.requireValue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * One approver's vote that an OVERRIDDEN verdict counted: who accepted the risk, why, when, and until when.
 *
 * @param approver the approver as the environment's policy names them (token name, VCS login)
 * @param reason the approver's reason, as recorded
 * @param votedAt when the vote was recorded
 * @param expiresAt when the vote stops counting
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OverrideVote(String approver, String reason, Instant votedAt, Instant expiresAt) {
  public OverrideVote {
    requireText(approver, "overrideVote.approver");
    requireText(reason, "overrideVote.reason");
    requireValue(votedAt, "overrideVote.votedAt");
    requireValue(expiresAt, "overrideVote.expiresAt");
  }
}
