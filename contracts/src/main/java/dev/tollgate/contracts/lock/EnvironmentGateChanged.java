package dev.tollgate.contracts.lock;

import static dev.tollgate.contracts.Checks.listOf;
import static dev.tollgate.contracts.Checks.requireSchemaVersion;
import static dev.tollgate.contracts.Checks.requireText;
import static dev.tollgate.contracts.Checks.requireValue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tollgate.contracts.evaluation.RepositoryLocation;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One environment's locks, deploys in flight and queue, as its single writer (the environment gate) last left them.
 * Topic: {@link dev.tollgate.contracts.Topics#ENVIRONMENT_GATES_CHANGED} (compacted). Key: {@code tenant|environment}.
 *
 * @param locks the locks in force: at most one for the whole environment and one per repository
 * @param inFlight deploys admitted and not yet reported finished, oldest first
 * @param queue GO verdicts waiting for a slot, in request order (position 1 first)
 * @param locked evaluations held by a lock, in request order
 * @param outcomes the last lock commands' outcomes (newest last, at most 20): how a caller learns whether it won
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EnvironmentGateChanged(int schemaVersion, String tenant, String environment, List<Lock> locks,
    List<Entry> inFlight, List<Entry> queue, List<Entry> locked, List<Outcome> outcomes, Instant changedAt) {

  public static final int SCHEMA_VERSION = 1;

  public EnvironmentGateChanged {
    requireSchemaVersion(schemaVersion, SCHEMA_VERSION, "EnvironmentGateChanged");
    requireText(tenant, "tenant");
    requireText(environment, "environment");
    requireValue(changedAt, "changedAt");
    locks = listOf(locks);
    inFlight = listOf(inFlight);
    queue = listOf(queue);
    locked = listOf(locked);
    outcomes = listOf(outcomes);
  }

  /**
   * A lock in force.
   *
   * @param lockId the id an UNLOCK or a BREAK names, so a stale one never ends a newer lock
   * @param repository null: the whole environment
   * @param holder the holder's display name
   * @param reason user text, as given (every place that shows it bounds and neutralises it)
   * @param holderId the holder with its namespace: who may unlock it and whose deploys a deploy lock lets pass. Null
   *     in locks taken before it existed: nobody holds those (an administrator breaks them, or they expire) (optional,
   *     no version bump)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Lock(String lockId, String repository, LockKind kind, String holder, String reason, Instant since,
      Instant expiresAt, Identity holderId) {

    /** True when {@code who} holds this lock: the same namespace and id, never a name alone. */
    public boolean heldBy(Identity who) {
      return holderId != null && holderId.sameAs(who);
    }
  }

  /**
   * The lock of {@code repository}'s scope (null: the environment's own lock) a command is about. Before every spelling
   * of a repository was one scope, two spellings were two locks, so a state written then may hold two locks of one
   * scope: the one the command names ({@code lockId}), else the caller's own, else the one of the exact spelling, else
   * the first; without that the second holder could neither unlock nor an administrator break it by its id.
   */
  public static Optional<Lock> lockOf(List<Lock> locks, String repository, String lockId, Identity caller) {
    List<Lock> scope = locks.stream().filter(l -> RepositoryLocation.sameRepository(l.repository(), repository)).toList();
    return scope.stream().filter(l -> lockId != null && lockId.equals(l.lockId())).findFirst()
        .or(() -> scope.stream().filter(l -> caller != null && l.heldBy(caller)).findFirst())
        .or(() -> scope.stream().filter(l -> Objects.equals(l.repository(), repository)).findFirst())
        .or(() -> scope.stream().findFirst());
  }

  /**
   * An evaluation in flight, queued or held by a lock.
   *
   * @param since when it was admitted (in flight) or asked for its turn (queued, locked)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Entry(String evaluationId, String repository, String commit, String submittedBy, Instant requestedAt,
      Instant since) {}

  /** What became of one lock command. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Outcome(String commandId, boolean accepted, String message) {}
}
