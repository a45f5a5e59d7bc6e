package dev.tollgate.contracts.history;

import static dev.tollgate.contracts.Checks.listOf;
import static dev.tollgate.contracts.Checks.mapOf;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The history the gate knew when it accepted an evaluation, attached to the request and to every check so the
 * probes' answers are reproducible from the records alone.
 *
 * @param deploys recent deploys of the target environment, newest first (bounded)
 * @param candidate per environment name of the same repository: what is known of the candidate commit there
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeployHistory(List<DeployRecord> deploys, Map<String, CandidateStatus> candidate) {
  private static final DeployHistory EMPTY = new DeployHistory(List.of(), Map.of());

  public DeployHistory {
    deploys = listOf(deploys);
    candidate = mapOf(candidate);
  }

  /** Nothing known (first deploy, or the CLI). */
  public static DeployHistory empty() {
    return EMPTY;
  }

  /** The newest successful deploy of the target environment: the rollback target. */
  public Optional<DeployRecord> lastSuccessful() {
    return deploys.stream().filter(d -> d.status() == DeployStatus.SUCCEEDED).findFirst();
  }

  /** What is known of the candidate in {@code environment}. */
  public CandidateStatus candidateIn(String environment) {
    return candidate.getOrDefault(environment, new CandidateStatus(false, false, null));
  }
}
