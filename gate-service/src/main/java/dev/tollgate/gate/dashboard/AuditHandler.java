package dev.tollgate.gate.dashboard;

import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.gate.attestation.AttestationStore;
import dev.tollgate.gate.auth.Principal;
import dev.tollgate.gate.http.BearerAuthHandler;
import dev.tollgate.gate.http.Problem;
import dev.tollgate.gate.view.AuditLog;
import dev.tollgate.gate.view.EvaluationView;
import dev.tollgate.gate.view.EvaluationViews;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code GET /api/v1/audit}: what was decided and by whom, newest first: every verdict (its latest revision), every
 * override vote with the approver and reason, every rejection, every refused click, every deploy that bypassed the
 * gate. Filterable; {@code format=csv} exports the same rows as a CSV file, {@code format=json} as a JSON file.
 * Scoped to the caller's tenants like everything else.
 */
public final class AuditHandler {
  static final int DEFAULT_LIMIT = 200;
  static final int MAX_LIMIT = 5000;
  /** The kinds an entry can have: every verdict, and every audit record kind. */
  static final List<String> KINDS = Stream.concat(Stream.of("VERDICT"),
      Stream.of(AuditKind.values()).filter(k -> k != AuditKind.UNKNOWN).map(Enum::name)).toList();
  private static final Set<String> PARAMS = Set.of("kind", "tenant", "environment", "repository", "actor", "evaluation",
      "since", "until", "limit", "format");
  static final List<String> COLUMNS = List.of("at", "kind", "decision", "tenant", "repository", "environment", "commit",
      "evaluationId", "actor", "source", "detail", "attestationSha256");

  private final EvaluationViews views;
  private final AttestationStore attestations;

  /** @param attestations the signed verdicts: a verdict row names its envelope's digest */
  public AuditHandler(EvaluationViews views, AttestationStore attestations) {
    this.views = views;
    this.attestations = attestations;
  }

  /**
   * One row of the audit log.
   *
   * @param kind {@code VERDICT} or an audit record kind ({@code OVERRIDE_APPROVED}, ...)
   * @param decision the verdict (VERDICT rows only)
   * @param actor who acted: an approver, a GitHub login; {@code tollgate} for verdicts
   * @param attestationSha256 on a verdict row, the SHA-256 of the signed attestation of that revision (the envelope
   *     {@code GET /api/v1/evaluations/{id}/attestation?revision=N} serves), or null while it is not signed
   */
  public record Entry(Instant at, String kind, String decision, String tenant, String repository, String environment,
      String commit, String evaluationId, String actor, String source, String detail, String attestationSha256) {
    List<String> cells() {
      return java.util.Arrays.asList(at == null ? null : at.toString(), kind, decision, tenant, repository, environment,
          commit, evaluationId, actor, source, detail, attestationSha256);
    }
  }

  /** {@code GET /api/v1/audit}. */
  public void list(RoutingContext ctx) {
    for (String name : ctx.queryParams().names()) {
      if (!PARAMS.contains(name)) {
        Problem.badField(ctx, name, "unknown query parameter \"" + name + "\" (expected: " + new java.util.TreeSet<>(PARAMS) + ")");
        return;
      }
    }
    Principal principal = BearerAuthHandler.principal(ctx);
    var q = ctx.queryParams();
    Set<String> kinds = new LinkedHashSet<>();
    String kindText = q.get("kind");
    if (kindText != null && !kindText.isBlank()) {
      for (String k : kindText.split(",")) {
        String kind = k.strip().toUpperCase(Locale.ROOT);
        if (!KINDS.contains(kind)) {
          Problem.badField(ctx, "kind", "expected a comma-separated list of " + KINDS);
          return;
        }
        kinds.add(kind);
      }
    }
    String tenant = q.get("tenant");
    if (tenant != null && !principal.canAccess(tenant)) {
      Problem.send(ctx, 403, "Forbidden", "token \"" + principal.name() + "\" may not read tenant \"" + tenant + "\"", "tenant");
      return;
    }
    Instant since;
    Instant until;
    try {
      since = instant(q.get("since"));
      until = instant(q.get("until"));
    } catch (DateTimeParseException e) {
      Problem.badField(ctx, q.get("since") != null && !parses(q.get("since")) ? "since" : "until",
          "expected an ISO-8601 instant like 2026-11-26T10:15:30Z");
      return;
    }
    int limit = DEFAULT_LIMIT;
    if (q.get("limit") != null) {
      try {
        limit = Integer.parseInt(q.get("limit"));
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        Problem.badField(ctx, "limit", "expected an integer from 1 to " + MAX_LIMIT);
        return;
      }
    }
    String format = q.get("format");
    if (format != null && !format.equals("csv") && !format.equals("json")) {
      Problem.badField(ctx, "format", "expected csv or json");
      return;
    }
    String environment = q.get("environment");
    String repository = q.get("repository");
    String actor = q.get("actor");
    String evaluation = q.get("evaluation");
    // "*": a record about every tenant (a policy change), shown to everyone who may read the audit log.
    Predicate<Entry> keep = e -> (principal.canAccess(e.tenant()) || "*".equals(e.tenant()))
        && (tenant == null || tenant.equals(e.tenant()) || "*".equals(e.tenant()))
        && (kinds.isEmpty() || kinds.contains(e.kind()))
        && (environment == null || environment.equals(e.environment()))
        && (repository == null || repository.equals(e.repository()))
        && (actor == null || (e.actor() != null && e.actor().equalsIgnoreCase(actor)))
        && (evaluation == null || evaluation.equals(e.evaluationId()))
        && (since == null || (e.at() != null && !e.at().isBefore(since)))
        && (until == null || (e.at() != null && e.at().isBefore(until)));
    // Verdict rows are the gate's own ("tollgate"); either kind of row is read only when the filter can keep it.
    boolean verdicts = (kinds.isEmpty() || kinds.contains("VERDICT")) && (actor == null || actor.equalsIgnoreCase("tollgate"));
    boolean records = kinds.isEmpty() || !kinds.equals(Set.of("VERDICT"));
    // A token limited to tenants (or a tenant asked for) reads those tenants' verdict orders, not every tenant's.
    Set<String> tenants = tenant != null ? Set.of(tenant) : principal.tenants().contains("*") ? null : principal.tenants();
    int max = limit;
    // Verdict rows are read from the off-heap store (a disk read and a parse each): on a worker thread.
    ctx.vertx().executeBlocking(() -> entries(keep, tenants, since, until, verdicts, records, max), false)
        .onSuccess(page -> respond(ctx, format, page)).onFailure(ctx::fail);
  }

