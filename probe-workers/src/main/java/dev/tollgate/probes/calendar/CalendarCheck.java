package dev.tollgate.probes.calendar;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleViolation;
import java.util.List;
import java.util.Objects;

/**
 * What the calendar rules of one evaluation share: the policy read once from the server settings and the repository,
 * and one decision at the context's clock. Each rule reports its own kind of window.
 */
final class CalendarCheck {
  /** The process-wide engine: one holiday cache and one feed cache for every evaluation. */
  static final CalendarCheck STANDARD = new CalendarCheck(new CalendarEngine(new HolidayCalendar(), FeedCache.standard()));

  /** The decision, or why the policy could not be read. */
  record Outcome(CalendarDecision decision, String configError, List<Region> regions) {}

  private final CalendarEngine engine;
  private final FreezeSource imported;

  CalendarCheck(CalendarEngine engine) {
    this(engine, FreezeSource.none());
  }

  /** @param imported freezes kept by the repository's platform (GitLab freeze periods), added to every policy */
  CalendarCheck(CalendarEngine engine, FreezeSource imported) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.imported = Objects.requireNonNull(imported, "imported");
  }

  Outcome of(RuleContext ctx) {
    return ctx.shared(this, () -> compute(ctx));
  }

  private Outcome compute(RuleContext ctx) {
    String env = ctx.target().environment();
    CalendarPolicy policy;
    try {
      JsonNode defaults = ctx.repoConfig().section("defaults").path("calendar");
      JsonNode own = ctx.repoConfig().environment(env).path("calendar");
      policy = CalendarPolicy.parse(env, ctx.server().section("calendar"),
          List.of(ctx.repoConfig().section("calendar"), defaults, own), ctx::readPolicyFile,
          engine.holidays());
    } catch (IllegalArgumentException e) {
      return new Outcome(null, e.getMessage(), List.of());
    }
    policy = withImported(policy, ctx);
    return new Outcome(engine.evaluate(policy, ctx.clock().instant()), null, policy.regions());
  }

  /**
   * The policy plus the platform's freezes for this deploy. A source that cannot answer blocks with no known end
   * (fail closed, like an unreadable feed): a freeze Tollgate cannot see must not let a deploy through.
   */
  private CalendarPolicy withImported(CalendarPolicy policy, RuleContext ctx) {
    List<ImportedFreeze> freezes;
    try {
      freezes = imported.freezes(ctx.target().tenant(), ctx.target().repository(), ctx.target().environment());
    } catch (RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return policy.withUnavailable(imported.name() + " unavailable: " + why, imported.name());
    }
    return freezes.isEmpty() ? policy : policy.withImported(freezes);
  }

  /** The violations for the blocking windows of {@code kind}, each clearing at the decision's next allowed time. */
  List<RuleViolation> violations(RuleContext ctx, WindowKind kind, String what) {
    Outcome o = of(ctx);
    if (o.decision() == null) {
      return List.of();
    }
    CalendarDecision d = o.decision();
    return d.blocking().stream().filter(w -> w.kind() == kind).map(w -> {
      String next = d.nextAllowed() == null ? "unknown (a window has no known end)"
          : CalendarText.instant(d.nextAllowed(), w.zone());
      // A window named for what it is ("outside business hours (mon-fri ...)") is not named twice.
      String title = w.region() == null && w.name().toLowerCase(java.util.Locale.ROOT).startsWith(what.toLowerCase(java.util.Locale.ROOT))
          ? what + w.name().substring(what.length())
          : what + (w.region() == null ? "" : " in " + w.region()) + ": " + w.name();
      RuleViolation v = RuleViolation.general(title + ", " + CalendarText.localRange(w) + ". Next allowed deploy: " + next + ".")
          .withFingerprint("calendar:" + kind.label() + ":" + (w.region() == null ? "" : w.region()) + ":" + w.name() + ":"
              + w.start());
      // The gate holds the deploy and re-evaluates when every calendar window has passed, not just this one.
      return d.nextAllowed() == null ? v : v.clearingAt(d.nextAllowed());
    }).toList();
  }

  /**
   * What the regions' holiday data is worth: an INFO finding per region whose data Tollgate has not verified, a WARN per
   * region without any (its holidays are not checked: an environment whose warnings block stops until the operator
   * adds them or drops the region).
   */
  List<RuleViolation> holidayDataQuality(RuleContext ctx) {
    List<RuleViolation> out = new java.util.ArrayList<>();
    for (Region r : of(ctx).regions()) {
      switch (HolidayCalendar.quality(r)) {
        case UNVERIFIED -> out.add(RuleViolation.general("Holidays of " + r.label() + " are Jollyday's data, not verified by"
            + " Tollgate against published dates: check the coming ones (tollgate calendar --upcoming 90d).")
            .withSeverity(dev.tollgate.contracts.probe.Severity.INFO)
            .withFix("Add a missing day with calendar.holidays.add, or import your own calendar as a feed.")
            .withFingerprint("calendar:holiday-data:unverified:" + r.iso()));
        case NONE -> out.add(RuleViolation.general("No public holiday data for " + r.label() + ": its holidays are not"
            + " checked.")
            .withSeverity(dev.tollgate.contracts.probe.Severity.WARN)
            .withFix("Add its holidays with calendar.holidays.add or an ICS feed of them (calendar.feeds), or remove the"
                + " region if holidays there do not matter to this environment.")
            .withFingerprint("calendar:holiday-data:none:" + r.iso()));
        default -> { }
      }
    }
    return out;
  }

  /** The engine (shared by every check built on {@link #STANDARD}: one holiday and feed cache per process). */
  CalendarEngine engine() {
    return engine;
  }

  /** The holiday data this check uses (config validation parses policies against it). */
  HolidayCalendar holidays() {
    return engine.holidays();
  }
}
