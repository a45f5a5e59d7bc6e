package dev.tollgate.contracts.lock;

import static dev.tollgate.contracts.Checks.listOf;
import static dev.tollgate.contracts.Checks.requireSchemaVersion;
import static dev.tollgate.contracts.Checks.requireValue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tollgate.contracts.Message;
import dev.tollgate.contracts.verdict.VerdictReached;
import java.util.List;

/**
 * A verdict that permits the deploy (GO, OVERRIDDEN) asking for its environment's turn. Topic:
 * {@link dev.tollgate.contracts.Topics#ADMISSIONS_REQUESTED}. Key: {@code tenant|environment}. The environment gate
 * publishes {@code verdict} when the environment is not locked for it and a slot is free, else a held NO_GO of the
 * same revision (LOCKED or QUEUED) and the verdict's next revision when its turn comes.
 *
 * @param submittedBy the evaluation's authenticated submitter's name (shown in the queue)
 * @param deployers further platform identities bound to the deploy (names)
 * @param parties the submitter and the deployers with their namespaces: a deploy lock lets its holder's own deploys
 *     pass when one of these is the holder. Empty in records written before it existed (optional, no version bump)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AdmissionRequested(int schemaVersion, VerdictReached verdict, String submittedBy, List<String> deployers,
    List<Identity> parties) implements Message {

  public static final int SCHEMA_VERSION = 1;

  public AdmissionRequested {
    requireSchemaVersion(schemaVersion, SCHEMA_VERSION, "AdmissionRequested");
    requireValue(verdict, "verdict");
    deployers = listOf(deployers);
    parties = listOf(parties);
  }

  public static AdmissionRequested of(VerdictReached verdict, String submittedBy, List<String> deployers,
      List<Identity> parties) {
    return new AdmissionRequested(SCHEMA_VERSION, verdict, submittedBy, deployers, parties);
  }

  @Override
  public String evaluationId() {
    return verdict.evaluationId();
  }

  @Override
  public String requestId() {
    return verdict.requestId();
  }

  /** The Kafka key. */
  public String environmentKey() {
    return LockRequested.environmentKey(verdict.target().tenant(), verdict.target().environment());
  }
}
