package dev.tollgate.gate.dashboard;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's static files (HTML, CSS, JavaScript modules), read from {@code webroot/} on the classpath once at
 * start and served from memory: the gate runs with a read-only root file system, where Vert.x's static handler
 * would try to unpack classpath files to a cache directory. The list is explicit (no scanning), so a file missing
 * from the jar fails the start instead of a page.
 */
public final class Assets {
  /** Every file under webroot/, by its path there. */
  static final List<String> FILES = List.of(
      "evaluations.html", "evaluation.html", "environments.html", "audit.html", "signin.html",
      "app.css", "favicon.svg",
      "js/api.js", "js/ui.js", "js/nav.js", "js/signin.js", "js/evaluations.js", "js/evaluation.js",
      "js/environments.js", "js/audit.js",
      "delivery.html", "delivery.css", "js/delivery.js", "js/charts.js");

  /** One file: its bytes, media type and entity tag. */
  record Asset(Buffer body, String contentType, String etag) {}

  private final Map<String, Asset> assets;

  private Assets(Map<String, Asset> assets) {
    this.assets = Map.copyOf(assets);
  }

  /**
   * Reads every file of {@link #FILES}.
   *
   * @throws IllegalStateException when one is missing from the classpath
   */
  public static Assets load() {
    Map<String, Asset> map = new LinkedHashMap<>();
    for (String name : FILES) {
      try (InputStream in = Assets.class.getClassLoader().getResourceAsStream("webroot/" + name)) {
        if (in == null) {
          throw new IllegalStateException("dashboard file webroot/" + name + " is missing from the classpath");
        }
        byte[] bytes = in.readAllBytes();
        map.put(name, new Asset(Buffer.buffer(bytes), contentType(name), "\"" + sha256(bytes).substring(0, 32) + "\""));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read webroot/" + name, e);
      }
    }
    return new Assets(map);
  }

  /** The file, if it is one of ours. */
  Optional<Asset> get(String name) {
    return Optional.ofNullable(assets.get(name));
  }

  /** {@code GET /assets/*}: CSS, scripts and images; revalidated by entity tag, never served stale. */
  public void serve(RoutingContext ctx) {
    String path = ctx.request().path();
    String name = path.startsWith("/assets/") ? path.substring("/assets/".length()) : "";
    Asset asset = name.endsWith(".html") ? null : assets.get(name);
    if (asset == null) {
      ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8").end("not found\n");
      return;
    }
    send(ctx, asset);
  }

  /** Sends {@code asset}, or 304 when the browser already has this version. */
  static void send(RoutingContext ctx, Asset asset) {
    ctx.response().putHeader("Cache-Control", "no-cache").putHeader("ETag", asset.etag());
    if (asset.etag().equals(ctx.request().getHeader("If-None-Match"))) {
      ctx.response().setStatusCode(304).end();
      return;
    }
    ctx.response().putHeader("Content-Type", asset.contentType()).end(asset.body());
  }

  private static String contentType(String name) {
    if (name.endsWith(".html")) {
      return "text/html; charset=utf-8";
    } else if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    } else if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    } else if (name.endsWith(".svg")) {
      return "image/svg+xml";
    }
    throw new IllegalStateException("no media type for " + name);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
