package dev.tollgate.gate.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Durations;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.lock.EnvironmentGateChanged;
import dev.tollgate.contracts.lock.Identity;
import dev.tollgate.contracts.lock.LockKind;
import dev.tollgate.contracts.lock.LockRequested;
import dev.tollgate.gate.GateConfig;
import dev.tollgate.gate.auth.Principal;
import dev.tollgate.gate.auth.Role;
import dev.tollgate.gate.http.RequestFields.Rejected;
import dev.tollgate.gate.lock.LockService;
import dev.tollgate.gate.policy.EnvironmentPolicy;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/v1/environments/{env}/lock} and {@code .../queue}: take, release or break a lock, and see who holds it
 * and what waits. The gate checks who may ask (the environment's lock role or its override approvers lock; the holder
 * unlocks; an administrator breaks, with a reason); the environment's single writer decides against the current state
 * and the answer waits for its outcome, so two callers racing for one lock get one 201 and one 409.
 */
public final class LocksHandler {
  private static final Set<String> LOCK_FIELDS = Set.of("reason", "for", "kind", "repository", "tenant");
  private static final Set<String> UNLOCK_FIELDS = Set.of("reason", "repository", "tenant", "lockId");

  private final GateConfig config;
  private final LockService locks;
  private final Clock clock;
  private final RequestFields fields;

  public LocksHandler(GateConfig config, LockService locks, Clock clock) {
    this.config = config;
    this.locks = locks;
    this.clock = clock;
    this.fields = new RequestFields(config);
  }

  /** {@code POST /api/v1/environments/{env}/lock {"reason", "for": "2h", "kind": "freeze|deploy", "repository"}}. */
  public void lock(RoutingContext ctx) {
    Principal principal = BearerAuthHandler.principal(ctx);
    LockRequested cmd;
    try {
      JsonNode root = RequestFields.object(body(ctx), LOCK_FIELDS);
      EnvironmentPolicy env = environment(ctx);
      String tenant = fields.tenant(root, principal);
      if (!env.mayLock(principal.name(), principal.role())) {
        throw new Rejected(403, null, "token \"" + principal.name() + "\" may not lock " + env.name() + " (needs the "
            + env.admission().lockRole().name().toLowerCase(Locale.ROOT) + " role or to be one of its approvers)");
      }
      String repository = root.hasNonNull("repository") ? fields.repository(root) : null;
      String reason = reason(root, true);
      Duration duration = env.admission().lockDefault();
      if (root.hasNonNull("for")) {
        try {
          duration = Durations.parse(root.path("for").asText(), "for");
        } catch (IllegalArgumentException e) {
          throw new Rejected(400, "for", "expected a duration like 30m or 2h");
        }
        if (duration.isZero() || duration.isNegative() || duration.compareTo(env.admission().lockMax()) > 0) {
          throw new Rejected(400, "for", "expected a duration up to " + Durations.format(env.admission().lockMax()));
        }
      }
      LockKind kind = switch (root.path("kind").asText("freeze").toLowerCase(Locale.ROOT)) {
        case "freeze" -> LockKind.FREEZE;
        case "deploy" -> LockKind.DEPLOY;
        default -> throw new Rejected(400, "kind", "expected freeze (nobody deploys) or deploy (only your own deploys pass)");
      };
      Instant now = clock.instant();
      cmd = new LockRequested(LockRequested.SCHEMA_VERSION, UUID.randomUUID().toString(), RequestIdHandler.requestId(ctx),
          LockRequested.Action.LOCK, tenant, env.name(), repository, kind, principal.name(), reason, now.plus(duration),
          Source.API, now, Identity.token(principal.name()), null);
    } catch (Rejected e) {
      Problem.send(ctx, e.status, e.status == 403 ? "Forbidden" : "Invalid request", e.getMessage(), e.field);
      return;
    }
    send(cmd).onComplete(r -> answer(ctx, cmd, r, 201));
  }

