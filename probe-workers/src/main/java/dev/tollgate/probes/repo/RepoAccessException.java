package dev.tollgate.probes.repo;

/** A repository or commit could not be read. The message is safe to show (no credentials, no content). */
public final class RepoAccessException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RepoAccessException(String message) {
    super(message);
  }

  public RepoAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
