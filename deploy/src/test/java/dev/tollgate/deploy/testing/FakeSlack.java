package dev.tollgate.deploy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.contracts.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A small real Slack Web API for tests (STYLE §8): {@code chat.postMessage}, {@code chat.update}, {@code views.open}
 * and {@code response_url}s, answering like Slack — HTTP 200 with {@code ok:false} and an error code for every
 * refusal (bad token, unknown channel, unknown message), 429 with {@code Retry-After} when a test scripts a rate
 * limit — and recording every call. Messages are kept per channel and {@code ts}, so a test sees what a channel
 * shows now, and an update of a message that was never posted fails as it would on Slack.
 */
public final class FakeSlack implements AutoCloseable {
  /** One recorded call: {@code method} is the Web API method or {@code response}; {@code status} the HTTP status. */
  public record Call(String method, String path, int status, String error, JsonNode body, Instant at) {
    public boolean ok() {
      return status == 200 && error == null;
    }
  }

  /** A message as the channel shows it now. */
  public record Message(String channel, String ts, JsonNode body) {
    /** Everything the message shows, as JSON text. */
    public String text() {
      return body.toString();
    }

    /** The action ids of its buttons. */
    public List<String> buttons() {
      List<String> ids = new ArrayList<>();
      body.path("blocks").forEach(b -> {
        if (b.path("type").asText().equals("actions")) {
          b.path("elements").forEach(e -> ids.add(e.path("action_id").asText() + "=" + e.path("value").asText()));
        }
      });
      return ids;
    }
  }

  /** A scripted answer for the next call of a method to {@code channel}. */
  private record Scripted(int status, String error, long retryAfterSeconds, String channel) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final String botToken;
  private final Set<String> channels;
  private final Map<String, Message> messages = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, ConcurrentLinkedQueue<Scripted>> script = new ConcurrentHashMap<>();
  private final AtomicLong clock = new AtomicLong(1764151200_000100L);

