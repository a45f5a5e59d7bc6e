package dev.tollgate.gate.github;

import java.util.Optional;

/**
 * GitHub App installation access tokens, as the gate needs them. Implemented once by the launcher (JWT, token
 * exchange, cache) and injected, so the gate never holds the App's private key.
 *
 * <p>Implementations never log a token, and {@code toString()} of anything holding one hides it.
 */
public interface InstallationTokens {
  /**
   * A token for the installation that is valid for at least a few minutes. May block (an HTTP call to GitHub);
   * call it from a worker thread, never the event loop.
   *
   * @throws RuntimeException when GitHub did not issue one (the caller retries later)
   */
  String token(long installationId);

  /** Forgets a cached token GitHub refused (401), so the next call gets a new one. */
  void invalidate(long installationId);

  /**
   * The installation of this App that covers {@code repositoryUrl}, when that installation belongs to
   * {@code tenant} in the configuration; empty for repositories on other hosts or of other tenants. May block.
   *
   * @throws RuntimeException when GitHub could not be asked
   */
  Optional<Long> installationFor(String tenant, String repositoryUrl);
}
