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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dashboard session over plain HTTP, as a browser would hold it: the session cookie from {@code POST /signin} and
 * the CSRF token from its answer. Requests send the cookie and, unless told otherwise, our own Origin.
 */
public final class SessionClient {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern COOKIE = Pattern.compile("tollgate_session=([^;]*)");

  private final int port;
  private final String cookie;
  private final String csrfToken;
  private final HttpResponse<String> signIn;

  private SessionClient(int port, String cookie, String csrfToken, HttpResponse<String> signIn) {
    this.port = port;
    this.cookie = cookie;
    this.csrfToken = csrfToken;
    this.signIn = signIn;
  }

  /** Signs in with {@code token}; fails the test when that does not give a session. */
  public static SessionClient signIn(int port, String token) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(uri(port, "/signin"))
        .header("Content-Type", "application/json").header("Origin", origin(port))
        .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}")));
    if (r.statusCode() != 200) {
      throw new IllegalStateException("sign-in failed: " + r.statusCode() + " " + r.body());
    }
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    Matcher m = COOKIE.matcher(setCookie);
    if (!m.find()) {
      throw new IllegalStateException("no session cookie in " + setCookie);
    }
    return new SessionClient(port, m.group(1), Json.read(r.body().getBytes(), JsonNode.class).path("csrfToken").asText(), r);
  }

  /** The answer to the sign-in (its headers carry the cookie's attributes). */
  public HttpResponse<String> signInResponse() {
    return signIn;
  }

  public String cookie() {
    return cookie;
  }

  public String csrfToken() {
    return csrfToken;
  }

  /** GET with the cookie. */
  public Api.Response get(String path) {
    return response(send(HttpRequest.newBuilder(uri(port, path)).header("Cookie", "tollgate_session=" + cookie).GET()));
  }

  /** POST JSON with the cookie, the given CSRF token (null: none) and Origin (null: none). */
  public Api.Response post(String path, String json, String csrf, String origin) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(port, path)).header("Cookie", "tollgate_session=" + cookie)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    if (csrf != null) {
      b.header("X-CSRF-Token", csrf);
    }
    if (origin != null) {
      b.header("Origin", origin);
    }
    return response(send(b));
  }

  /** POST JSON as the dashboard's own page does: the session's CSRF token, our Origin. */
  public Api.Response post(String path, String json) {
    return post(path, json, csrfToken, origin(port));
  }

  /** The dashboard's own origin. */
  public static String origin(int port) {
    return "http://127.0.0.1:" + port;
  }

  static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** Wraps a raw response like {@link Api} does. */
  public static Api.Response response(HttpResponse<String> r) {
    JsonNode json = null;
    try {
      json = r.body().isEmpty() ? null : Json.mapper().readTree(r.body());
    } catch (IOException e) {
      // not JSON (a page, a CSV file): the test reads body()
    }
    return new Api.Response(r.statusCode(), r, json);
  }

  static HttpResponse<String> send(HttpRequest.Builder b) {
    try {
      return CLIENT.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