  private static void respond(RoutingContext ctx, String format, Page page) {
    List<Entry> items = page.items();
    if (format == null) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("items", items);
      body.put("count", items.size());
      if (page.truncated()) {
        body.put("truncated", true); // more verdicts may match than the read cap let this request look at
      }
      DashboardPages.json(ctx, 200, body);
    } else if (format.equals("json")) {
      ctx.response().putHeader("Content-Disposition", "attachment; filename=\"tollgate-audit.json\"");
      if (page.truncated()) {
        ctx.response().putHeader("X-Tollgate-Truncated", "true");
      }
      DashboardPages.json(ctx, 200, items);
    } else {
      StringBuilder b = new StringBuilder(Csv.line(COLUMNS));
      items.forEach(e -> b.append(Csv.line(e.cells())));
      if (page.truncated()) {
        ctx.response().putHeader("X-Tollgate-Truncated", "true");
      }
      ctx.response().setStatusCode(200).putHeader("Content-Type", "text/csv; charset=utf-8")
          .putHeader("Content-Disposition", "attachment; filename=\"tollgate-audit.csv\"").end(b.toString());
    }
  }

  /** The rows of one audit request, and whether the verdicts read stopped at {@link EvaluationViews#MAX_READ}. */
  record Page(List<Entry> items, boolean truncated) {}

  /**
   * The newest {@code limit} entries that {@code keep} accepts, from [{@code since}, {@code until}): the newest
   * {@code limit} of each kind of row (each read newest first, stopping there), merged.
   *
   * @param tenants the tenants whose verdicts are read (null: every tenant)
   */
  Page entries(Predicate<Entry> keep, Set<String> tenants, Instant since, Instant until, boolean verdicts, boolean records,
      int limit) {
    List<Entry> out = new ArrayList<>();
    boolean truncated = false;
    if (verdicts) {
      // The filter reads no digest: the attestation index is read only for the rows returned.
      EvaluationViews.Page page = views.decidedPage(tenants, since, until, v -> keep.test(verdict(v, null)), limit);
      page.items().stream().map(v -> verdict(v, attestations.entry(v.id(), v.verdict().revision())
          .map(AttestationStore.Entry::sha256).orElse(null))).forEach(out::add);
      truncated = page.truncated();
    }
    if (records) {
      views.audit().list(since, until, a -> keep.test(record(a)), limit).stream().map(AuditHandler::record).forEach(out::add);
    }
    return new Page(out.stream().sorted(Comparator.comparing(Entry::at, Comparator.nullsLast(Comparator.reverseOrder())))
        .limit(limit).toList(), truncated);
  }

  static Entry verdict(EvaluationView v, String digest) {
    EvaluationView.Verdict verdict = v.verdict();
    String reasons = verdict.reasons().stream().map(r -> r.message()).collect(Collectors.joining("; "));
    String detail = (verdict.revision() > 1 ? "revision " + verdict.revision() + ": " : "")
        + (verdict.held() ? "held until " + verdict.retryAt() + "; " : "") + (reasons.isEmpty() ? "no blocking findings" : reasons);
    return new Entry(verdict.decidedAt(), "VERDICT", verdict.decision(), v.tenant(), v.repository(), v.environment(),
        v.candidate(), v.id(), "tollgate", v.source(), detail, digest);
  }

  static Entry record(AuditRecorded a) {
    return new Entry(AuditLog.at(a), a.kind().name(), null, a.tenant(),
        a.repository(), a.environment(), a.commit(), a.evaluationId(), a.actor(), a.source().name(), a.detail(), null);
  }

  private static Instant instant(String text) {
    return text == null || text.isBlank() ? null : Instant.parse(text);
  }

  private static boolean parses(String text) {
    try {
      Instant.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
