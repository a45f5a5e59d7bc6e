package dev.tollgate.contracts.probe;

import static dev.tollgate.contracts.Checks.listOf;
import static dev.tollgate.contracts.Checks.requireSchemaVersion;
import static dev.tollgate.contracts.Checks.requireText;
import static dev.tollgate.contracts.Checks.requireValue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tollgate.contracts.Message;
import java.time.Instant;
import java.util.List;

/**
 * One probe's result for one evaluation. Key: evaluationId. Topic: {@link dev.tollgate.contracts.Topics#PROBES_COMPLETED}.
 *
 * <p>A worker publishes exactly one of these for every check it took, also when the probe threw or ran out
 * of time (status ERROR with {@code reason}). Delivery is at-least-once: the aggregator keeps the first
 * result per (evaluation, probe) and ignores the rest.
 *
 * @param checkId the {@code CheckRequested.checkId} this answers
 * @param reason one line explaining ERROR (or a summary for other statuses), never a secret value
 * @param findings findings, at most a bounded number; {@code findingsTruncated} says when more existed
 * @param repoPolicy the repository's policy as read at the candidate commit; null if the worker could not
 *     read the repository at all
 * @param worker which worker instance ran the check (host/pid), for operators
 * @param retryAt when every blocking finding of this probe is expected to clear by itself (the end of a freeze
 *     window), else null; lets the gate hold and re-evaluate instead of rejecting
 * @param attempt the {@code CheckRequested.attempt} this answers
 * @param range the commit range the worker read (count, oldest author time), or null: a first deploy, an empty range,
 *     a repository it could not read, or a worker older than this field; added without a version bump (optional,
 *     older readers ignore it)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProbeCompleted(
    int schemaVersion,
    String evaluationId,
    String checkId,
    String requestId,
    ProbeId probe,
    ProbeStatus status,
    String reason,
    List<Finding> findings,
    boolean findingsTruncated,
    RepoPolicy repoPolicy,
    String worker,
    Instant startedAt,
    Instant completedAt,
    Instant retryAt,
    int attempt,
    CommitRange range) implements Message {

  public static final int SCHEMA_VERSION = 1;

  public ProbeCompleted {
    requireSchemaVersion(schemaVersion, SCHEMA_VERSION, "ProbeCompleted");
    requireText(evaluationId, "evaluationId");
    requireText(checkId, "checkId");
    requireText(requestId, "requestId");
    requireValue(probe, "probe");
    requireValue(status, "status");
    requireValue(completedAt, "completedAt");
    findings = listOf(findings);
    attempt = attempt == 0 ? 1 : attempt; // written before attempts existed
  }

  /** A result without its commit range (as written before ranges were recorded). */
  public ProbeCompleted(int schemaVersion, String evaluationId, String checkId, String requestId, ProbeId probe,
      ProbeStatus status, String reason, List<Finding> findings, boolean findingsTruncated, RepoPolicy repoPolicy,
      String worker, Instant startedAt, Instant completedAt, Instant retryAt, int attempt) {
    this(schemaVersion, evaluationId, checkId, requestId, probe, status, reason, findings, findingsTruncated, repoPolicy,
        worker, startedAt, completedAt, retryAt, attempt, null);
  }

  /** A result in the current schema version. */
  public static ProbeCompleted of(String evaluationId, String checkId, String requestId, ProbeId probe, ProbeStatus status,
      String reason, List<Finding> findings, boolean findingsTruncated, RepoPolicy repoPolicy, String worker,
      Instant startedAt, Instant completedAt, Instant retryAt) {
    return new ProbeCompleted(SCHEMA_VERSION, evaluationId, checkId, requestId, probe, status, reason, findings,
        findingsTruncated, repoPolicy, worker, startedAt, completedAt, retryAt, 1);
  }

  /** The same result for attempt {@code n} of its check. */
  public ProbeCompleted forAttempt(int n) {
    return new ProbeCompleted(schemaVersion, evaluationId, checkId, requestId, probe, status, reason, findings,
        findingsTruncated, repoPolicy, worker, startedAt, completedAt, retryAt, n, range);
  }

  /** The same result with the commit range the worker read. */
  public ProbeCompleted withRange(CommitRange commitRange) {
    return new ProbeCompleted(schemaVersion, evaluationId, checkId, requestId, probe, status, reason, findings,
        findingsTruncated, repoPolicy, worker, startedAt, completedAt, retryAt, attempt, commitRange);
  }
}
