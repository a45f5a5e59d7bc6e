package dev.tollgate.gate.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.override.VoteDecision;
import dev.tollgate.gate.calendar.EnvironmentCalendar;
import dev.tollgate.gate.http.Problem;
import dev.tollgate.gate.http.RequestIdHandler;
import dev.tollgate.gate.override.OverrideService;
import dev.tollgate.gate.policy.ServerPolicy;
import dev.tollgate.gate.view.EvaluationView;
import dev.tollgate.gate.view.EvaluationViews;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack's requests to the gate: {@code POST /slack/interactions} (button clicks, the reason form) and
 * {@code POST /slack/commands} ({@code /tollgate}).
 *
 * <p>Every request is checked before its body is decoded (protocols §3.1): at most {@link #BODY_LIMIT} bytes with a
 * {@code Content-Length}, then {@code X-Slack-Request-Timestamp} within 5 minutes and {@code X-Slack-Signature}
 * over the raw bytes. Anything else is 401 (413 for a body too large) and nothing happens. The body is read here,
 * not by a {@code BodyHandler}, so the form is not even decoded before the signature holds.
 *
 * <p>Slack wants an answer within 3 s (§3.2): clicks are acknowledged at once with an empty 200 and the work —
 * checking the vote, opening the form, recording the vote over Kafka through {@link OverrideService}, replying — runs
 * after, on the {@code slack} worker pool. Replies to the person go through the interaction's {@code response_url} as
 * ephemeral messages ("not allowed: …"); the channel message changes when the {@link SlackReporter} sees the vote
 * and the verdict on Kafka.
 *
 * <p>Who votes: {@code slack.users} maps the Slack user to the identity override policies name; an unmapped user
 * votes as {@code slack:<user id>}, which no policy lists unless an operator put it there, so their click is refused
 * and audited like any other.
 */
public final class SlackInteractionHandler {
  private static final Logger log = LoggerFactory.getLogger(SlackInteractionHandler.class);
  /** Interaction payloads carry the whole message; 1 MiB is far above what Slack sends. */
  public static final int BODY_LIMIT = 1 << 20;
  /** Slash commands get a direct answer when it is ready this soon; later answers go to the response_url. */
  static final Duration DIRECT_ANSWER = Duration.ofMillis(2500);
  private static final Pattern EVALUATION_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  private final Vertx vertx;
  private final SlackSettings settings;
  private final SlackApi api;
  private final OverrideService overrides;
  private final EvaluationViews views;
  private final SlackCommands commands;
  private final WorkerExecutor pool;
  private final MeterRegistry meters;

  public SlackInteractionHandler(Vertx vertx, SlackSettings settings, SlackApi api, OverrideService overrides,
      EvaluationViews views, ServerPolicy policy, EnvironmentCalendar calendar, Clock clock, MeterRegistry meters) {
    this(vertx, settings, api, overrides, views, policy, calendar, clock, meters, null, null);
  }

  /**
   * @param locks lock commands ({@code /tollgate lock|unlock}), or null to answer them with usage
   * @param defaultTenant the tenant a lock is for when the workspace serves every tenant
   */
  public SlackInteractionHandler(Vertx vertx, SlackSettings settings, SlackApi api, OverrideService overrides,
      EvaluationViews views, ServerPolicy policy, EnvironmentCalendar calendar, Clock clock, MeterRegistry meters,
      dev.tollgate.gate.lock.LockService locks, String defaultTenant) {
    this.vertx = vertx;
    this.settings = settings;
    this.api = api;
    this.overrides = overrides;
    this.views = views;
    this.commands = new SlackCommands(views, policy, settings, calendar, clock, locks, defaultTenant, api);
    this.pool = vertx.createSharedWorkerExecutor("slack", 4);
    this.meters = meters;
  }

  /** {@code POST /slack/interactions}. */
  public void interactions(RoutingContext ctx) {
    verified(ctx, "interaction", body -> {
      String payloadText = form(body).get("payload");
      JsonNode payload;
      try {
        payload = payloadText == null ? null : Json.mapper().readTree(payloadText);
      } catch (IOException e) {
        payload = null;
      }
      if (payload == null || !payload.isObject()) {
        Problem.send(ctx, 400, "Invalid request", "expected a form field payload holding Slack's JSON");
        return;
      }
      if (!sameTeam(payload.path("team").path("id").asText(payload.path("user").path("team_id").asText(null)))) {
        count("interaction", "wrong_team");
        Problem.send(ctx, 403, "Forbidden", "this workspace is not connected to Tollgate");
        return;
      }
      String requestId = RequestIdHandler.requestId(ctx);
      String type = payload.path("type").asText("");
      if (type.equals("block_actions")) {
        ctx.response().setStatusCode(200).end(); // acknowledge within Slack's 3 s; the work follows
        onButton(payload, requestId);
      } else if (type.equals("view_submission") && OverrideForm.CALLBACK_ID.equals(payload.path("view").path("callback_id").asText())) {
        onSubmission(ctx, payload, requestId);
      } else {
        count("interaction", "ignored");
        ctx.response().setStatusCode(200).end();
      }
    });
  }

  /** {@code POST /slack/commands}. */
  public void commands(RoutingContext ctx) {
    verified(ctx, "command", body -> {
      Map<String, String> form = form(body);
      if (!sameTeam(form.get("team_id"))) {
        count("command", "wrong_team");
        Problem.send(ctx, 403, "Forbidden", "this workspace is not connected to Tollgate");
        return;
      }
      SlackCommands.Command command = SlackCommands.Command.parse(form.get("text"));
      String requestId = RequestIdHandler.requestId(ctx);
      String responseUrl = form.get("response_url");
      count("command", Set.of("status", "freeze", "help", "lock", "unlock").contains(command.verb()) ? command.verb() : "other");
      log.atInfo().addKeyValue("event", "slack.command").addKeyValue("requestId", requestId).addKeyValue("command", command.verb())
          .addKeyValue("slackUser", form.get("user_id")).log("/tollgate {}", command.verb());
      AtomicBoolean answered = new AtomicBoolean();
      long timer = vertx.setTimer(DIRECT_ANSWER.toMillis(), t -> {
        if (answered.compareAndSet(false, true)) {
          json(ctx, SlackCommands.reply("Working on it…"));
        }
      });
      Future<ObjectNode> answer = pool.executeBlocking(() -> commands.answer(command, form.getOrDefault("user_id", ""), requestId),
          false);
      answer.onComplete(r -> {
        ObjectNode message = r.succeeded() ? r.result()
            : SlackCommands.reply("Tollgate could not answer this time; try again.");
        if (r.failed()) {
          log.atWarn().addKeyValue("event", "slack.command.failed").addKeyValue("requestId", requestId).setCause(r.cause())
              .log("/tollgate {} failed", command.verb());
        }
        if (answered.compareAndSet(false, true)) {
          vertx.cancelTimer(timer);
          json(ctx, message);
        } else if (responseUrl != null) {
          pool.executeBlocking(() -> api.withRetries(() -> api.respond(responseUrl, message, requestId), 3, Duration.ofSeconds(5)), false);
        }
      });
    });
  }

  /** Reads at most {@link #BODY_LIMIT} bytes, checks the signature, then runs {@code next} on the raw body. */
  private void verified(RoutingContext ctx, String kind, java.util.function.Consumer<byte[]> next) {
    String length = ctx.request().getHeader("Content-Length");
    long declared;
    try {
      declared = length == null ? -1 : Long.parseLong(length.strip());
    } catch (NumberFormatException e) {
      declared = -1;
    }
    if (declared < 0) {
      count(kind, "no_length");
      Problem.send(ctx, 411, "Length required", "Slack requests carry a Content-Length");
      return;
    }
    if (declared > BODY_LIMIT) {
      count(kind, "too_large");
      ctx.response().putHeader("Connection", "close");
      Problem.send(ctx, 413, "Body too large", "Slack requests are at most " + BODY_LIMIT + " bytes");
      return;
    }
    ctx.request().body().onComplete(r -> {
      if (r.failed()) {
        Problem.send(ctx, 400, "Bad request", "the request body could not be read");
        return;
      }
      Buffer buffer = r.result();
      byte[] body = buffer.getBytes();
      SlackSignature.Check check = settings.signature().verify(ctx.request().getHeader("X-Slack-Request-Timestamp"), body,
          ctx.request().getHeader("X-Slack-Signature"));
      if (check != SlackSignature.Check.VALID) {
        count(kind, "unauthorized_" + check.name().toLowerCase(java.util.Locale.ROOT));
        log.atInfo().addKeyValue("event", "slack.request.refused").addKeyValue("requestId", RequestIdHandler.requestId(ctx))
            .addKeyValue("check", check).log("Slack {} refused: signature {}", kind, check.name().toLowerCase(java.util.Locale.ROOT));
        Problem.send(ctx, 401, "Unauthorized", check == SlackSignature.Check.REPLAYED
            ? "this signed request was already received (a replay)" : "missing, stale or wrong X-Slack-Signature");
        return;
      }
      try {
        next.accept(body);
      } catch (RuntimeException e) {
        // Bad input must never become a 500 (STYLE §6); the details stay in the log, the payload does not.
        log.atWarn().addKeyValue("event", "slack.request.failed").addKeyValue("requestId", RequestIdHandler.requestId(ctx))
            .log("Slack {} could not be handled: {}", kind, e.getClass().getSimpleName());
        Problem.send(ctx, 400, "Invalid request", "the Slack request could not be understood");
      }
    });
  }

  /** A click: check who may vote before asking for the reason; refuse with an ephemeral reply, else open the form. */
  private void onButton(JsonNode payload, String requestId) {
    JsonNode action = payload.path("actions").path(0);
    String actionId = action.path("action_id").asText("");
    boolean approve = actionId.equals(VerdictMessage.APPROVE);
    if (actionId.equals(VerdictMessage.WITHDRAW)) {
      onWithdraw(payload, action, requestId);
      return;
    }
    if (!approve && !actionId.equals(VerdictMessage.REJECT)) {
      count("interaction", "ignored");
      return;
    }
    String evaluationId = action.path("value").asText("");
    String userId = payload.path("user").path("id").asText("");
    String identity = identity(userId);
    String responseUrl = payload.path("response_url").asText(null);
    String triggerId = payload.path("trigger_id").asText("");
    count("interaction", approve ? "approve_click" : "reject_click");
    log.atInfo().addKeyValue("event", "slack.click").addKeyValue("requestId", requestId).addKeyValue("evaluationId", evaluationId)
        .addKeyValue("slackUser", userId).addKeyValue("identity", identity)
        .log("{} clicked by {}", approve ? "approve" : "reject", identity);
    if (!EVALUATION_ID.matcher(evaluationId).matches() || !servedHere(evaluationId)) {
      reply(responseUrl, "not allowed: this button does not name a Tollgate evaluation of this workspace", requestId);
      return;
    }
    overrides.screen(evaluationId, identity, approve ? VoteDecision.APPROVE : VoteDecision.REJECT, Source.SLACK, requestId)
        .onComplete(r -> {
      if (r.failed()) {
        reply(responseUrl, "Tollgate could not record your click (Kafka unavailable); try again in a minute.", requestId);
        return;
      }
      if (r.result().isPresent()) {
        reply(responseUrl, "not allowed: " + r.result().get().why(), requestId);
        return;
      }
      Optional<EvaluationView> view = views.get(evaluationId);
      if (view.isEmpty()) {
        reply(responseUrl, "not allowed: no such evaluation", requestId);
        return;
      }
      ObjectNode form = OverrideForm.view(view.get(), new OverrideForm.Context(evaluationId, approve, responseUrl));
      pool.executeBlocking(() -> api.openView(triggerId, form, requestId), false).onComplete(opened -> {
        if (opened.failed() || !opened.result().ok()) {
          String error = opened.failed() ? opened.cause().getClass().getSimpleName() : opened.result().error();
          log.atWarn().addKeyValue("event", "slack.form.failed").addKeyValue("requestId", requestId)
              .addKeyValue("error", error).log("could not open the reason form: {}", error);
          reply(responseUrl, "Tollgate could not open the reason form (" + error + "); click the button again.", requestId);
        }
      });
    });
  }

  /**
   * "Withdraw my vote": takes the clicker's own standing vote back at once (no form: nothing is approved by it), and
   * replies what happened; the channel message changes when the reporter sees the vote on Kafka.
   */
  private void onWithdraw(JsonNode payload, JsonNode action, String requestId) {
    String evaluationId = action.path("value").asText("");
    String identity = identity(payload.path("user").path("id").asText(""));
    String responseUrl = payload.path("response_url").asText(null);
    count("interaction", "withdraw_click");
    if (!EVALUATION_ID.matcher(evaluationId).matches() || !servedHere(evaluationId)) {
      reply(responseUrl, "not allowed: this button does not name a Tollgate evaluation of this workspace", requestId);
      return;
    }
    overrides.vote(new OverrideService.Vote(evaluationId, identity, VoteDecision.WITHDRAW, "withdrawn from Slack", Source.SLACK,
        requestId)).onComplete(r -> reply(responseUrl, r.failed()
            ? "Tollgate could not record your withdrawal (Kafka unavailable); nothing was recorded, try again."
            : r.result() instanceof OverrideService.Denied denied ? "not allowed: " + denied.why()
            : "Your vote is withdrawn; you may vote again.", requestId));
  }

  /** An evaluation of a tenant this workspace serves ({@code slack.tenants}); unknown ones are judged by the vote. */
  private boolean servedHere(String evaluationId) {
    return views.get(evaluationId).map(v -> settings.serves(v.tenant())).orElse(true);
  }

  /** The reason form submitted: check the reason in the form itself, else close it and record the vote. */
  private void onSubmission(RoutingContext ctx, JsonNode payload, String requestId) {
    Optional<OverrideForm.Context> context = OverrideForm.Context.decode(payload.path("view").path("private_metadata").asText(null));
    if (context.isEmpty() || !EVALUATION_ID.matcher(context.get().evaluationId()).matches()
        || !servedHere(context.get().evaluationId())) {
      Problem.send(ctx, 400, "Invalid request", "the form does not name a Tollgate evaluation");
      return;
    }
    String reason = OverrideForm.reason(payload);
    String problem = OverrideForm.reasonProblem(reason);
    if (problem != null) {
      // Shown under the field; the form stays open (Slack's response_action "errors").
      ObjectNode answer = Json.mapper().createObjectNode().put("response_action", "errors");
      answer.putObject("errors").put(OverrideForm.REASON_BLOCK, problem);
      json(ctx, answer);
      return;
    }
    ctx.response().setStatusCode(200).end(); // closes the form within Slack's 3 s; the vote is recorded next
    OverrideForm.Context c = context.get();
    String userId = payload.path("user").path("id").asText("");
    String identity = identity(userId);
    count("interaction", c.approve() ? "approve_vote" : "reject_vote");
    overrides.vote(new OverrideService.Vote(c.evaluationId(), identity, c.approve() ? VoteDecision.APPROVE : VoteDecision.REJECT,
            reason.strip(), Source.SLACK, requestId))
        .onComplete(r -> {
          String text;
          if (r.failed()) {
            text = "Tollgate could not record your vote (Kafka unavailable); nothing was recorded, try again.";
          } else if (r.result() instanceof OverrideService.Denied denied) {
            text = "not allowed: " + denied.why();
          } else if (r.result() instanceof OverrideService.Counted counted) {
            text = counted.votes() >= counted.required()
                ? "Your approval is recorded (" + counted.votes() + " of " + counted.required() + "): the NO_GO is overridden."
                : "Your approval is recorded (" + counted.votes() + " of " + counted.required() + "); "
                    + (counted.required() - counted.votes()) + " more approver" + (counted.required() - counted.votes() == 1 ? "" : "s")
                    + " needed.";
          } else {
            text = "Your rejection is recorded; the NO_GO stands.";
          }
          reply(c.responseUrl(), text, requestId);
        });
  }

  private String identity(String slackUserId) {
    return identityOf(settings, slackUserId);
  }

  /** The identity policies name for a Slack user: its {@code slack.users} mapping, else {@code slack:<id>}. */
  static String identityOf(SlackSettings settings, String slackUserId) {
    return settings.identityOf(slackUserId).orElse("slack:" + (slackUserId.isEmpty() ? "unknown" : slackUserId));
  }

  private boolean sameTeam(String teamId) {
    return settings.teamId() == null || settings.teamId().equals(teamId);
  }

  private void reply(String responseUrl, String text, String requestId) {
    if (responseUrl == null) {
      return;
    }
    ObjectNode message = Json.mapper().createObjectNode().put("response_type", "ephemeral").put("replace_original", false)
        .put("text", text);
    pool.executeBlocking(() -> api.withRetries(() -> api.respond(responseUrl, message, requestId), 3, Duration.ofSeconds(5)), false)
        .onComplete(r -> {
          if (r.failed() || !r.result().ok()) {
            log.atWarn().addKeyValue("event", "slack.reply.failed").addKeyValue("requestId", requestId)
                .log("ephemeral reply not delivered: {}", r.failed() ? r.cause().getClass().getSimpleName() : r.result().error());
          }
        });
  }

  private static void json(RoutingContext ctx, ObjectNode body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json; charset=utf-8").end(body.toString());
  }

  /** {@code application/x-www-form-urlencoded}, decoded after the signature was checked. */
  static Map<String, String> form(byte[] body) {
    Map<String, String> out = new HashMap<>();
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.isEmpty()) {
      return out;
    }
    for (String pair : text.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(k, v);
    }
    return out;
  }

  private void count(String kind, String outcome) {
    Counter.builder("tollgate.slack.requests").description("Requests from Slack by kind and outcome")
        .tag("kind", kind).tag("outcome", outcome).register(meters).increment();
  }
}