  public FakeSlack(String botToken, Set<String> channels) throws IOException {
    this.botToken = botToken;
    this.channels = Set.copyOf(channels);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** The Web API base ({@code slack.apiUrl}). */
  public String apiUrl() {
    return base() + "/api";
  }

  /** A fresh response_url, as Slack puts one in each interaction and command. */
  public String responseUrl() {
    return base() + "/response/" + UUID.randomUUID();
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The next {@code n} calls of {@code method} to {@code channel} answer 429 with {@code Retry-After: seconds}. */
  public void rateLimit(String method, String channel, int n, long seconds) {
    for (int i = 0; i < n; i++) {
      script.computeIfAbsent(method, k -> new ConcurrentLinkedQueue<>()).add(new Scripted(429, null, seconds, channel));
    }
  }

  /** The next call of {@code method} to {@code channel} answers HTTP 200 {@code ok:false} with {@code error}. */
  public void failNext(String method, String channel, String error) {
    script.computeIfAbsent(method, k -> new ConcurrentLinkedQueue<>()).add(new Scripted(200, error, 0, channel));
  }

  /** Takes the first scripted answer for this method and channel, if any. */
  private Scripted scripted(String method, JsonNode body) {
    String channel = body == null ? "" : body.path("channel").asText("");
    ConcurrentLinkedQueue<Scripted> queue = script.get(method);
    if (queue == null) {
      return null;
    }
    synchronized (queue) {
      for (Scripted s : queue) {
        if (s.channel().equals(channel)) {
          queue.remove(s);
          return s;
        }
      }
    }
    return null;
  }

  /** Someone deletes a message in the channel (Slack then answers message_not_found to chat.update). */
  public void delete(String channel, String ts) {
    messages.remove(channel + "/" + ts);
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Calls of one method whose body mentions {@code text}, in order. */
  public List<Call> calls(String method, String text) {
    return calls.stream().filter(c -> c.method().equals(method) && c.body() != null && c.body().toString().contains(text)).toList();
  }

  /** The messages of a channel whose content mentions {@code text}. */
  public List<Message> messages(String channel, String text) {
    return messages.values().stream().filter(m -> m.channel().equals(channel) && m.text().contains(text)).toList();
  }

  /** Replies posted to one response_url, in order. */
  public List<JsonNode> replies(String responseUrl) {
    String path = responseUrl.substring(base().length());
    return calls.stream().filter(c -> c.path().equals(path)).map(Call::body).toList();
  }

  /** Waits until a message of {@code channel} mentioning {@code text} matches. */
  public Message awaitMessage(String channel, String text, Predicate<Message> match, Duration timeout) throws InterruptedException {
    long deadline = Waits.deadline(timeout);
    while (System.nanoTime() < deadline) {
      for (Message m : messages(channel, text)) {
        if (match.test(m)) {
          return m;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no matching message in " + channel + " within " + timeout + "; messages: " + messages(channel, text)
        + "\ncalls:\n" + describe());
  }

  /** Waits until a recorded call matches. */
  public Call await(Predicate<Call> match, Duration timeout) throws InterruptedException {
    long deadline = Waits.deadline(timeout);
    while (System.nanoTime() < deadline) {
      for (Call c : calls) {
        if (match.test(c)) {
          return c;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no matching call to the fake Slack within " + timeout + "; calls:\n" + describe());
  }

  /** Waits for the first reply to {@code responseUrl}. */
  public JsonNode awaitReply(String responseUrl, Duration timeout) throws InterruptedException {
    String path = responseUrl.substring(base().length());
    return await(c -> c.path().equals(path), timeout).body();
  }

  /** Calls as text for assertion messages (no token is recorded). */
  public String describe() {
    List<String> lines = new ArrayList<>();
    for (Call c : calls) {
      lines.add(c.method() + " " + c.status() + (c.error() == null ? "" : " " + c.error()));
    }
    return String.join("\n", lines);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      byte[] raw;
      try (InputStream in = ex.getRequestBody()) {
        raw = in.readAllBytes();
      }
      JsonNode body = raw.length == 0 ? null : Json.mapper().readTree(raw);
      if (path.startsWith("/response/")) {
        // response_url: no token, JSON in, "ok" out (Slack answers 404 used_url after five uses; tests stay below).
        calls.add(new Call("response", path, 200, null, body, Instant.now()));
        send(ex, 200, "text/plain", "ok");
        return;
      }
      String method = path.startsWith("/api/") ? path.substring(5) : path;
      Scripted s = scripted(method, body);
      if (s != null && s.status() == 429) {
        calls.add(new Call(method, path, 429, "ratelimited", body, Instant.now()));
        ex.getResponseHeaders().set("Retry-After", Long.toString(s.retryAfterSeconds()));
        send(ex, 429, "application/json", "{\"ok\":false,\"error\":\"ratelimited\"}");
        return;
      }
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      String contentType = ex.getRequestHeaders().getFirst("Content-Type");
      if (auth == null || !auth.equals("Bearer " + botToken)) {
        fail(ex, method, path, body, "invalid_auth");
      } else if (contentType == null || !contentType.startsWith("application/json")) {
        fail(ex, method, path, body, "invalid_form_data");
      } else if (s != null) {
        fail(ex, method, path, body, s.error());
      } else if (method.equals("chat.postMessage")) {
        String channel = body.path("channel").asText("");
        if (!channels.contains(channel)) {
          fail(ex, method, path, body, "channel_not_found");
          return;
        }
        if (!body.path("text").isTextual() || body.path("blocks").size() > 50) {
          fail(ex, method, path, body, "invalid_blocks");
          return;
        }
        long t = clock.incrementAndGet();
        String ts = (t / 1_000_000) + "." + String.format("%06d", t % 1_000_000);
        messages.put(channel + "/" + ts, new Message(channel, ts, content(body)));
        ok(ex, method, path, body, Json.mapper().createObjectNode().put("ok", true).put("channel", channel).put("ts", ts));
      } else if (method.equals("chat.update")) {
        String key = body.path("channel").asText("") + "/" + body.path("ts").asText("");
        if (!messages.containsKey(key)) {
          fail(ex, method, path, body, "message_not_found");
          return;
        }
        messages.put(key, new Message(body.path("channel").asText(), body.path("ts").asText(), content(body)));
        ok(ex, method, path, body, Json.mapper().createObjectNode().put("ok", true).put("channel", body.path("channel").asText())
            .put("ts", body.path("ts").asText()));
      } else if (method.equals("views.open")) {
        if (body.path("trigger_id").asText("").isEmpty() || !body.path("view").path("type").asText().equals("modal")) {
          fail(ex, method, path, body, "invalid_arguments");
          return;
        }
        ObjectNode answer = Json.mapper().createObjectNode().put("ok", true);
        answer.putObject("view").put("id", "V" + clock.incrementAndGet());
        ok(ex, method, path, body, answer);
      } else {
        fail(ex, method, path, body, "unknown_method");
      }
    } catch (RuntimeException e) {
      calls.add(new Call("error", ex.getRequestURI().getRawPath(), 500, e.toString(), null, Instant.now()));
      ex.sendResponseHeaders(500, -1);
    }
  }

  private static JsonNode content(JsonNode body) {
    ObjectNode c = Json.mapper().createObjectNode();
    c.set("text", body.path("text"));
    c.set("blocks", body.path("blocks"));
    return c;
  }

  private void ok(HttpExchange ex, String method, String path, JsonNode body, ObjectNode answer) throws IOException {
    calls.add(new Call(method, path, 200, null, body, Instant.now()));
    send(ex, 200, "application/json", answer.toString());
  }

  private void fail(HttpExchange ex, String method, String path, JsonNode body, String error) throws IOException {
    calls.add(new Call(method, path, 200, error, body, Instant.now()));
    send(ex, 200, "application/json", "{\"ok\":false,\"error\":\"" + error + "\"}");
  }

  private static void send(HttpExchange ex, int status, String type, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
