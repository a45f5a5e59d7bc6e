package dev.tollgate.deploy.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.evaluation.RepositoryLocation;
import dev.tollgate.gate.github.GitHubSettings;
import dev.tollgate.gate.github.InstallationTokens;
import dev.tollgate.gate.github.WebhookSignature;
import dev.tollgate.probes.repo.GitCredentials;
import dev.tollgate.probes.repo.RepoAccessException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GitHub App's authentication, the one place that holds its private key (protocols §1.9): an RS256 App JWT is
 * exchanged for installation access tokens ({@code POST /app/installations/{id}/access_tokens}), cached per
 * installation until five minutes before they expire; repositories are mapped to their installation with
 * {@code GET /repos/{owner}/{repo}/installation}.
 *
 * <p>Serves the gate ({@link InstallationTokens}: reviews and statuses) and the workers ({@link GitCredentials}:
 * clone and fetch as {@code x-access-token} with the token as password). An installation only ever acts for the
 * tenant {@code github.installations} gives it, so one tenant's private repository is never read for another.
 *
 * <p>Tokens are opaque: no length or format is assumed (GitHub is rolling out longer, stateless tokens). No token,
 * JWT or key is logged or shown by {@code toString()}.
 */
public final class GitHubAppAuth implements InstallationTokens, GitCredentials {
  private static final Logger log = LoggerFactory.getLogger(GitHubAppAuth.class);
  /** Tokens are renewed this long before GitHub's {@code expires_at} (they last an hour). */
  static final Duration RENEW_BEFORE = Duration.ofMinutes(5);
  /** How long a repository → installation answer is reused (installations rarely change). */
  static final Duration INSTALLATION_TTL = Duration.ofMinutes(10);

  private final GitHubConfig config;
  private final AppJwt jwt;
  private final HttpClient http;
  private final String webBase;
  private final Cache<Long, Token> tokens;
  private final Cache<String, Optional<Long>> installationsByRepo;

  /** An installation token and when GitHub says it expires. */
  private static final class Token {
    final String value;
    final Instant expiresAt;

    Token(String value, Instant expiresAt) {
      this.value = value;
      this.expiresAt = expiresAt;
    }

    @Override
    public String toString() {
      return "Token[expiresAt=" + expiresAt + ", value=(redacted)]";
    }
  }

