package dev.tollgate.gate.slack;

import dev.tollgate.gate.calendar.EnvironmentCalendar;
import java.util.Objects;

/**
 * Everything the gate needs to be the Slack app: its settings and the deploy calendar for {@code /tollgate freeze}.
 * Given to {@code GateService.start}; null there means Slack is not configured (no routes, no reporter).
 *
 * @param calendar the server's calendar, or null when this process has none ({@code /tollgate freeze} says so)
 */
public record SlackIntegration(SlackSettings settings, EnvironmentCalendar calendar) {
  public SlackIntegration {
    Objects.requireNonNull(settings, "settings");
  }
}
