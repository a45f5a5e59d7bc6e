package dev.tollgate.probes.calendar;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import java.util.List;

/** A deploy on a public holiday (or, by policy, the day before one or a bridge day) of a region the environment serves. */
final class PublicHolidayRule implements Rule {
  private final CalendarCheck check;

  PublicHolidayRule() {
    this(CalendarCheck.STANDARD);
  }

  PublicHolidayRule(CalendarCheck check) {
    this.check = check;
  }

  @Override
  public RuleId id() {
    return RuleId.of("calendar/public-holiday");
  }

  @Override
  public Severity severity() {
    return Severity.BLOCK;
  }

  @Override
  public String summary() {
    return "Deploy on a public holiday of a region this environment serves.";
  }

  @Override
  public String help() {
    return "Wait for the next allowed time (the gate holds the deploy and re-evaluates then), or get an override.";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    List<RuleViolation> out = new java.util.ArrayList<>(check.violations(ctx, WindowKind.HOLIDAY, "Public holiday"));
    out.addAll(check.holidayDataQuality(ctx));
    return out;
  }
}
