package dev.tollgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gate.calendar.EnvironmentCalendar;
import dev.tollgate.probes.api.ServerSettings;
import dev.tollgate.probes.calendar.BlockingWindow;
import dev.tollgate.probes.calendar.CalendarDecision;
import dev.tollgate.probes.calendar.CalendarEngine;
import dev.tollgate.probes.calendar.CalendarPolicy;
import dev.tollgate.probes.calendar.FeedCache;
import dev.tollgate.probes.calendar.HolidayCalendar;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gate's view of the calendar (the dashboard's environments page), computed by the probes' engine from the
 * server's {@code calendar} sections of {@code tollgate.yml}: the same windows the calendar probe starts from. A
 * repository's {@code .tollgate.yml} can add windows; those show only in that repository's evaluations. Shared by
 * the dashboard and Slack's {@code /tollgate freeze}. Thread-safe (the engine is).
 */
public final class EngineCalendar implements EnvironmentCalendar {
  private final CalendarEngine engine;
  private final ServerSettings settings;
  private final JsonNode environments;
  /** Policies parsed on first use: the configuration does not change while the process runs. */
  private final Map<String, CalendarPolicy> policies = new ConcurrentHashMap<>();

  /**
   * @param defaults the {@code defaults} section of tollgate.yml
   * @param environments the {@code environments} section of tollgate.yml
   */
  EngineCalendar(CalendarEngine engine, JsonNode defaults, JsonNode environments) {
    this.engine = engine;
    this.settings = new ServerSettings(defaults, environments, "");
    this.environments = environments;
  }

  /** The calendar of a whole {@code tollgate.yml}, with an engine of its own (holiday data and feed cache). */
  public static EngineCalendar of(JsonNode root) {
    return new EngineCalendar(new CalendarEngine(new HolidayCalendar(), FeedCache.standard()), root.path("defaults"),
        root.path("environments"));
  }

  @Override
  public Decision decision(String environment, Instant at) {
    CalendarDecision d = engine.evaluate(policy(environment), at);
    return new Decision(d.at(), d.allowed(), d.blocking().stream().map(EngineCalendar::window).toList(), d.nextAllowed());
  }

  @Override
  public List<Window> upcoming(String environment, Instant from, Duration duration) {
    return engine.upcoming(policy(environment), from, duration).stream().map(EngineCalendar::window).toList();
  }

  private CalendarPolicy policy(String environment) {
    if (environment == null || !environments.has(environment)) {
      throw new IllegalArgumentException("unknown environment \"" + environment + "\"");
    }
    // Not cached when invalid: the error is reported at every call, like the probe's invalid-config rule does.
    return policies.computeIfAbsent(environment, env -> CalendarPolicy.parse(env,
        settings.forEnvironment(env).section("calendar"), List.of(), path -> Optional.empty(), engine.holidays()));
  }

  private static Window window(BlockingWindow w) {
    // ZoneOffset.UTC's id is "Z", which browsers do not take as a time zone; "UTC" is the IANA name.
    String zone = w.zone().equals(ZoneOffset.UTC) ? "UTC" : w.zone().getId();
    return new Window(w.kind().label(), w.name(), w.region(), w.start(), w.end(), zone);
  }
}
