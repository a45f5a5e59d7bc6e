package dev.tollgate.gate.dashboard;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.json}: the public API's OpenAPI 3.1 document, written by hand next to the code
 * ({@code openapi.json} on the classpath) and checked against the router by {@code DashboardOpenApiIT}.
 */
public final class OpenApi {
  private final Buffer document;

  private OpenApi(Buffer document) {
    this.document = document;
  }

  /** Reads the document from the classpath. */
  public static OpenApi load() {
    try (InputStream in = OpenApi.class.getClassLoader().getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the classpath");
      }
      return new OpenApi(Buffer.buffer(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read openapi.json", e);
    }
  }

  /** Serves it; public, like any API description. */
  public void serve(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(document);
  }
}
