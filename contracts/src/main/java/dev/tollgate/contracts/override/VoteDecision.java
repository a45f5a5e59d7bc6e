package dev.tollgate.contracts.override;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** What one person said about a NO_GO. Values are never removed. */
public enum VoteDecision {
  /** Accept the risk: counts toward the environment's N approvals. */
  APPROVE,
  /** Refuse the deploy: occupies the person's vote, counts toward nothing. */
  REJECT,
  /** Take back the person's standing vote of that revision, so they may vote again. */
  WITHDRAW,
  /** A value this version does not know; read, never written, and never counted. */
  @JsonEnumDefaultValue UNKNOWN
}