  public GitHubAppAuth(GitHubConfig config, Clock clock, MeterRegistry meters) {
    this(config, clock, Ticker.systemTicker(), HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER).build(), meters);
  }

  /**
   * @param ticker the caches' time source; tests advance it instead of sleeping
   */
  GitHubAppAuth(GitHubConfig config, Clock clock, Ticker ticker, HttpClient http, MeterRegistry meters) {
    this.config = config;
    this.jwt = new AppJwt(config.appId(), config.privateKey(), clock);
    this.http = http;
    String probe = RepositoryLocation.parse(config.webUrl() + "/x").value();
    this.webBase = probe.substring(0, probe.length() - 2);
    this.tokens = Caffeine.newBuilder().maximumSize(10_000).ticker(ticker).expireAfter(new Expiry<Long, Token>() {
      @Override
      public long expireAfterCreate(Long id, Token token, long now) {
        return Math.max(0, Duration.between(clock.instant(), token.expiresAt.minus(RENEW_BEFORE)).toNanos());
      }

      @Override
      public long expireAfterUpdate(Long id, Token token, long now, long current) {
        return expireAfterCreate(id, token, now);
      }

      @Override
      public long expireAfterRead(Long id, Token token, long now, long current) {
        return current;
      }
    }).recordStats().build();
    this.installationsByRepo = Caffeine.newBuilder().maximumSize(10_000).ticker(ticker).expireAfterWrite(INSTALLATION_TTL)
        .recordStats().build();
    CaffeineCacheMetrics.monitor(meters, tokens, "tollgate.github.tokens");
    CaffeineCacheMetrics.monitor(meters, installationsByRepo, "tollgate.github.installations");
  }

  /** What the gate needs of the configuration (the webhook secret as a signature checker, no private key). */
  public GitHubSettings gateSettings() {
    return new GitHubSettings(config.appId(), new WebhookSignature(config.webhookSecret()), config.apiUrl(), config.webUrl(),
        config.dashboardUrl(), config.installations());
  }

  @Override
  public String token(long installationId) {
    if (!config.installations().containsKey(installationId)) {
      throw new IllegalStateException("installation " + installationId + " is not listed in github.installations");
    }
    return tokens.get(installationId, this::issue).value;
  }

  @Override
  public void invalidate(long installationId) {
    tokens.invalidate(installationId);
  }

  @Override
  public Optional<Long> installationFor(String tenant, String repositoryUrl) {
    String ownerRepo = ownerRepo(repositoryUrl);
    if (ownerRepo == null) {
      return Optional.empty();
    }
    Optional<Long> installation = installationsByRepo.get(ownerRepo.toLowerCase(Locale.ROOT), k -> lookUpInstallation(ownerRepo));
    // Only an installation configured for this very tenant may act: nothing is shared between tenants.
    return installation.filter(id -> tenant.equals(config.installations().get(id)));
  }

  @Override
  public Optional<Credentials> lookup(String tenant, String repositoryUrl) {
    if (ownerRepo(repositoryUrl) == null) {
      return Optional.empty(); // another host: not ours to authenticate
    }
    try {
      return installationFor(tenant, repositoryUrl).map(id -> new Credentials("x-access-token", token(id)));
    } catch (RuntimeException e) {
      throw new RepoAccessException("cannot get GitHub App credentials: " + e.getMessage(), e);
    }
  }

  /** {@code owner/name} when the URL is a repository on the configured GitHub host, else null. */
  String ownerRepo(String repositoryUrl) {
    RepositoryLocation location;
    try {
      location = RepositoryLocation.parse(repositoryUrl);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (location.isLocal() || !location.isUnder(webBase)) {
      return null;
    }
    String[] parts = location.identity().substring(webBase.length() + 1).split("/");
    return parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty() ? parts[0] + "/" + parts[1] : null;
  }

  private Token issue(long installationId) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(config.apiUrl() + "/app/installations/" + installationId
        + "/access_tokens")).POST(HttpRequest.BodyPublishers.noBody()));
    if (r.statusCode() != 201) {
      throw new IllegalStateException("GitHub issued no token for installation " + installationId + ": HTTP " + r.statusCode()
          + message(r.body()));
    }
    JsonNode body = parse(r.body());
    String value = body.path("token").asText("");
    Instant expiresAt;
    try {
      expiresAt = Instant.parse(body.path("expires_at").asText(""));
    } catch (DateTimeParseException e) {
      throw new IllegalStateException("GitHub's token answer for installation " + installationId + " has no valid expires_at");
    }
    if (value.isBlank() || value.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      throw new IllegalStateException("GitHub's token answer for installation " + installationId + " has no usable token");
    }
    log.atInfo().addKeyValue("event", "github.token.issued").addKeyValue("installationId", installationId)
        .addKeyValue("expiresAt", expiresAt.toString()).log("installation token issued");
    return new Token(value, expiresAt);
  }

  private Optional<Long> lookUpInstallation(String ownerRepo) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(config.apiUrl() + "/repos/" + ownerRepo + "/installation")).GET());
    if (r.statusCode() == 404) {
      return Optional.empty(); // the App is not installed on this repository
    }
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GitHub could not say which installation covers " + ownerRepo + ": HTTP " + r.statusCode()
          + message(r.body()));
    }
    long id = parse(r.body()).path("id").asLong(0);
    if (id <= 0) {
      throw new IllegalStateException("GitHub's installation answer for " + ownerRepo + " has no id");
    }
    return Optional.of(id);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(10))
          .header("Authorization", "Bearer " + jwt.create())
          .header("Accept", "application/vnd.github+json")
          .header("X-GitHub-Api-Version", "2022-11-28")
          .header("User-Agent", "tollgate").build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("GitHub API unreachable at " + config.apiUrl() + ": " + e.getClass().getSimpleName(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling GitHub", e);
    }
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode node = Json.mapper().readTree(body == null ? "" : body);
      return node == null ? Json.mapper().createObjectNode() : node;
    } catch (IOException e) {
      throw new IllegalStateException("GitHub answered with something that is not JSON");
    }
  }

  private static String message(String body) {
    try {
      JsonNode node = Json.mapper().readTree(body == null ? "" : body);
      String m = node == null ? "" : node.path("message").asText("").replaceAll("[\\r\\n\\t]", " ");
      return m.isEmpty() ? "" : " (" + (m.length() > 200 ? m.substring(0, 200) + "…" : m) + ")";
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public String toString() {
    return "GitHubAppAuth[appId=" + config.appId() + ", apiUrl=" + config.apiUrl() + "]";
  }
}
