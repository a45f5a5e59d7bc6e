package dev.tollgate.probes.calendar;

import java.util.List;

/**
 * Freeze periods kept by the platform that hosts a repository rather than in Tollgate's configuration, such as GitLab's
 * deploy freeze periods (issue #9). Looked up for every calendar check, so a freeze added on the platform applies to
 * the next deploy without touching {@code tollgate.yml}.
 *
 * <p>The calendar probe only defines what it needs; the implementation (an API client with its credentials and a
 * cache) lives in the launcher and is injected through {@link FreezeCalendarProbe#FreezeCalendarProbe(FreezeSource)},
 * as {@code GitCredentials} is, so probe-workers knows no platform and holds no token.
 */
public interface FreezeSource {
  /**
   * The freezes that apply when {@code repositoryUrl} is deployed to {@code environment} for {@code tenant}; empty
   * when this source knows nothing about the repository (another host, another tenant, an environment it does not
   * cover). Implementations answer only for repositories of that tenant. May block (an HTTP call): the probe calls it
   * on the probe pool, inside the check's time budget, so implementations should cache.
   *
   * @param repositoryUrl the normalized repository URL ({@code RepositoryLocation.value()})
   * @throws RuntimeException when the freezes could not be read; the probe then fails closed (a freeze with no known
   *     end, named {@code <name()> unavailable: <message>}), so the message must never hold a secret
   */
  List<ImportedFreeze> freezes(String tenant, String repositoryUrl, String environment);

  /** What the freezes are called in findings when they cannot be read, e.g. {@code GitLab freeze periods}. */
  String name();

  /** A source with no freezes (no platform configured). */
  static FreezeSource none() {
    return new FreezeSource() {
      @Override
      public List<ImportedFreeze> freezes(String tenant, String repositoryUrl, String environment) {
        return List.of();
      }

      @Override
      public String name() {
        return "no imported freezes";
      }
    };
  }
}
