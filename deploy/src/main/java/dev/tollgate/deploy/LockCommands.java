package dev.tollgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tollgate lock|unlock|queue}: a running gate's locks and queue through its API (docs/locks.md). Exit codes:
 * 0 done, 1 refused (someone else holds the lock, not allowed, not locked), 2 usage, network or server error.
 */
final class LockCommands {
  static final int DONE = 0;
  static final int REFUSED = 1;
  static final int ERROR = 2;

  private LockCommands() {}

  /** Where the gate is and who calls it: the token from a file or {@code TOLLGATE_TOKEN}, never the command line. */
  static class Server {
    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:TOLLGATE_URL:-http://127.0.0.1:8080}",
        description = "The gate's base URL (default: $TOLLGATE_URL or ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--token-file", paramLabel = "FILE", description = "A file holding the API token (default: $TOLLGATE_TOKEN)")
    Path tokenFile;

    @Option(names = "--tenant", description = "The tenant (default: the token's only tenant)")
    String tenant;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
    String format;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    String token() throws IOException {
      String token = tokenFile != null ? Files.readString(tokenFile).strip() : System.getenv("TOLLGATE_TOKEN");
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("no token: set TOLLGATE_TOKEN or pass --token-file");
      }
      return token;
    }

    /** Sends one request; prints the answer; returns the exit code. */
    int send(String method, String path, ObjectNode body) throws IOException, InterruptedException {
      if (!format.equals("text") && !format.equals("json")) {
        throw new IllegalArgumentException("--format: expected text or json, got \"" + format + "\"");
      }
      URI uri;
      try {
        uri = URI.create(url.replaceAll("/+$", "") + path);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--server: not a URL: " + url);
      }
      HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + token());
      if (body != null) {
        if (tenant != null) {
          body.put("tenant", tenant);
        }
        b.method(method, HttpRequest.BodyPublishers.ofString(Json.writeString(body))).header("Content-Type", "application/json");
      } else {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> r;
      try {
        r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(b.build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (java.net.ConnectException e) {
        throw new IOException("cannot reach the gate at " + url + " (is it running? --server or TOLLGATE_URL)", e);
      }
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      JsonNode json;
      try {
        json = r.body().isEmpty() ? Json.mapper().createObjectNode() : Json.mapper().readTree(r.body());
      } catch (IOException e) {
        err.println("tollgate: the gate answered " + r.statusCode() + " without JSON");
        return ERROR;
      }
      int code = r.statusCode() / 100 == 2 ? DONE : r.statusCode() == 409 || r.statusCode() == 403 || r.statusCode() == 404
          ? REFUSED : ERROR;
      if (format.equals("json")) {
        out.println(Json.writeString(json));
      } else if (code == DONE) {
        out.println(text(json));
      } else {
        err.println("tollgate: " + json.path("title").asText("HTTP " + r.statusCode()) + ": " + json.path("detail").asText(""));
      }
      return code;
    }
  }

  /** The text form of a lock or queue answer. */
  static String text(JsonNode json) {
    if (json.has("message")) {
      return json.path("message").asText();
    }
    StringBuilder b = new StringBuilder();
    String env = json.path("environment").asText();
    if (json.path("locks").isEmpty()) {
      b.append(env).append(": not locked\n");
    }
    for (JsonNode l : json.path("locks")) {
      b.append(env).append(l.path("repository").isTextual() ? " (" + l.path("repository").asText() + ")" : "")
          .append(": ").append(l.path("kind").asText().toLowerCase(java.util.Locale.ROOT)).append(" lock by ")
          .append(l.path("holder").asText()).append(" since ").append(l.path("since").asText()).append(" until ")
          .append(l.path("expiresAt").asText()).append(" (lock ").append(l.path("lockId").asText()).append("): ")
          .append(l.path("reason").asText()).append('\n');
    }
    if (json.has("inFlight")) {
      b.append("in flight (max ").append(json.path("maxInFlight").asInt()).append("):\n");
      json.path("inFlight").forEach(e -> b.append("  ").append(entry(e)).append('\n'));
      b.append("queue:\n");
      int[] n = {0};
      json.path("queue").forEach(e -> b.append("  ").append(++n[0]).append(". ").append(entry(e)).append('\n'));
      b.append("held by a lock:\n");
      json.path("locked").forEach(e -> b.append("  ").append(entry(e)).append('\n'));
    }
    return b.toString().stripTrailing();
  }

  private static String entry(JsonNode e) {
    return e.path("evaluationId").asText() + " " + e.path("repository").asText() + " "
        + e.path("commit").asText().substring(0, Math.min(12, e.path("commit").asText().length())) + " by "
        + e.path("submittedBy").asText("unknown");
  }

  static String path(String environment, String what) {
    return "/api/v1/environments/" + URLEncoder.encode(environment, StandardCharsets.UTF_8) + "/" + what;
  }

  @Command(name = "lock", mixinStandardHelpOptions = true,
      description = "Lock an environment (or a repository in it): its deploys are held until you unlock. Exit 0 locked, "
          + "1 refused (someone else holds it, or you may not lock), 2 error.")
  static final class Lock implements Callable<Integer> {
    @CommandLine.Mixin
    Server server = new Server();

    @Parameters(index = "0", paramLabel = "ENV")
    String environment;

    @Option(names = "--reason", required = true, description = "Why (10-500 characters)")
    String reason;

    @Option(names = "--for", paramLabel = "DURATION", description = "How long, e.g. 2h (default: the environment's locks.defaultFor)")
    String duration;

    @Option(names = "--kind", defaultValue = "freeze", description = "freeze (nobody deploys) or deploy (only your own deploys pass)")
    String kind;

    @Option(names = "--repository", description = "Lock only this repository")
    String repository;

    @Override
    public Integer call() throws Exception {
      ObjectNode body = Json.mapper().createObjectNode().put("reason", reason).put("kind", kind);
      if (duration != null) {
        body.put("for", duration);
      }
      if (repository != null) {
        body.put("repository", repository);
      }
      return server.send("POST", path(environment, "lock"), body);
    }
  }

  @Command(name = "unlock", mixinStandardHelpOptions = true,
      description = "Release your lock; an administrator breaks someone else's with --lock-id and --reason. Exit 0 "
          + "unlocked, 1 refused, not locked or no longer that lock, 2 error.")
  static final class Unlock implements Callable<Integer> {
    @CommandLine.Mixin
    Server server = new Server();

    @Parameters(index = "0", paramLabel = "ENV")
    String environment;

    @Option(names = "--reason", description = "Why an administrator breaks someone else's lock (10-500 characters)")
    String reason;

    @Option(names = "--repository", description = "The repository's lock rather than the environment's")
    String repository;

    @Option(names = "--lock-id", description = "The lock you mean (`tollgate queue` shows it): refused if another lock "
        + "replaced it meanwhile. Required to break; without it you release only your own current lock")
    String lockId;

    @Override
    public Integer call() throws Exception {
      ObjectNode body = Json.mapper().createObjectNode();
      if (lockId != null) {
        body.put("lockId", lockId);
      }
      if (reason != null) {
        body.put("reason", reason);
      }
      if (repository != null) {
        body.put("repository", repository);
      }
      return server.send("DELETE", path(environment, "lock"), body);
    }
  }

  @Command(name = "queue", mixinStandardHelpOptions = true,
      description = "Show an environment's lock, deploys in flight and queue. Exit 0, 2 error.")
  static final class Queue implements Callable<Integer> {
    @CommandLine.Mixin
    Server server = new Server();

    @Parameters(index = "0", paramLabel = "ENV")
    String environment;

    @Override
    public Integer call() throws Exception {
      return server.send("GET", path(environment, "queue") + (server.tenant == null ? ""
          : "?tenant=" + URLEncoder.encode(server.tenant, StandardCharsets.UTF_8)), null);
    }
  }
}
