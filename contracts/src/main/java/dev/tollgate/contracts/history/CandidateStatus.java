package dev.tollgate.contracts.history;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What Tollgate knows of the candidate commit in one environment.
 *
 * @param go a GO verdict exists for this commit in that environment (or an override accepted a NO_GO)
 * @param deployed a successful deploy of this commit to that environment was recorded
 * @param evaluationId the evaluation that gave the GO, when {@code go}
 * @param artifactDigest the artifact ({@code sha256:...}) of the newest successful deploy of this commit there, when
 *     its deploy record named one; the verdict's attestation names it as a subject (added without a version bump)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CandidateStatus(boolean go, boolean deployed, String evaluationId, String artifactDigest) {
  /** Without an artifact digest. */
  public CandidateStatus(boolean go, boolean deployed, String evaluationId) {
    this(go, deployed, evaluationId, null);
  }
}
