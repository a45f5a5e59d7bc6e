package dev.tollgate.deploy.slack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.gate.calendar.EnvironmentCalendar;
import dev.tollgate.probes.api.ServerSettings;
import dev.tollgate.probes.calendar.BlockingWindow;
import dev.tollgate.probes.calendar.CalendarDecision;
import dev.tollgate.probes.calendar.CalendarEngine;
import dev.tollgate.probes.calendar.CalendarPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The gate's {@link EnvironmentCalendar} on the probes' {@link CalendarEngine}: the server's calendar policy of each
 * environment ({@code environments.<env>.calendar}, else {@code defaults.calendar}), read per call so the answer is
 * what the probe would apply without a repository's additions. Thread-safe (the engine is).
 */
public final class ServerCalendar implements EnvironmentCalendar {
  private final CalendarEngine engine;
  private final JsonNode defaults;
  private final JsonNode environments;

  /**
   * @param defaults the {@code defaults} section of tollgate.yml
   * @param environments the {@code environments} section of tollgate.yml
   */
  public ServerCalendar(CalendarEngine engine, JsonNode defaults, JsonNode environments) {
    this.engine = engine;
    this.defaults = defaults;
    this.environments = environments;
  }

  @Override
  public Decision decision(String environment, Instant at) {
    CalendarDecision d = engine.evaluate(policy(environment), at);
    return new Decision(d.at(), d.allowed(), d.blocking().stream().map(ServerCalendar::window).toList(), d.nextAllowed());
  }

  @Override
  public List<Window> upcoming(String environment, Instant from, Duration span) {
    return engine.upcoming(policy(environment), from, span).stream().map(ServerCalendar::window).toList();
  }

  private CalendarPolicy policy(String environment) {
    if (!environments.has(environment)) {
      throw new IllegalArgumentException("unknown environment \"" + environment + "\"");
    }
    JsonNode server = new ServerSettings(defaults, environments, environment).section("calendar");
    // Server feeds are URLs; repository files do not exist here.
    return CalendarPolicy.parse(environment, server, List.of(), path -> Optional.empty(), engine.holidays());
  }

  private static Window window(BlockingWindow w) {
    return new Window(w.kind().label(), w.name(), w.region(), w.start(), w.end(), w.zone().getId());
  }
}
