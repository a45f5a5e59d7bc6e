package dev.tollgate.gate.attestation;

/** Where an evaluation's signed attestation is served: the one place its URL is spelled. */
public final class AttestationLinks {
  private AttestationLinks() {}

  /** The API path of revision {@code revision} of an evaluation's attestation. */
  public static String path(String evaluationId, int revision) {
    return "/api/v1/evaluations/" + evaluationId + "/attestation?revision=" + revision;
  }

  /**
   * The absolute URL under {@code baseUrl} (the configured dashboard URL, which is also the API's), or the path alone
   * when no base URL is configured.
   */
  public static String url(String baseUrl, String evaluationId, int revision) {
    return (baseUrl == null ? "" : baseUrl) + path(evaluationId, revision);
  }
}
