package dev.tollgate.gate.gitlab;

/**
 * A GitLab access token (the bot user's personal, project or group access token). Opaque: no format or length is
 * assumed. Only {@link GitLabApi} and the workers' clone credentials read {@link #value()}; {@link #toString()}
 * never shows it, so a token cannot reach a log line or an exception message through string concatenation.
 */
public final class GitLabToken {
  private final String value;

  /**
   * @throws IllegalArgumentException when empty or holding characters an HTTP header cannot carry (the message never
   *     quotes the token)
   */
  public GitLabToken(String value) {
    if (value == null || value.isEmpty() || value.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      throw new IllegalArgumentException("expected a non-empty token of printable ASCII characters without spaces");
    }
    this.value = value;
  }

  /** The token itself: for the {@code PRIVATE-TOKEN} header and git's basic-auth password only. */
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return "GitLabToken[(redacted)]";
  }
}
