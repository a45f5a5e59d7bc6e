package dev.tollgate.probes.calendar;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import java.util.List;

/** A calendar policy that cannot be read: without it no window can be checked, so the deploy is blocked (fail closed). */
final class InvalidCalendarConfigRule implements Rule {
  private final CalendarCheck check;

  InvalidCalendarConfigRule() {
    this(CalendarCheck.STANDARD);
  }

  InvalidCalendarConfigRule(CalendarCheck check) {
    this.check = check;
  }

  @Override
  public RuleId id() {
    return RuleId.of("calendar/invalid-config");
  }

  @Override
  public Severity severity() {
    return Severity.BLOCK;
  }

  @Override
  public String summary() {
    return "The calendar policy cannot be read, so freezes and holidays cannot be checked.";
  }

  @Override
  public String help() {
    return "Fix the calendar section named in the message (server tollgate.yml or the repository's .tollgate.yml).";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    String error = check.of(ctx).configError();
    return error == null ? List.of() : List.of(RuleViolation.general("Calendar policy: " + error)
        .withFingerprint("calendar:invalid-config"));
  }
}
