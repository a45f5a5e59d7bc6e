package dev.tollgate.contracts.audit;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** What an audit record is about. Values are never removed. */
public enum AuditKind {
  /**
   * A deploy succeeded while Tollgate's verdict for it was not GO (pending, held or NO_GO): someone bypassed
   * the gate, e.g. a GitHub administrator started a job that waited for Tollgate's protection rule.
   */
  GATE_BYPASSED,
  /** An approver voted to override a NO_GO (the vote counts toward the policy's N of M). */
  OVERRIDE_APPROVED,
  /** An approver rejected the deploy instead of overriding it. */
  OVERRIDE_REJECTED,
  /** Someone tried to approve or reject and was not allowed (not an approver, the deploy's author, a second vote,
   * a reason not overridable); kept so every click is in the audit log. */
  OVERRIDE_DENIED,
  /**
   * An approver clicked "Approve override" or "Reject" in Slack and was allowed to give a reason: the click is kept
   * even when the form is then closed without a vote (the vote itself follows as approved or rejected).
   */
  OVERRIDE_REQUESTED,
  /**
   * The server's policy changed: a gate started with a {@code tollgate.yml} whose effective policy differs from the
   * one last recorded (or none was). About every tenant ({@code tenant} is {@code *}); {@code evaluationId} is
   * {@code config:<policy version>}, the version every later verdict carries as {@code server:<version>}.
   */
  CONFIG_CHANGED,
  /**
   * An approver took back their approve or reject vote on a verdict revision (a change of mind is explicit: withdraw,
   * then vote again). A withdrawn approval no longer counts toward the override.
   */
  OVERRIDE_WITHDRAWN,
  /** Someone locked an environment (or a repository in it): evaluations there are held until it goes. */
  LOCK_TAKEN,
  /** The lock's holder released it. */
  LOCK_RELEASED,
  /** An administrator broke someone else's lock (the detail names why). */
  LOCK_BROKEN,
  /** A lock reached its expiry and ended by itself. */
  LOCK_EXPIRED,
  /** A lock request was refused (someone else holds the lock, or the caller may not release it). */
  LOCK_REFUSED,
  /** A GO waits in the environment's queue behind deploys in flight. */
  QUEUE_ENTERED,
  /** A deploy in flight freed its slot (finished, failed, or timed out without reporting an end). */
  QUEUE_RELEASED,
  /** A GO was refused (NO_GO {@code QUEUE_FULL}): the environment already holds as many waiting as it keeps. */
  QUEUE_REFUSED,
  /**
   * A deploy's end was reported by someone who may not end that slot (neither the platform, an admin, a deploy
   * reporter nor one of the slot's own parties): the slot stays taken. The detail names who reported and whose slot
   * it is.
   */
  QUEUE_RELEASE_REFUSED,
  /** A value this version does not know; read, never written. */
  @JsonEnumDefaultValue UNKNOWN
}
