package dev.tollgate.probes.calendar;

import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.probes.api.Probe;
import dev.tollgate.probes.api.Rule;
import java.util.List;

/**
 * Holiday and freeze calendars: never deploy into a freeze, a public holiday of a region the environment serves, or
 * outside its business hours. Violations clear at the next allowed time, so the gate can hold the deploy and
 * re-evaluate then.
 */
public final class FreezeCalendarProbe implements Probe {
  private final List<Rule> rules;

  /** The production probe, on the process-wide calendar engine. */
  public FreezeCalendarProbe() {
    this(CalendarCheck.STANDARD);
  }

  FreezeCalendarProbe(CalendarCheck check) {
    this.rules = List.of(new FreezeWindowRule(check), new InvalidCalendarConfigRule(check), new OutsideBusinessHoursRule(check),
        new PublicHolidayRule(check));
  }

  @Override
  public ProbeId id() {
    return ProbeId.CALENDAR;
  }

  @Override
  public List<Rule> rules() {
    return rules;
  }
}
