package dev.tollgate.gate.slack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.gate.calendar.EnvironmentCalendar;
import dev.tollgate.gate.policy.EnvironmentPolicy;
import dev.tollgate.gate.policy.ServerPolicy;
import dev.tollgate.gate.view.EvaluationView;
import dev.tollgate.gate.view.EvaluationViews;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code /tollgate} slash command's answers, as ephemeral Block Kit messages:
 * <ul>
 *   <li>{@code status <repo> <env>}: the latest evaluation of that repository in that environment (the channel
 *       message without buttons);
 *   <li>{@code freeze <env>}: whether the server's calendar allows a deploy now, what blocks it, the next allowed time
 *       and the windows of the next 30 days;
 *   <li>anything else: usage.
 * </ul>
 */
final class SlackCommands {
  static final Duration UPCOMING = Duration.ofDays(30);
  static final int MAX_WINDOWS = 15;

  /** A parsed command. */
  record Command(String verb, List<String> args) {
    static Command parse(String text) {
      String t = text == null ? "" : text.strip();
      List<String> words = t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
      return words.isEmpty() ? new Command("help", List.of())
          : new Command(words.get(0).toLowerCase(Locale.ROOT), words.subList(1, words.size()));
    }

    /** True when answering may block (the calendar may fetch a feed). */
    boolean slow() {
      return verb.equals("freeze");
    }
  }

  private final EvaluationViews views;
  private final ServerPolicy policy;
  private final SlackSettings settings;
  private final EnvironmentCalendar calendar;
  private final Clock clock;

  SlackCommands(EvaluationViews views, ServerPolicy policy, SlackSettings settings, EnvironmentCalendar calendar, Clock clock) {
    this.views = views;
    this.policy = policy;
    this.settings = settings;
    this.calendar = calendar;
    this.clock = clock;
  }

  /** The answer to {@code command}; may block for {@code freeze}. */
  ObjectNode answer(Command command) {
    return switch (command.verb()) {
      case "status" -> command.args().size() == 2 ? status(command.args().get(0), command.args().get(1))
          : usage("`status` needs a repository and an environment.");
      case "freeze" -> command.args().size() == 1 ? freeze(command.args().get(0)) : usage("`freeze` needs an environment.");
      case "help" -> usage(null);
      default -> usage("Unknown command " + VerdictMessage.code(command.verb()) + ".");
    };
  }

  ObjectNode status(String repository, String environment) {
    if (policy.environment(environment).isEmpty()) {
      return reply("Unknown environment " + VerdictMessage.code(environment) + ". Configured: " + environments() + ".");
    }
    String wanted = normalize(repository);
    List<EvaluationView> found = views.list(EvaluationViews.Query.environment(null, environment), v -> settings.serves(v.tenant())
        && matches(v.repository(), wanted), 1);
    if (found.isEmpty()) {
      return reply("Tollgate knows no evaluation of " + VerdictMessage.code(repository) + " in "
          + VerdictMessage.code(environment) + ".");
    }
    EvaluationView view = found.get(0);
    ObjectNode message = VerdictMessage.render(view,
        policy.environment(environment).map(EnvironmentPolicy::overrides).orElse(null), settings.evaluationLink(view.id()), false);
    message.put("response_type", "ephemeral");
    return message;
  }

  ObjectNode freeze(String environment) {
    if (policy.environment(environment).isEmpty()) {
      return reply("Unknown environment " + VerdictMessage.code(environment) + ". Configured: " + environments() + ".");
    }
    if (calendar == null) {
      return reply("This Tollgate has no deploy calendar to ask.");
    }
    Instant now = clock.instant();
    EnvironmentCalendar.Decision d;
    List<EnvironmentCalendar.Window> coming;
    try {
      d = calendar.decision(environment, now);
      coming = calendar.upcoming(environment, now, UPCOMING);
    } catch (IllegalArgumentException e) {
      // Fail closed in words too: an unreadable calendar is not "no freeze".
      return reply(":no_entry: The calendar of " + VerdictMessage.code(environment) + " cannot be read: "
          + VerdictMessage.text(e.getMessage()) + ". The calendar probe blocks deploys until it is fixed.");
    }
    List<String> lines = new ArrayList<>();
    if (d.allowed()) {
      lines.add(":white_check_mark: *" + VerdictMessage.text(environment) + "*: no calendar window blocks a deploy now.");
    } else {
      lines.add(":no_entry: *" + VerdictMessage.text(environment) + "* is blocked now:");
      d.blocking().forEach(w -> lines.add("• " + window(w)));
      lines.add("*Next allowed:* " + (d.nextAllowed() == null ? "unknown (a window has no known end)"
          : VerdictMessage.date(d.nextAllowed())));
    }
    List<EnvironmentCalendar.Window> next = coming.stream().filter(w -> !d.blocking().contains(w)).toList();
    if (next.isEmpty()) {
      lines.add("No other window in the next " + UPCOMING.toDays() + " days.");
    } else {
      lines.add("*Next " + UPCOMING.toDays() + " days:*");
      next.stream().limit(MAX_WINDOWS).forEach(w -> lines.add("• " + window(w)));
      if (next.size() > MAX_WINDOWS) {
        lines.add("• … and " + (next.size() - MAX_WINDOWS) + " more (`tollgate calendar --env " + environment + " --upcoming 30d`)");
      }
    }
    lines.add("_Server calendar only: a repository's .tollgate.yml may add windows for its own deploys._");
    return reply(String.join("\n", lines));
  }

  private static String window(EnvironmentCalendar.Window w) {
    return w.kind() + " \"" + VerdictMessage.text(w.name()) + "\"" + (w.region() == null ? "" : " " + VerdictMessage.text(w.region()))
        + ": " + VerdictMessage.date(w.start()) + " – " + (w.end() == null ? "unknown end" : VerdictMessage.date(w.end()));
  }

  static ObjectNode usage(String problem) {
    return reply((problem == null ? "" : problem + "\n") + "Usage:\n"
        + "• `/tollgate status <repository> <environment>`: the latest verdict (e.g. `/tollgate status acme/shop production`)\n"
        + "• `/tollgate freeze <environment>`: calendar windows now and in the next 30 days");
  }

  static ObjectNode reply(String mrkdwn) {
    ObjectNode o = Json.mapper().createObjectNode().put("response_type", "ephemeral")
        .put("text", VerdictMessage.bounded(mrkdwn, 3000));
    ArrayNode blocks = o.putArray("blocks");
    blocks.add(VerdictMessage.section(mrkdwn));
    return o;
  }

  private String environments() {
    return String.join(", ", policy.environments().keySet().stream().sorted().toList());
  }

  static String normalize(String repository) {
    String r = repository.strip().toLowerCase(Locale.ROOT);
    if (r.endsWith(".git")) {
      r = r.substring(0, r.length() - 4);
    }
    while (r.endsWith("/")) {
      r = r.substring(0, r.length() - 1);
    }
    return r;
  }

  /** {@code acme/shop} matches {@code https://github.com/acme/shop.git}; a full URL or path matches itself. */
  static boolean matches(String repository, String wanted) {
    String r = normalize(repository);
    return !wanted.isEmpty() && (r.equals(wanted) || r.endsWith("/" + wanted));
  }
}
