package dev.tollgate.gate.attestation;

import dev.tollgate.contracts.Json;
import dev.tollgate.gate.auth.Principal;
import dev.tollgate.gate.http.BearerAuthHandler;
import dev.tollgate.gate.http.Problem;
import dev.tollgate.gate.view.EvaluationView;
import dev.tollgate.gate.view.EvaluationViews;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/evaluations/{id}/attestation[?revision=N][&waitSeconds=S]}: the signed envelope of a verdict
 * revision (the latest by default), byte for byte as the signer published it, to tokens of the evaluation's tenant
 * (another tenant's is a 404, like its evaluation). {@code GET /api/v1/attestations/keys[?format=jwks|pem]}: the public
 * keys that verify them, public like any JWKS document.
 */
public final class AttestationsHandler {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final int MAX_WAIT_SECONDS = 60;
  private static final Set<String> GET_PARAMS = Set.of("revision", "waitSeconds");
  private static final Set<String> KEY_PARAMS = Set.of("format");

  private final Vertx vertx;
  private final AttestationStore store;
  private final EvaluationViews views;

  public AttestationsHandler(Vertx vertx, AttestationStore store, EvaluationViews views) {
    this.vertx = vertx;
    this.store = store;
    this.views = views;
  }

  /** {@code GET /api/v1/evaluations/:id/attestation}. */
  public void get(RoutingContext ctx) {
    if (!onlyParams(ctx, GET_PARAMS)) {
      return;
    }
    Integer revision = integer(ctx, "revision", 1, 1_000_000);
    Integer wait = integer(ctx, "waitSeconds", 0, MAX_WAIT_SECONDS);
    if ((ctx.queryParams().contains("revision") && revision == null) || (ctx.queryParams().contains("waitSeconds") && wait == null)) {
      return;
    }
    Principal principal = BearerAuthHandler.principal(ctx);
    String id = ctx.pathParam("id");
    if (!ID.matcher(id).matches()) {
      notFound(ctx, id, "no evaluation with that id is visible to this token");
      return;
    }
    Optional<EvaluationView> view = views.get(id);
    if (view.isPresent() && !principal.canAccess(view.get().tenant())) {
      notFound(ctx, id, null);
      return;
    }
    Future<Void> ready = store.entry(id, revision).isPresent() || wait == null || wait == 0 ? Future.succeededFuture()
        : awaitSigned(id, revision, wait);
    ready.onComplete(r -> {
      Optional<AttestationStore.Entry> entry = store.entry(id, revision);
      if (entry.isEmpty() || !principal.canAccess(entry.get().tenant())) {
        missing(ctx, id, revision, entry.isEmpty() ? views.get(id).filter(v -> principal.canAccess(v.tenant())) : Optional.empty());
        return;
      }
      if (store.cached(entry.get())) {
        send(ctx, store.load(entry.get()).orElseThrow());
        return;
      }
      // Not in memory: read back from Kafka, which blocks.
      vertx.executeBlocking(() -> store.load(entry.get()), false).onComplete(loaded -> {
        if (loaded.succeeded() && loaded.result().isPresent()) {
          send(ctx, loaded.result().get());
        } else {
          ctx.response().putHeader("Retry-After", "5");
          Problem.send(ctx, 503, "Kafka unavailable", "the attestation could not be read back from Kafka; retry");
        }
      });
    });
  }

  /** {@code GET /api/v1/attestations/keys}. */
  public void keys(RoutingContext ctx) {
    if (!onlyParams(ctx, KEY_PARAMS)) {
      return;
    }
    String format = ctx.queryParams().get("format");
    List<AttestationKey> keys = store.keys();
    if (format == null || format.equals("jwks")) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("keys", keys.stream().map(AttestationKey::jwk).toList());
      ctx.response().setStatusCode(200).putHeader("Content-Type", "application/jwk-set+json").end(Json.writeString(body));
    } else if (format.equals("pem")) {
      StringBuilder b = new StringBuilder();
      for (AttestationKey k : keys) {
        b.append(KeyFiles.KEY_ID_LABEL).append(k.keyId()).append('\n').append(k.publicPem());
      }
      ctx.response().setStatusCode(200).putHeader("Content-Type", "application/x-pem-file").end(b.toString());
    } else {
      Problem.badField(ctx, "format", "expected jwks or pem");
    }
  }

  private Future<Void> awaitSigned(String id, Integer revision, int seconds) {
    Promise<Void> done = Promise.promise();
    var context = vertx.getOrCreateContext();
    Runnable[] cancel = new Runnable[1];
    long timer = vertx.setTimer(seconds * 1000L, t -> done.tryComplete());
    cancel[0] = store.listen(id, () -> {
      if (store.entry(id, revision).isPresent()) {
        context.runOnContext(x -> done.tryComplete());
      }
    });
    if (store.entry(id, revision).isPresent()) {
      done.tryComplete();
    }
    return done.future().onComplete(r -> {
      vertx.cancelTimer(timer);
      cancel[0].run();
    });
  }

  private static void send(RoutingContext ctx, AttestationStore.Attestation a) {
    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
        .putHeader("ETag", "\"sha256:" + a.entry().sha256() + "\"").end(Buffer.buffer(a.envelope()));
  }

  /** 404, saying as much as the caller may know: not decided yet, no such revision, or not signed yet (retry). */
  private static void missing(RoutingContext ctx, String id, Integer revision, Optional<EvaluationView> visible) {
    if (visible.isEmpty()) {
      notFound(ctx, id, null);
      return;
    }
    EvaluationView.Verdict verdict = visible.get().verdict();
    if (verdict == null) {
      notFound(ctx, id, "evaluation " + id + " has no verdict yet; ask again with waitSeconds, or once it is decided");
    } else if (revision != null && revision > verdict.revision()) {
      notFound(ctx, id, "evaluation " + id + " has no revision " + revision + " (the latest is " + verdict.revision() + ")");
    } else {
      ctx.response().putHeader("Retry-After", "1");
      notFound(ctx, id, "revision " + (revision == null ? verdict.revision() : revision) + " of evaluation " + id
          + " is not signed yet; retry in a moment (or send waitSeconds)");
    }
  }

  private static void notFound(RoutingContext ctx, String id, String detail) {
    Problem.send(ctx, 404, "Not found", detail != null ? detail : "no attestation of evaluation " + id + " is visible to this token");
  }

  private static Integer integer(RoutingContext ctx, String name, int min, int max) {
    String text = ctx.queryParams().get(name);
    if (text == null) {
      return null;
    }
    try {
      int n = Integer.parseInt(text);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    Problem.badField(ctx, name, "expected an integer from " + min + " to " + max);
    return null;
  }

  private static boolean onlyParams(RoutingContext ctx, Set<String> allowed) {
    for (String name : ctx.queryParams().names()) {
      if (!allowed.contains(name)) {
        Problem.badField(ctx, name, "unknown query parameter \"" + name + "\" (expected: " + new TreeSet<>(allowed) + ")");
        return false;
      }
    }
    return true;
  }
}
