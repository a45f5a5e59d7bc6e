package dev.tollgate.contracts.history;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What Tollgate knows of the candidate commit in one environment.
 *
 * @param go a GO verdict exists for this commit in that environment (or an override accepted a NO_GO)
 * @param deployed a successful deploy of this commit to that environment was recorded
 * @param evaluationId the evaluation that gave the GO, when {@code go}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CandidateStatus(boolean go, boolean deployed, String evaluationId) {}
