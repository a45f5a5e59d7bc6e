package dev.tollgate.deploy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A Server-Sent Events client for tests: collects every {@code evaluation} event's JSON as it arrives. */
public final class EventStream implements AutoCloseable {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();
  private final InputStream body;
  private final Thread reader;
  private final int status;
  private volatile boolean ended;

  /**
   * Opens {@code GET path} with the given header pairs (a bearer token or a session cookie) and waits for the
   * response headers.
   */
  public EventStream(int port, String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(SessionClient.uri(port, path)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    HttpResponse<InputStream> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    status = r.statusCode();
    body = r.body();
    reader = new Thread(this::read, "test-sse-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String event = null;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ") && "evaluation".equals(event)) {
          events.add(Json.read(line.substring(6).getBytes(StandardCharsets.UTF_8), JsonNode.class));
        } else if (line.isEmpty()) {
          event = null;
        }
      }
    } catch (IOException e) {
      // closed or reset by the server
    } finally {
      ended = true;
    }
  }

  /** True once the server ended the stream (or it was closed here). */
  public boolean ended() {
    return ended;
  }

  /** The HTTP status of the stream's response. */
  public int status() {
    return status;
  }

  /** Every event so far. */
  public List<JsonNode> events() {
    return new ArrayList<>(events);
  }

  /** Waits up to {@code timeout} for an event that {@code match} accepts. */
  public JsonNode await(Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
    long deadline = Waits.deadline(timeout);
    while (System.nanoTime() < deadline) {
      for (JsonNode e : events) {
        if (match.test(e)) {
          return e;
        }
      }
      Thread.sleep(20);
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    body.close();
  }
}
