package dev.tollgate.probes.calendar;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import java.util.ArrayList;
import java.util.List;

/**
 * A deploy inside a change freeze: one-off, cron, RRULE or iCalendar feed; a feed that cannot be read blocks too
 * (fail closed) unless its policy allows the last good copy.
 */
final class FreezeWindowRule implements Rule {
  private final CalendarCheck check;

  FreezeWindowRule() {
    this(CalendarCheck.STANDARD);
  }

  FreezeWindowRule(CalendarCheck check) {
    this.check = check;
  }

  @Override
  public RuleId id() {
    return RuleId.of("calendar/freeze-window");
  }

  @Override
  public Severity severity() {
    return Severity.BLOCK;
  }

  @Override
  public String summary() {
    return "Deploy inside a change freeze.";
  }

  @Override
  public String help() {
    return "Wait for the freeze to end (the gate holds the deploy and re-evaluates then), or get an override.";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    List<RuleViolation> out = new ArrayList<>(check.violations(ctx, WindowKind.FREEZE, "Change freeze"));
    CalendarDecision d = check.of(ctx).decision();
    if (d != null) {
      // Degraded but handled (a feed served from its last good copy): shown, never blocking.
      d.warnings().forEach(w -> out.add(RuleViolation.general(w).withSeverity(Severity.INFO)
          .withFingerprint("calendar:warning:" + w.hashCode())));
    }
    return out;
  }
}
