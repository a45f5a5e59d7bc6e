package dev.tollgate.gate.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Slack Web API calls the gate makes (protocols §3.3, §3.4): {@code chat.postMessage}, {@code chat.update},
 * {@code views.open}, and replies to a {@code response_url}. Each call is <em>one</em> attempt whose {@link Result}
 * says whether and when to try again: Slack answers errors as HTTP 200 with {@code ok:false}, rate limits as 429
 * with {@code Retry-After}. {@link #withRetries} retries a call a few times for the interactive paths; the reporter
 * schedules its own retries so one slow channel does not hold up the others.
 *
 * <p>Blocking (java.net.http): call it from the reporter's thread or a worker thread. The bot token is sent only to
 * {@link SlackSettings#apiUrl()} and never logged; request bodies are never logged either.
 */
public final class SlackApi {
  private static final Logger log = LoggerFactory.getLogger(SlackApi.class);
  /** {@code ok:false} errors that are Slack's own trouble: the same call may work later. */
  static final Set<String> TRANSIENT_ERRORS = Set.of("internal_error", "fatal_error", "service_unavailable",
      "request_timeout", "ratelimited", "rate_limited", "team_added_to_org", "timeout");
  /** Longest wait a {@code Retry-After} may impose on one call (Slack asks for seconds, rarely a minute). */
  static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(2);

  /** How one attempt ended. */
  public enum Outcome {
    /** Slack did it ({@code ok:true}). */
    OK,
    /** 429: wait {@link Result#retryAfter()} and try again. */
    RATE_LIMITED,
    /** No answer, a 5xx, or an {@code ok:false} error that is Slack's own: try again later. */
    TRANSIENT,
    /** {@code ok:false} with an error that retrying cannot fix (channel_not_found, invalid_auth, …), or a 4xx. */
    REFUSED
  }

  /**
   * One attempt's result.
   *
   * @param error Slack's error code ({@code channel_not_found}), {@code http_<status>} or an exception's class name
   * @param ts the message's {@code ts} when a message was posted
   * @param retryAfter Slack's {@code Retry-After}, when it sent one
   */
  public record Result(Outcome outcome, String error, String ts, Duration retryAfter) {
    public boolean ok() {
      return outcome == Outcome.OK;
    }

    static Result ok(String ts) {
      return new Result(Outcome.OK, null, ts, null);
    }
  }

  /** Waits between attempts; tests pass one that records instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final SlackSettings settings;
  private final HttpClient http;
  private final Sleeper sleeper;
  private final MeterRegistry meters;

  public SlackApi(SlackSettings settings, MeterRegistry meters) {
    this(settings, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER).build(), d -> Thread.sleep(d.toMillis()), meters);
  }

  SlackApi(SlackSettings settings, HttpClient http, Sleeper sleeper, MeterRegistry meters) {
    this.settings = settings;
    this.http = http;
    this.sleeper = sleeper;
    this.meters = meters;
  }

  /**
   * Posts a message ({@code chat.postMessage}).
   *
   * @param message {@code {text, blocks}}
   */
  public Result postMessage(String channel, ObjectNode message, String requestId) {
    ObjectNode body = message.deepCopy();
    body.put("channel", channel);
    body.put("unfurl_links", false);
    return callApi("chat.postMessage", body, requestId);
  }

  /** Replaces a message the bot posted ({@code chat.update}). */
  public Result update(String channel, String ts, ObjectNode message, String requestId) {
    ObjectNode body = message.deepCopy();
    body.put("channel", channel);
    body.put("ts", ts);
    return callApi("chat.update", body, requestId);
  }

  /** Opens a modal ({@code views.open}); the trigger id is valid for about 3 s after the click. */
  public Result openView(String triggerId, ObjectNode view, String requestId) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("trigger_id", triggerId);
    body.set("view", view);
    return callApi("views.open", body, requestId);
  }

  /**
   * Replies through an interaction's {@code response_url} (no token: the URL is the credential). Refused without a
   * call when the URL is not Slack's (see {@link SlackSettings#isResponseUrl}).
   */
  public Result respond(String responseUrl, ObjectNode message, String requestId) {
    if (!settings.isResponseUrl(responseUrl)) {
      log.atWarn().addKeyValue("event", "slack.response-url.refused").addKeyValue("requestId", requestId)
          .log("response_url is not a Slack URL; no reply sent");
      return new Result(Outcome.REFUSED, "untrusted_response_url", null, null);
    }
    return call("response", responseUrl, null, message, requestId);
  }

  /**
   * Repeats {@code attempt} while it is rate limited or transient, at most {@code maxAttempts} times, waiting Slack's
   * {@code Retry-After} (capped at {@code maxWait}) or a doubling backoff from 250 ms.
   */
  public Result withRetries(java.util.function.Supplier<Result> attempt, int maxAttempts, Duration maxWait) {
    Duration backoff = Duration.ofMillis(250);
    Result r = attempt.get();
    for (int i = 1; i < maxAttempts && (r.outcome() == Outcome.RATE_LIMITED || r.outcome() == Outcome.TRANSIENT); i++) {
      Duration wait = r.retryAfter() != null ? r.retryAfter() : backoff;
      if (wait.compareTo(maxWait) > 0) {
        return r; // Slack wants us to wait longer than this caller can: report the outcome instead
      }
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return r;
      }
      backoff = backoff.multipliedBy(2);
      r = attempt.get();
    }
    return r;
  }

  private Result callApi(String method, ObjectNode body, String requestId) {
    return call(method, settings.apiUrl() + "/" + method, settings.botToken(), body, requestId);
  }

  private Result call(String kind, String url, String token, ObjectNode body, String requestId) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json; charset=utf-8")
        .header("User-Agent", "tollgate")
        .POST(HttpRequest.BodyPublishers.ofString(Json.writeString(body)));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return finish(kind, requestId, new Result(Outcome.TRANSIENT, e.getClass().getSimpleName(), null, null));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return finish(kind, requestId, new Result(Outcome.TRANSIENT, "interrupted", null, null));
    }
    int status = response.statusCode();
    if (status == 429) {
      return finish(kind, requestId, new Result(Outcome.RATE_LIMITED, "ratelimited", null,
          retryAfter(response).orElse(Duration.ofSeconds(1))));
    }
    if (status >= 500) {
      return finish(kind, requestId, new Result(Outcome.TRANSIENT, "http_" + status, null, retryAfter(response).orElse(null)));
    }
    if (status < 200 || status >= 300) {
      // response_url answers 404 used_url / expired_url; the Web API answers 4xx only for malformed requests.
      return finish(kind, requestId, new Result(Outcome.REFUSED, "http_" + status + slackError(response.body()).map(e -> " " + e)
          .orElse(""), null, null));
    }
    if (token == null) {
      return finish(kind, requestId, Result.ok(null)); // response_url answers "ok" or {"ok":true}
    }
    JsonNode answer;
    try {
      answer = Json.mapper().readTree(response.body());
    } catch (IOException e) {
      return finish(kind, requestId, new Result(Outcome.TRANSIENT, "unreadable_answer", null, null));
    }
    if (answer == null || !answer.path("ok").isBoolean()) {
      return finish(kind, requestId, new Result(Outcome.TRANSIENT, "unreadable_answer", null, null));
    }
    if (answer.path("ok").asBoolean()) {
      return finish(kind, requestId, Result.ok(answer.path("ts").asText(null)));
    }
    String error = answer.path("error").asText("unknown_error");
    Outcome outcome = TRANSIENT_ERRORS.contains(error) ? Outcome.TRANSIENT : Outcome.REFUSED;
    return finish(kind, requestId, new Result(outcome, error, null, retryAfter(response).orElse(null)));
  }

  private Result finish(String kind, String requestId, Result r) {
    Counter.builder("tollgate.slack.calls").description("Calls to the Slack API by method and outcome")
        .tag("method", kind).tag("outcome", r.outcome().name().toLowerCase(java.util.Locale.ROOT)).register(meters).increment();
    if (r.ok()) {
      log.atDebug().addKeyValue("event", "slack.call").addKeyValue("method", kind).addKeyValue("requestId", requestId)
          .log("Slack accepted {}", kind);
    } else {
      log.atDebug().addKeyValue("event", "slack.call.unsuccessful").addKeyValue("method", kind)
          .addKeyValue("requestId", requestId).addKeyValue("outcome", r.outcome()).addKeyValue("error", r.error())
          .log("Slack {}: {} ({})", kind, r.outcome(), r.error());
    }
    return r;
  }

  /** Slack's {@code Retry-After} in seconds, capped. */
  static Optional<Duration> retryAfter(HttpResponse<String> response) {
    return response.headers().firstValue("Retry-After").flatMap(v -> {
      try {
        long s = Long.parseLong(v.strip());
        return Optional.of(Duration.ofSeconds(Math.max(0, s)).compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER
            : Duration.ofSeconds(Math.max(0, s)));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    });
  }

  /** A short, safe error code from Slack's body (never the body itself). */
  private static Optional<String> slackError(String body) {
    String b = body == null ? "" : body.strip();
    if (b.matches("[a-z_]{1,64}")) {
      return Optional.of(b);
    }
    try {
      JsonNode n = Json.mapper().readTree(b);
      String e = n == null ? "" : n.path("error").asText("");
      return e.matches("[a-z_]{1,64}") ? Optional.of(e) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
