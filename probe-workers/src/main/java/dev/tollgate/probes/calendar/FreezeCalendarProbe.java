package dev.tollgate.probes.calendar;

import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.probes.api.Probe;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.ServerSettings;
import java.util.List;
import java.util.Optional;

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

  /**
   * The production probe that also honours freezes kept by the repository's platform, e.g. GitLab's deploy freeze
   * periods (issue #9); the launcher injects the source.
   */
  public FreezeCalendarProbe(FreezeSource imported) {
    this(new CalendarCheck(CalendarCheck.STANDARD.engine(), imported));
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

  @Override
  public List<String> validateServerSettings(ServerSettings settings) {
    try {
      CalendarPolicy.parse(settings.environment(), settings.section("calendar"), List.of(), path -> Optional.empty(),
          CalendarCheck.STANDARD.holidays());
      return List.of();
    } catch (IllegalArgumentException e) {
      return List.of("environments." + settings.environment() + ".calendar: " + e.getMessage());
    }
  }

  @Override
  public List<String> validateRepositorySettings(dev.tollgate.probes.api.RepoConfig repo, ServerSettings server,
      java.util.function.Function<String, Optional<String>> files) {
    String env = server.environment();
    try {
      CalendarPolicy.parse(env, server.section("calendar"), List.of(repo.section("calendar"),
          repo.section("defaults").path("calendar"), repo.environment(env).path("calendar")), files::apply,
          CalendarCheck.STANDARD.holidays());
      return List.of();
    } catch (IllegalArgumentException e) {
      return List.of(e.getMessage());
    }
  }
}
