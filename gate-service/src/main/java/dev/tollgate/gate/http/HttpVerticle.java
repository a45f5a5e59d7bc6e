package dev.tollgate.gate.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Function;

/** Serves the gate's router. The router is built per verticle instance (routers are not shared across loops). */
public final class HttpVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private final Function<io.vertx.core.Vertx, Router> routerFactory;
  private HttpServer server;
  private Router router;

  public HttpVerticle(String host, int port, Function<io.vertx.core.Vertx, Router> routerFactory) {
    this.host = host;
    this.port = port;
    this.routerFactory = routerFactory;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
        .setMaxInitialLineLength(8192).setMaxHeaderSize(16384).setCompressionSupported(true));
    // Requests the HTTP decoder could not read (a bad request line) are bad input: 400, or 414/431 for oversized lines
    // and headers.
    server.invalidRequestHandler(request -> {
      Throwable cause = request.decoderResult().cause();
      int status = cause instanceof io.netty.handler.codec.TooLongFrameException
          ? (String.valueOf(cause.getMessage()).contains("header") ? 431 : 414) : 400;
      request.response().setStatusCode(status).putHeader("Connection", "close").end();
    });
    router = routerFactory.apply(vertx);
    // Tollgate serves no WebSocket (live updates are SSE). Declining every handshake here also routes requests in an
    // HTTP version Vert.x does not know ("HTTP/9.9") to the handler below: Vert.x answers those 501 itself only when
    // no WebSocket handler is set. They are bad input, 400, not a server fault.
    server.webSocketHandshakeHandler(handshake -> handshake.reject(404));
    return server.requestHandler(request -> {
      if (request.version() == null) {
        request.response().setStatusCode(400).putHeader("Connection", "close").end()
            .onComplete(done -> request.connection().close());
        return;
      }
      router.handle(request);
    }).listen();
  }

  /** The router this verticle serves (the OpenAPI test compares its routes with the document). */
  public Router router() {
    return router;
  }

  /** The bound port (useful with port 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
