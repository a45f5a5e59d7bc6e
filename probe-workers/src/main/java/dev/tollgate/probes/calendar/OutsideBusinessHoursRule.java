package dev.tollgate.probes.calendar;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import java.util.List;

/** A deploy outside the environment's business hours, when few people are around to notice and fix a failure. */
final class OutsideBusinessHoursRule implements Rule {
  private final CalendarCheck check;

  OutsideBusinessHoursRule() {
    this(CalendarCheck.STANDARD);
  }

  OutsideBusinessHoursRule(CalendarCheck check) {
    this.check = check;
  }

  @Override
  public RuleId id() {
    return RuleId.of("calendar/outside-business-hours");
  }

  @Override
  public Severity severity() {
    return Severity.BLOCK;
  }

  @Override
  public String summary() {
    return "Deploy outside the environment's business hours.";
  }

  @Override
  public String help() {
    return "Deploy when the team is at work (the gate holds the deploy and re-evaluates when hours begin).";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    return check.violations(ctx, WindowKind.BUSINESS_HOURS, "Outside business hours");
  }
}
