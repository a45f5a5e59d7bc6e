package dev.tollgate.gate.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.override.VoteDecision;
import dev.tollgate.gate.auth.Principal;
import dev.tollgate.gate.http.RequestFields.Rejected;
import dev.tollgate.gate.override.OverrideService;
import dev.tollgate.gate.view.EvaluationViews;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /api/v1/evaluations/{id}/overrides} with {@code {"decision": "approve"|"reject"|"withdraw", "reason": "..."}}:
 * the caller (an approver token or session; its name is the identity the policy lists) votes on a NO_GO, or takes its
 * own vote back. The vote is always the authenticated caller's: the body names no voter.
 * {@code GET} the same path: whether the caller may vote now, and if not why (the dashboard shows that instead of a
 * form the server would refuse).
 */
public final class OverridesHandler {
  private static final Set<String> FIELDS = Set.of("decision", "reason");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final Pattern REASON = Pattern.compile("(?s).{1,500}");

  private final OverrideService overrides;
  private final EvaluationViews views;

  public OverridesHandler(OverrideService overrides, EvaluationViews views) {
    this.overrides = overrides;
    this.views = views;
  }

  /** {@code {"allowed": true}} or {@code {"allowed": false, "reason": "..."}} for the caller and this evaluation now. */
  public void eligibility(RoutingContext ctx) {
    Principal principal = BearerAuthHandler.principal(ctx);
    String id = ctx.pathParam("id");
    java.util.Optional<dev.tollgate.gate.view.EvaluationView> view = ID.matcher(id).matches()
        ? views.get(id).filter(v -> principal.canAccess(v.tenant())) : java.util.Optional.empty();
    if (view.isEmpty()) {
      notVisible(ctx, id);
      return;
    }
    OverrideService.Denied denied = overrides.whyNot(principal.name(), principal.role(), view.get());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("allowed", denied == null);
    if (denied != null) {
      out.put("reason", denied.why());
    }
    EvaluationsHandler.json(ctx, 200, out);
  }

  private static void notVisible(RoutingContext ctx, String id) {
    Problem.send(ctx, 404, "Not found", "no evaluation " + (ID.matcher(id).matches() ? id : "with that id")
        + " is visible to this token");
  }

  public void vote(RoutingContext ctx) {
    Principal principal = BearerAuthHandler.principal(ctx);
    String id = ctx.pathParam("id");
    if (!ID.matcher(id).matches() || views.get(id).filter(v -> principal.canAccess(v.tenant())).isEmpty()) {
      notVisible(ctx, id);
      return;
    }
    VoteDecision decision;
    String reason;
    try {
      JsonNode body = RequestFields.object(ctx.body().buffer() == null ? null : ctx.body().buffer().getBytes(), FIELDS);
      decision = switch (RequestFields.requiredText(body, "decision")) {
        case "approve" -> VoteDecision.APPROVE;
        case "reject" -> VoteDecision.REJECT;
        case "withdraw" -> VoteDecision.WITHDRAW;
        default -> throw new Rejected(400, "decision", "expected approve, reject or withdraw");
      };
      reason = decision == VoteDecision.WITHDRAW ? RequestFields.optionalText(body, "reason", REASON, "at most 500 characters")
          : RequestFields.requiredText(body, "reason");
    } catch (Rejected e) {
      Problem.send(ctx, e.status, "Invalid request", e.getMessage(), e.field);
      return;
    }
    overrides.vote(new OverrideService.Vote(id, principal.name(), decision, reason, Source.API, RequestIdHandler.requestId(ctx)))
        .onComplete(r -> {
          if (r.failed()) {
            ctx.response().putHeader("Retry-After", "5");
            Problem.send(ctx, 503, "Kafka unavailable", "the vote could not be recorded; retry");
            return;
          }
          Map<String, Object> out = new LinkedHashMap<>();
          if (r.result() instanceof OverrideService.Denied denied) {
            Problem.send(ctx, denied.status(), denied.status() == 403 ? "Forbidden" : denied.status() == 404 ? "Not found"
                : denied.status() == 400 ? "Invalid request" : "Conflict", denied.why(), denied.status() == 400 ? "reason" : null);
            return;
          }
          if (r.result() instanceof OverrideService.Counted counted) {
            out.put("status", counted.votes() >= counted.required() ? "overridden" : "counted");
            out.put("votes", counted.votes());
            out.put("required", counted.required());
          } else if (r.result() instanceof OverrideService.Withdrawn withdrawn) {
            out.put("status", "withdrawn");
            out.put("withdrew", withdrawn.was() == null ? null : withdrawn.was().name().toLowerCase(java.util.Locale.ROOT));
          } else {
            out.put("status", "rejected");
          }
          EvaluationsHandler.json(ctx, 202, out);
        });
  }
}
