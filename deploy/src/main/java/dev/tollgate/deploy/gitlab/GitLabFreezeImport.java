package dev.tollgate.deploy.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.tollgate.gate.gitlab.GitLabApi;
import dev.tollgate.gate.gitlab.GitLabSettings;
import dev.tollgate.probes.calendar.FreezeSource;
import dev.tollgate.probes.calendar.ImportedFreeze;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GitLab's deploy freeze periods (protocols §2.4) as the calendar probe's {@link FreezeSource}: for a deploy of one of
 * the tenant's GitLab projects, the project's own freeze periods and those of the tenant's {@code freezeProjects}
 * (GitLab has no group-level freeze periods, gitlab#211943, so a project can stand for the group), each a freeze
 * named {@code GitLab freeze} with GitLab's cron start, cron end and time zone. The calendar engine applies them at
 * every evaluation (not only when a pipeline is created, unlike GitLab's {@code CI_DEPLOY_FREEZE}, gitlab#336354).
 *
 * <p>Read as the tenant's bot (which needs the Maintainer role to list freeze periods) through the gate's
 * {@link GitLabApi}, and cached per project in Caffeine: reused for {@code refresh}; when GitLab cannot be read, the
 * last copy is used while younger than {@code maxStale} (logged), else the import fails and the probe fails closed. A
 * failed read is not retried for 30 s, so a GitLab outage is not hammered by every check.
 */
public final class GitLabFreezeImport implements FreezeSource {
  private static final Logger log = LoggerFactory.getLogger(GitLabFreezeImport.class);
  /** The name of every imported window in findings and on the dashboard. */
  public static final String WINDOW_NAME = "GitLab freeze";
  static final Duration FAILURE_BACKOFF = Duration.ofSeconds(30);

  private final GitLabSettings settings;
  private final GitLabApi api;
  private final GitLabConfig.Freezes config;
  private final Ticker ticker;
  private final Cache<String, Copy> copies;
  private final Cache<String, String> failures;

  /** One project's periods as read at {@code readAt} (ticker nanos). */
  private record Copy(List<ImportedFreeze> freezes, long readAt) {}

  public GitLabFreezeImport(GitLabSettings settings, GitLabApi api, GitLabConfig.Freezes config, MeterRegistry meters) {
    this(settings, api, config, Ticker.systemTicker(), meters);
  }

  /** @param ticker the caches' time source; tests advance it instead of sleeping */
  GitLabFreezeImport(GitLabSettings settings, GitLabApi api, GitLabConfig.Freezes config, Ticker ticker, MeterRegistry meters) {
    this.settings = settings;
    this.api = api;
    this.config = config;
    this.ticker = ticker;
    this.copies = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(config.maxStale()).ticker(ticker).recordStats().build();
    this.failures = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(FAILURE_BACKOFF).ticker(ticker).build();
    CaffeineCacheMetrics.monitor(meters, copies, "tollgate.gitlab.freezes");
  }

  @Override
  public String name() {
    return "GitLab freeze periods";
  }

  @Override
  public List<ImportedFreeze> freezes(String tenant, String repositoryUrl, String environment) {
    if (!config.enabled() || !config.environments().isEmpty() && !config.environments().contains(environment)) {
      return List.of();
    }
    var project = settings.projectPath(repositoryUrl);
    if (project.isEmpty() || settings.tenantOf(project.get()).filter(t -> t.name().equals(tenant)).isEmpty()) {
      return List.of(); // not this tenant's GitLab project: nothing of GitLab's applies, and no bot may ask for it
    }
    Set<String> projects = new LinkedHashSet<>();
    projects.add(project.get());
    projects.addAll(config.projects().getOrDefault(tenant, List.of()));
    List<ImportedFreeze> out = new ArrayList<>();
    for (String p : projects) {
      out.addAll(periods(tenant, p));
    }
    return out;
  }

  private List<ImportedFreeze> periods(String tenant, String project) {
    String key = tenant + "|" + project;
    Copy copy = copies.getIfPresent(key);
    long now = ticker.read();
    if (copy != null && now - copy.readAt() < config.refresh().toNanos()) {
      return copy.freezes();
    }
    String failed = failures.getIfPresent(key);
    if (failed == null) {
      try {
        List<ImportedFreeze> read = read(tenant, project);
        copies.put(key, new Copy(read, now));
        return read;
      } catch (RuntimeException e) {
        failed = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        failures.put(key, failed);
      }
    }
    if (copy != null) {
      // Degraded but handled: GitLab's freezes rarely change, and the copy is younger than maxStale (the cache's expiry).
      log.atWarn().addKeyValue("event", "gitlab.freezes.stale").addKeyValue("tenant", tenant).addKeyValue("project", project)
          .log("GitLab freeze periods could not be read ({}); using the copy read {} s ago", failed,
              Duration.ofNanos(now - copy.readAt()).toSeconds());
      return copy.freezes();
    }
    throw new IllegalStateException(failed);
  }

  private List<ImportedFreeze> read(String tenant, String project) {
    List<ImportedFreeze> out = new ArrayList<>();
    for (JsonNode period : api.freezePeriods(tenant, project, "freeze-import")) {
      long id = period.path("id").asLong(0);
      String start = period.path("freeze_start").asText("");
      String end = period.path("freeze_end").asText("");
      String zoneName = period.path("cron_timezone").asText("UTC");
      ZoneId zone;
      try {
        zone = ZoneId.of(zoneName.isBlank() ? "UTC" : zoneName.strip());
      } catch (DateTimeException e) {
        // Fail closed: a freeze whose hours cannot be placed cannot be honoured.
        throw new IllegalStateException("freeze period " + id + " of " + project + " has a time zone Tollgate does not know: \""
            + (zoneName.length() > 60 ? zoneName.substring(0, 60) : zoneName) + "\"");
      }
      out.add(new ImportedFreeze(WINDOW_NAME, start, end, zone, "gitlab " + project + " freeze period " + id));
    }
    log.atDebug().addKeyValue("event", "gitlab.freezes.read").addKeyValue("tenant", tenant).addKeyValue("project", project)
        .addKeyValue("count", out.size()).log("GitLab freeze periods read");
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return "GitLabFreezeImport[" + settings.baseUrl() + "]";
  }
}