  /**
   * {@code DELETE /api/v1/environments/{env}/lock {"lockId", "reason", "repository"}}: the holder unlocks; an
   * administrator breaks someone else's lock, naming it ({@code lockId}, from {@code GET .../lock}) and saying why. The
   * environment's writer refuses a command whose lock is no longer in force, so a stale or retried one never ends a
   * lock taken since. Without {@code lockId}, only the holder of the current lock unlocks it.
   */
  public void unlock(RoutingContext ctx) {
    Principal principal = BearerAuthHandler.principal(ctx);
    Identity caller = Identity.token(principal.name());
    LockRequested cmd;
    try {
      byte[] raw = body(ctx);
      JsonNode root = raw == null || raw.length == 0 ? dev.tollgate.contracts.Json.mapper().createObjectNode()
          : RequestFields.object(raw, UNLOCK_FIELDS);
      EnvironmentPolicy env = environment(ctx);
      String tenant = fields.tenant(root, principal);
      String repository = root.hasNonNull("repository") ? fields.repository(root) : null;
      String lockId = lockId(root);
      String scope = repository == null ? env.name() : repository + " in " + env.name();
      EnvironmentGateChanged.Lock current = locks.state(tenant, env.name())
          .flatMap(g -> EnvironmentGateChanged.lockOf(g.locks(), repository, lockId, caller)).orElse(null);
      if (current == null) {
        throw new Rejected(lockId == null ? 404 : 409, null, scope + " is not locked"
            + (lockId == null ? "" : ": the lock " + lockId + " is no longer in force"));
      }
      if (lockId != null && !lockId.equals(current.lockId())) {
        throw new Rejected(409, "lockId", "the lock " + lockId + " of " + scope + " is no longer in force: "
            + current.holder() + " locked it since " + dev.tollgate.gate.report.ReportText.time(current.since()));
      }
      LockRequested.Action action;
      String reason = null;
      if (current.heldBy(caller)) {
        action = LockRequested.Action.UNLOCK;
      } else if (principal.role().includes(Role.ADMIN)) {
        if (lockId == null) {
          throw new Rejected(400, "lockId", "name the lock you break (lockId, from GET .../lock): a break never ends a "
              + "lock taken after you looked");
        }
        action = LockRequested.Action.BREAK;
        reason = reason(root, true);
      } else {
        throw new Rejected(403, null, "locked by " + current.holder() + ": only they can unlock it; an administrator may break it");
      }
      Instant now = clock.instant();
      cmd = new LockRequested(LockRequested.SCHEMA_VERSION, UUID.randomUUID().toString(), RequestIdHandler.requestId(ctx),
          action, tenant, env.name(), repository, null, principal.name(), reason, null, Source.API, now, caller, lockId);
    } catch (Rejected e) {
      Problem.send(ctx, e.status, switch (e.status) {
        case 403 -> "Forbidden";
        case 404 -> "Not locked";
        case 409 -> "Conflict";
        default -> "Invalid request";
      }, e.getMessage(), e.field);
      return;
    }
    send(cmd).onComplete(r -> answer(ctx, cmd, r, 200));
  }

  /** The lock an UNLOCK or a BREAK names: a lock's id as the API shows it, or null when none is given. */
  private static String lockId(JsonNode root) throws Rejected {
    JsonNode n = root.path("lockId");
    if (n.isMissingNode() || n.isNull()) {
      return null;
    }
    if (!n.isTextual() || n.asText().isEmpty() || n.asText().length() > 64 || !n.asText().matches("[A-Za-z0-9._:-]+")) {
      throw new Rejected(400, "lockId", "expected a lock's id as GET .../lock shows it");
    }
    return n.asText();
  }

  /** {@code GET /api/v1/environments/{env}/lock}: the locks in force, who holds them since when, why, until when. */
  public void get(RoutingContext ctx) {
    read(ctx, false);
  }

  /** {@code GET /api/v1/environments/{env}/queue}: deploys in flight, the queue in order, and what a lock holds. */
  public void queue(RoutingContext ctx) {
    read(ctx, true);
  }

