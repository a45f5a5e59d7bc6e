package dev.tollgate.deploy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Real HTTP calls to a gate, with a bearer token. */
public final class Api {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;
  private final String token;

  public Api(int port, String token) {
    this.port = port;
    this.token = token;
  }

  /** A response: status, headers and the body parsed as JSON (null when empty or not JSON). */
  public record Response(int status, HttpResponse<String> raw, JsonNode json) {
    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    public String body() {
      return raw.body();
    }
  }

  public Response get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  /**
   * The audit record of {@code kind} about evaluation {@code evaluationId}, as the audit API shows this token once the
   * views have read it (the API reads an index; the audit topic read whole per try is slow).
   */
  public JsonNode awaitAudit(String kind, String evaluationId) throws InterruptedException {
    for (long until = Waits.deadline(Duration.ofSeconds(30)); System.nanoTime() < until; ) {
      for (JsonNode a : get("/api/v1/audit?kind=" + kind + "&limit=200").json().path("items")) {
        if (a.path("evaluationId").asText().equals(evaluationId)) {
          return a;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no " + kind + " audit record of " + evaluationId);
  }

  public Response post(String path, String json) {
    return post(path, json, "application/json");
  }

  public Response post(String path, String body, String contentType, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  public Response delete(String path, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
    if (json == null) {
      b.DELETE();
    } else {
      b.method("DELETE", HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json");
    }
    return send(b);
  }

  /** Posts an evaluation and waits up to {@code waitSeconds} for its verdict. */
  /**
   * Requests an evaluation and waits for its verdict: {@code waitSeconds} on the request, then, on a busy machine
   * where it is not decided by then, further long polls within {@link Waits#budget} (a test asserts what was
   * decided, never how fast: that is bench/'s).
   */
  public Response evaluate(String json, int waitSeconds) {
    Response r = post("/api/v1/evaluations?waitSeconds=" + waitSeconds, json);
    long deadline = Waits.deadline(Duration.ofSeconds(waitSeconds));
    while (r.status() / 100 == 2 && r.json() != null && "PENDING".equals(r.json().path("status").asText())
        && System.nanoTime() < deadline) {
      Response again = get("/api/v1/evaluations/" + r.json().path("id").asText() + "?waitSeconds=" + Math.min(waitSeconds, 60));
      if (again.status() != 200) {
        return again;
      }
      r = again;
    }
    return r;
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private Response send(HttpRequest.Builder builder) {
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = CLIENT.send(builder.timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      try {
        json = r.body().isEmpty() ? null : Json.mapper().readTree(r.body());
      } catch (IOException e) {
        // not JSON: leave null, the test looks at body()
      }
      return new Response(r.statusCode(), r, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
