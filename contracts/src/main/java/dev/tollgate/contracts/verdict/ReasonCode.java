package dev.tollgate.contracts.verdict;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Why a verdict is what it is; stable, machine-readable, one per {@link Reason}. */
public enum ReasonCode {
  /** A required probe found something blocking. */
  PROBE_FAILED,
  /** A required probe could not decide. */
  PROBE_ERRORED,
  /** A required probe gave no result by its deadline. */
  PROBE_TIMED_OUT,
  /** A required probe answered with a status this version does not know. */
  PROBE_STATUS_UNKNOWN,
  /** A required probe warned and the policy makes warnings block. */
  WARNINGS_BLOCK,
  /** The repository's {@code .tollgate.yml} could not be used. */
  REPO_POLICY_INVALID,
  /** The request named something the server policy does not allow (environment, probe). */
  POLICY_REJECTED,
  /** A non-blocking warning, listed on GO verdicts. */
  WARNING,
  /** On an OVERRIDDEN verdict: who accepted the risk and why. */
  OVERRIDDEN,
  /** An override ran out before the deploy: the NO_GO stands again. */
  OVERRIDE_EXPIRED,
  /** The environment (or the repository in it) is locked: held until the lock goes, then decided again. */
  LOCKED,
  /** Another deploy holds the environment's slot: held in the queue until it finishes, then decided again. */
  QUEUED,
  /** A newer commit of the same repository entered the queue and replaced this one (the queue's {@code supersede}). */
  SUPERSEDED,
  /**
   * The environment already holds as many waiting evaluations as it keeps ({@code locks.maxWaiting}): refused, not
   * held; ask again when the lock or the queue has moved (added without a version bump).
   */
  QUEUE_FULL,
  /** A value this version does not know. */
  @JsonEnumDefaultValue UNKNOWN
}
