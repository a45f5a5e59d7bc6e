package dev.tollgate.contracts.check;

import static dev.tollgate.contracts.Checks.requireSchemaVersion;
import static dev.tollgate.contracts.Checks.requireText;
import static dev.tollgate.contracts.Checks.requireValue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tollgate.contracts.Message;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.probe.ProbeId;
import java.time.Instant;

/**
 * Asks one probe to examine one deploy. Key: evaluationId. Topic: {@link dev.tollgate.contracts.Topics#CHECKS_REQUESTED}.
 *
 * <p>The worker that takes it always answers with one {@code ProbeCompleted}. A check received after its
 * {@code deadline} is answered ERROR without running: the aggregator has already decided without it.
 *
 * @param checkId {@code <evaluationId>/<probe>}: stable, so a redelivered check is recognisably the same
 * @param deadline when the aggregator stops waiting for this probe
 * @param history the evaluation's deploy history (null when nothing is known)
 * @param attempt 1 for the first dispatch; a held evaluation re-dispatches a probe with the next attempt
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CheckRequested(
    int schemaVersion,
    String evaluationId,
    String checkId,
    String requestId,
    DeployTarget target,
    ProbeId probe,
    Instant deadline,
    Instant requestedAt,
    DeployHistory history,
    int attempt) implements Message {

  public static final int SCHEMA_VERSION = 1;

  public CheckRequested {
    requireSchemaVersion(schemaVersion, SCHEMA_VERSION, "CheckRequested");
    requireText(evaluationId, "evaluationId");
    requireText(checkId, "checkId");
    requireText(requestId, "requestId");
    requireValue(target, "target");
    requireValue(probe, "probe");
    requireValue(deadline, "deadline");
    requireValue(requestedAt, "requestedAt");
    attempt = attempt == 0 ? 1 : attempt; // written before attempts existed
  }

  /** The check id of {@code probe} within {@code evaluationId}. */
  public static String checkId(String evaluationId, ProbeId probe) {
    return evaluationId + "/" + probe.value();
  }

  /** A check in the current schema version. */
  public static CheckRequested of(String evaluationId, String requestId, DeployTarget target, ProbeId probe,
      Instant deadline, Instant requestedAt, DeployHistory history) {
    return new CheckRequested(SCHEMA_VERSION, evaluationId, checkId(evaluationId, probe), requestId, target, probe,
        deadline, requestedAt, history, 1);
  }

  /** The same check dispatched again (a held evaluation re-evaluated). */
  public CheckRequested again(int newAttempt, Instant newDeadline, Instant at) {
    return new CheckRequested(schemaVersion, evaluationId, checkId, requestId, target, probe, newDeadline, at, history,
        newAttempt);
  }

  /** The attached history, empty when none. */
  public DeployHistory historyOrEmpty() {
    return history == null ? DeployHistory.empty() : history;
  }
}
