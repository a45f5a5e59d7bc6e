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
 *   <li>{@code lock <env> <reason> [for 2h]} and {@code unlock <env>}: take or release the environment's freeze lock
 *       as the Slack user's mapped identity (who may: the environment's override approvers); the environment's channel
 *       is told;
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
  private final dev.tollgate.gate.lock.LockService locks;
  private final String defaultTenant;
  private final SlackApi api;

  SlackCommands(EvaluationViews views, ServerPolicy policy, SlackSettings settings, EnvironmentCalendar calendar, Clock clock) {
    this(views, policy, settings, calendar, clock, null, null, null);
  }

  SlackCommands(EvaluationViews views, ServerPolicy policy, SlackSettings settings, EnvironmentCalendar calendar, Clock clock,
      dev.tollgate.gate.lock.LockService locks, String defaultTenant, SlackApi api) {
    this.views = views;
    this.policy = policy;
    this.settings = settings;
    this.calendar = calendar;
    this.clock = clock;
    this.locks = locks;
    this.defaultTenant = defaultTenant;
    this.api = api;
  }

  /** The answer to {@code command}; may block for {@code freeze}. */
  ObjectNode answer(Command command) {
    return answer(command, "", "slack-command");
  }

  /** The answer to {@code command} from the Slack user {@code slackUserId}; blocks for {@code freeze}, lock and unlock. */
  ObjectNode answer(Command command, String slackUserId, String requestId) {
    return switch (command.verb()) {
      case "lock" -> locks == null ? usage("Locks are not available here.") : command.args().size() >= 2
          ? lock(command.args(), slackUserId, requestId) : usage("`lock` needs an environment and a reason.");
      case "unlock" -> locks == null ? usage("Locks are not available here.") : command.args().size() == 1
          ? unlock(command.args().get(0), slackUserId, requestId) : usage("`unlock` needs an environment.");
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

  /** {@code lock <env> <reason words> [for <duration>]}: a freeze lock in the user's name. */
  ObjectNode lock(List<String> args, String slackUserId, String requestId) {
    String environment = args.get(0);
    var env = policy.environment(environment);
    if (env.isEmpty()) {
      return reply("Unknown environment " + VerdictMessage.code(environment) + ". Configured: " + environments() + ".");
    }
    String identity = SlackInteractionHandler.identityOf(settings, slackUserId);
    if (!env.get().overrides().isApprover(identity)) {
      return reply(":no_entry: " + VerdictMessage.text(identity) + " may not lock " + VerdictMessage.code(environment)
          + ": only its approvers may (or an API token with the " + env.get().admission().lockRole().name()
              .toLowerCase(Locale.ROOT) + " role).");
    }
    String tenant = tenant();
    if (tenant == null) {
      return reply("This workspace serves several tenants: lock from the API (`tollgate lock`), naming the tenant.");
    }
    List<String> words = new ArrayList<>(args.subList(1, args.size()));
    Duration duration = env.get().admission().lockDefault();
    if (words.size() >= 2 && words.get(words.size() - 2).equalsIgnoreCase("for")) {
      try {
        duration = dev.tollgate.contracts.Durations.parse(words.get(words.size() - 1), "for");
        words = words.subList(0, words.size() - 2);
      } catch (IllegalArgumentException e) {
        return reply("`for` needs a duration like `2h` or `30m`.");
      }
      if (duration.isZero() || duration.isNegative() || duration.compareTo(env.get().admission().lockMax()) > 0) {
        return reply("A lock lasts at most " + dev.tollgate.contracts.Durations.format(env.get().admission().lockMax()) + ".");
      }
    }
    String reason;
    try {
      reason = dev.tollgate.gate.lock.LockService.reason(String.join(" ", words));
    } catch (IllegalArgumentException e) {
      return reply("The reason: " + VerdictMessage.text(e.getMessage()) + ".");
    }
    Instant now = clock.instant();
    var cmd = new dev.tollgate.contracts.lock.LockRequested(dev.tollgate.contracts.lock.LockRequested.SCHEMA_VERSION,
        java.util.UUID.randomUUID().toString(), requestId, dev.tollgate.contracts.lock.LockRequested.Action.LOCK, tenant,
        environment, null, dev.tollgate.contracts.lock.LockKind.FREEZE, identity, reason, now.plus(duration),
        dev.tollgate.contracts.evaluation.Source.SLACK, now, member(slackUserId), null);
    return sendAndTell(cmd, ":lock:");
  }

  /** {@code unlock <env>}: the user's own lock (breaking another's is for administrators, through the API). */
  ObjectNode unlock(String environment, String slackUserId, String requestId) {
    if (policy.environment(environment).isEmpty()) {
      return reply("Unknown environment " + VerdictMessage.code(environment) + ". Configured: " + environments() + ".");
    }
    String tenant = tenant();
    if (tenant == null) {
      return reply("This workspace serves several tenants: unlock from the API (`tollgate unlock`), naming the tenant.");
    }
    String identity = SlackInteractionHandler.identityOf(settings, slackUserId);
    Instant now = clock.instant();
    var cmd = new dev.tollgate.contracts.lock.LockRequested(dev.tollgate.contracts.lock.LockRequested.SCHEMA_VERSION,
        java.util.UUID.randomUUID().toString(), requestId, dev.tollgate.contracts.lock.LockRequested.Action.UNLOCK, tenant,
        environment, null, null, identity, null, null, dev.tollgate.contracts.evaluation.Source.SLACK, now,
        member(slackUserId), null);
    return sendAndTell(cmd, ":unlock:");
  }

  /**
   * The Slack member as the lock's holder: their member id, not the name {@code slack.users} maps them to, so only the
   * same member unlocks from Slack (an API token or a VCS login of that name is someone else; an administrator breaks).
   */
  private static dev.tollgate.contracts.lock.Identity member(String slackUserId) {
    return new dev.tollgate.contracts.lock.Identity(dev.tollgate.contracts.lock.Identity.Kind.SLACK,
        slackUserId == null || slackUserId.isBlank() ? "unknown" : slackUserId);
  }

  /** Sends the command, waits for its outcome, tells the environment's channel when it was accepted. */
  private ObjectNode sendAndTell(dev.tollgate.contracts.lock.LockRequested cmd, String emoji) {
    dev.tollgate.contracts.lock.EnvironmentGateChanged.Outcome outcome;
    try {
      outcome = locks.send(cmd).toCompletionStage().toCompletableFuture()
          .get(dev.tollgate.gate.lock.LockService.OUTCOME_WAIT.toSeconds() + 2, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return reply("Nothing was decided; try again.");
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return reply("Tollgate did not get an answer in time: look with `/tollgate status` or the dashboard before trying again.");
    }
    if (!outcome.accepted()) {
      return reply(":no_entry: " + VerdictMessage.text(outcome.message()));
    }
    String text = emoji + " " + VerdictMessage.text(outcome.message());
    if (api != null) {
      settings.channelFor(cmd.environment()).ifPresent(channel -> api.postMessage(channel, reply(text), cmd.requestId()));
    }
    return reply(text);
  }

  /** The tenant a Slack lock is for: the workspace's one tenant, else the server's default; null when ambiguous. */
  private String tenant() {
    if (settings.tenants().size() == 1) {
      return settings.tenants().iterator().next();
    }
    return settings.tenants().isEmpty() ? defaultTenant : null;
  }

  private static String window(EnvironmentCalendar.Window w) {
    return w.kind() + " \"" + VerdictMessage.text(w.name()) + "\"" + (w.region() == null ? "" : " " + VerdictMessage.text(w.region()))
        + ": " + VerdictMessage.date(w.start()) + " – " + (w.end() == null ? "unknown end" : VerdictMessage.date(w.end()));
  }

  static ObjectNode usage(String problem) {
    return reply((problem == null ? "" : problem + "\n") + "Usage:\n"
        + "• `/tollgate status <repository> <environment>`: the latest verdict (e.g. `/tollgate status acme/shop production`)\n"
        + "• `/tollgate freeze <environment>`: calendar windows now and in the next 30 days\n"
        + "• `/tollgate lock <environment> <reason> [for 2h]`: hold every deploy there until you unlock (approvers)\n"
        + "• `/tollgate unlock <environment>`: release your lock");
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