  private void read(RoutingContext ctx, boolean queue) {
    Principal principal = BearerAuthHandler.principal(ctx);
    try {
      EnvironmentPolicy env = environment(ctx);
      String tenant = ctx.queryParams().get("tenant");
      JsonNode root = dev.tollgate.contracts.Json.mapper().createObjectNode();
      if (tenant != null) {
        root = dev.tollgate.contracts.Json.mapper().createObjectNode().put("tenant", tenant);
      }
      tenant = fields.tenant(root, principal);
      EnvironmentGateChanged g = locks.state(tenant, env.name()).orElse(null);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("tenant", tenant);
      out.put("environment", env.name());
      out.put("locks", g == null ? List.of() : g.locks());
      if (queue) {
        out.put("maxInFlight", env.admission().maxInFlight());
        out.put("inFlight", g == null ? List.of() : g.inFlight());
        out.put("queue", g == null ? List.of() : g.queue());
        out.put("locked", g == null ? List.of() : g.locked());
      }
      EvaluationsHandler.json(ctx, 200, out);
    } catch (Rejected e) {
      Problem.send(ctx, e.status, e.status == 403 ? "Forbidden" : "Invalid request", e.getMessage(), e.field);
    }
  }

  private Future<EnvironmentGateChanged.Outcome> send(LockRequested cmd) {
    return locks.send(cmd);
  }

  private void answer(RoutingContext ctx, LockRequested cmd, io.vertx.core.AsyncResult<EnvironmentGateChanged.Outcome> r,
      int okStatus) {
    if (r.failed()) {
      boolean published = r.cause() instanceof java.util.concurrent.TimeoutException;
      ctx.response().putHeader("Retry-After", "5");
      Problem.send(ctx, 503, published ? "No answer yet" : "Kafka unavailable", published
          ? "the lock request " + cmd.commandId() + " was recorded but its environment's gate has not answered within "
              + LockService.OUTCOME_WAIT.toSeconds() + "s; GET the lock to see its state"
          : "the lock request could not be recorded; nothing changed");
      return;
    }
    EnvironmentGateChanged.Outcome o = r.result();
    if (!o.accepted()) {
      Problem.send(ctx, 409, "Conflict", o.message());
      return;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("tenant", cmd.tenant());
    out.put("environment", cmd.environment());
    out.put("action", cmd.action().name());
    out.put("message", o.message());
    locks.state(cmd.tenant(), cmd.environment())
        .flatMap(g -> EnvironmentGateChanged.lockOf(g.locks(), cmd.repository(), null, cmd.actor()))
        .filter(l -> cmd.action() == LockRequested.Action.LOCK).ifPresent(l -> out.put("lock", l));
    EvaluationsHandler.json(ctx, okStatus, out);
  }

  private EnvironmentPolicy environment(RoutingContext ctx) throws Rejected {
    String name = ctx.pathParam("name");
    return config.policy().environment(name).orElseThrow(() -> new Rejected(404, "environment", "unknown environment \""
        + dev.tollgate.contracts.Checks.abbreviate(name) + "\" (configured: " + config.policy().environments().keySet() + ")"));
  }

  /** A lock's or a break's reason ({@link LockService#reason}). */
  static String reason(JsonNode root, boolean required) throws Rejected {
    JsonNode r = root.path("reason");
    if (r.isMissingNode() || r.isNull()) {
      if (required) {
        throw new Rejected(400, "reason", "a reason is required (10-500 characters)");
      }
      return null;
    }
    if (!r.isTextual()) {
      throw new Rejected(400, "reason", "expected a string");
    }
    try {
      return LockService.reason(r.asText());
    } catch (IllegalArgumentException e) {
      throw new Rejected(400, "reason", e.getMessage());
    }
  }

  private static byte[] body(RoutingContext ctx) {
    return ctx.body() == null || ctx.body().buffer() == null ? null : ctx.body().buffer().getBytes();
  }
}
