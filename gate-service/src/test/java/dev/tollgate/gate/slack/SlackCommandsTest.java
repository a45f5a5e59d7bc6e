package dev.tollgate.gate.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.MissingNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.gate.calendar.EnvironmentCalendar;
import dev.tollgate.gate.policy.ServerPolicy;
import dev.tollgate.gate.view.EvaluationViews;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code /tollgate freeze}: blocked now and until when, the coming windows, and an unreadable calendar fails closed. */
class SlackCommandsTest {
  static final Instant NOW = Instant.parse("2026-12-24T10:00:00Z");
  static final EnvironmentCalendar.Window CHRISTMAS = new EnvironmentCalendar.Window("holiday", "Christmas Eve", "DE-BY",
      Instant.parse("2026-12-23T23:00:00Z"), Instant.parse("2026-12-24T23:00:00Z"), "Europe/Berlin");
  static final EnvironmentCalendar.Window YEAR_END = new EnvironmentCalendar.Window("freeze", "Year-end <!channel>", null,
      Instant.parse("2026-12-28T00:00:00Z"), Instant.parse("2027-01-04T09:00:00Z"), "UTC");

  /** A calendar in test code: blocked by Christmas Eve now, the year-end freeze next; "broken" cannot be read. */
  static final EnvironmentCalendar CALENDAR = new EnvironmentCalendar() {
    @Override
    public Decision decision(String environment, Instant at) {
      if (environment.equals("broken")) {
        throw new IllegalArgumentException("server calendar.freezes[0].start: expected a date-time");
      }
      return new Decision(at, false, List.of(CHRISTMAS), CHRISTMAS.end());
    }

    @Override
    public List<Window> upcoming(String environment, Instant from, Duration span) {
      return List.of(CHRISTMAS, YEAR_END);
    }
  };

  SlackCommands commands(EnvironmentCalendar calendar) {
    ServerPolicy policy = ServerPolicy.from(MissingNode.getInstance(),
        Json.mapper().createObjectNode().<com.fasterxml.jackson.databind.node.ObjectNode>set("production", Json.mapper().createObjectNode())
            .set("broken", Json.mapper().createObjectNode()), Set.of(ProbeId.CALENDAR));
    SlackSettings settings = new SlackSettings("xoxb-x", SlackSignature.of("s", Clock.systemUTC()), "https://slack.com/api", null,
        Map.of(), Map.of(), null);
    EvaluationViews views = new EvaluationViews(Topics.standard(), Map.of(), 100, new SimpleMeterRegistry());
    opened.add(views);
    return new SlackCommands(views, policy, settings, calendar, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  final List<EvaluationViews> opened = new java.util.ArrayList<>();

  @org.junit.jupiter.api.AfterEach
  void closeViews() {
    opened.forEach(EvaluationViews::close); // each holds an off-heap store in a temporary directory
  }

  String freeze(EnvironmentCalendar calendar, String env) {
    return commands(calendar).answer(SlackCommands.Command.parse("freeze " + env)).path("text").asText();
  }

  @Test
  void aBlockedEnvironmentSaysWhyUntilWhenAndWhatComesNext() {
    String text = freeze(CALENDAR, "production");
    assertTrue(text.startsWith(":no_entry: *production* is blocked now:\n• holiday \"Christmas Eve\" DE-BY: <!date^"), text);
    assertTrue(text.contains("*Next allowed:* <!date^" + CHRISTMAS.end().getEpochSecond() + "^"), text);
    assertTrue(text.contains("*Next 30 days:*\n• freeze \"Year-end &lt;!channel&gt;\""), "escaped, and not listed twice: " + text);
    assertEquals(1, text.split("Christmas Eve", -1).length - 1, text);
  }

  @Test
  void anUnreadableCalendarIsNotReportedAsFree() {
    String text = freeze(CALENDAR, "broken");
    assertTrue(text.startsWith(":no_entry: The calendar of `broken` cannot be read: server calendar.freezes[0].start"), text);
    assertTrue(freeze(null, "production").contains("no deploy calendar"));
    assertTrue(freeze(CALENDAR, "nowhere").startsWith("Unknown environment `nowhere`. Configured: broken, production."));
  }

  @Test
  void commandsAreParsedAndAnythingElseGetsUsage() {
    assertEquals(new SlackCommands.Command("status", List.of("acme/shop", "production")),
        SlackCommands.Command.parse("  STATUS acme/shop   production "));
    String usage = commands(CALENDAR).answer(SlackCommands.Command.parse("deploy now")).path("text").asText();
    assertTrue(usage.startsWith("Unknown command `deploy`.\nUsage:"), usage);
    assertTrue(SlackCommands.matches("https://github.com/acme/shop.git", SlackCommands.normalize("acme/shop")));
    assertTrue(!SlackCommands.matches("https://github.com/acme/shopfront", SlackCommands.normalize("acme/shop")));
  }
}
