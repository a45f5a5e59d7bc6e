package dev.tollgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.Durations;
import dev.tollgate.contracts.Json;
import dev.tollgate.probes.api.RepoConfig;
import dev.tollgate.probes.api.ServerSettings;
import dev.tollgate.probes.calendar.BlockingWindow;
import dev.tollgate.probes.calendar.CalendarDecision;
import dev.tollgate.probes.calendar.CalendarEngine;
import dev.tollgate.probes.calendar.CalendarPolicy;
import dev.tollgate.probes.calendar.FeedCache;
import dev.tollgate.probes.calendar.HolidayCalendar;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tollgate calendar}: may an environment be deployed to now (or at {@code --at}), what blocks it and when it
 * may go; with {@code --upcoming}, the coming windows. Same engine as the probe and the dashboard.
 */
@Command(name = "calendar", mixinStandardHelpOptions = true,
    description = "Holiday, freeze and business-hours calendar of an environment. Exit code 0 allowed, 1 blocked, "
        + "2 usage or error (with --upcoming: 0 listed, 2 error).")
final class CalendarCommand implements Callable<Integer> {
  static final int ALLOWED = 0;
  static final int BLOCKED = 1;
  static final int ERROR = 2;

  /** One engine per process: holiday years and feeds are cached across calls. */
  /** Built when the command runs, not when picocli builds the command tree for every other command. */
  private static final class Engine {
    static final CalendarEngine INSTANCE = new CalendarEngine(new HolidayCalendar(), FeedCache.standard());
  }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--env", required = true, description = "Environment name from the config")
  String environment;

  @Option(names = "--at", description = "ISO-8601 instant to decide, e.g. 2026-12-24T10:00:00Z (default: now)")
  String at;

  @Option(names = "--config", description = "Server tollgate.yml (default: the built-in configuration)")
  Path config;

  @Option(names = "--repo-config", description = "A repository's .tollgate.yml to apply on top (it can only tighten)")
  Path repoConfig;

  @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
  String format;

  @Option(names = "--upcoming", description = "List the windows of this span from --at instead, e.g. 30d")
  String upcoming;

  private final java.util.function.Supplier<CalendarEngine> engine;
  private final Clock clock;

  CalendarCommand() {
    this.engine = () -> Engine.INSTANCE;
    this.clock = Clock.systemUTC();
  }

  CalendarCommand(CalendarEngine engine, Clock clock) {
    this.engine = () -> engine;
    this.clock = clock;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      if (!format.equals("text") && !format.equals("json")) {
        throw new IllegalArgumentException("--format: expected text or json, got \"" + format + "\"");
      }
      Instant when = at == null ? clock.instant() : instant(at);
      CalendarPolicy policy = policy(ServerConfigFile.load(config));
      if (upcoming != null) {
        Duration span = Durations.parse(upcoming, "--upcoming");
        List<BlockingWindow> windows = engine.get().upcoming(policy, when, span);
        out.print(format.equals("json") ? Json.writeString(upcomingJson(when, span, windows)) + "\n"
            : upcomingText(when, span, windows));
        out.flush();
        return ALLOWED;
      }
      CalendarDecision d = engine.get().evaluate(policy, when);
      out.print(format.equals("json") ? Json.writeString(decisionJson(d)) + "\n" : decisionText(d));
      out.flush();
      return d.allowed() ? ALLOWED : BLOCKED;
    } catch (IllegalArgumentException | IllegalStateException e) {
      spec.commandLine().getErr().println("tollgate calendar: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return ERROR;
    }
  }

  private CalendarPolicy policy(ServerConfigFile file) {
    JsonNode environments = file.section("environments");
    if (!environments.has(environment)) {
      throw new IllegalArgumentException("--env: unknown environment \"" + environment + "\" (configured: "
          + (environments.isObject() ? iterable(environments) : List.of()) + ")");
    }
    JsonNode server = new ServerSettings(file.section("defaults"), environments, environment).section("calendar");
    List<JsonNode> repo = List.of();
    Path repoRoot = null;
    if (repoConfig != null) {
      String text;
      try {
        text = Files.readString(repoConfig);
      } catch (IOException e) {
        throw new IllegalArgumentException("--repo-config " + repoConfig + ": cannot read: " + e.getMessage());
      }
      RepoConfig rc;
      try {
        rc = RepoConfig.parse(repoConfig.toString(), text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--repo-config " + repoConfig + ": " + e.getMessage());
      }
      repo = List.of(rc.section("calendar"), rc.section("defaults").path("calendar"), rc.environment(environment).path("calendar"));
      repoRoot = repoConfig.toAbsolutePath().getParent();
    }
    Path root = repoRoot;
    return CalendarPolicy.parse(environment, server, repo, path -> read(root, path), engine.get().holidays());
  }

  private static Optional<String> read(Path root, String path) {
    if (root == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(root.resolve(path)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static List<String> iterable(JsonNode object) {
    List<String> names = new java.util.ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Instant instant(String text) {
    try {
      return text.endsWith("Z") ? Instant.parse(text) : OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("--at: expected an ISO-8601 instant such as 2026-12-24T10:00:00Z, got \"" + text + "\"");
    }
  }

  /**
   * allowed, at, blocking[kind, name, region, start, end, zone], nextAllowed: the API's names (docs/json.md); the
   * snake_case names of the first release are written too, for one more release.
   */
  static ObjectNode decisionJson(CalendarDecision d) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("allowed", d.allowed());
    o.put("at", d.at().toString());
    ArrayNode blocking = o.putArray("blocking");
    d.blocking().forEach(w -> blocking.add(windowJson(w)));
    o.put("nextAllowed", d.nextAllowed() == null ? null : d.nextAllowed().toString());
    o.put("next_allowed", d.nextAllowed() == null ? null : d.nextAllowed().toString()); // deprecated: nextAllowed
    ArrayNode warnings = o.putArray("warnings");
    d.warnings().forEach(warnings::add);
    return o;
  }

  static ObjectNode upcomingJson(Instant from, Duration span, List<BlockingWindow> windows) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("from", from.toString());
    o.put("to", from.plus(span).toString());
    ArrayNode list = o.putArray("windows");
    windows.forEach(w -> list.add(windowJson(w)));
    return o;
  }

  private static ObjectNode windowJson(BlockingWindow w) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("kind", w.kind().label());
    o.put("name", w.name());
    o.put("region", w.region());
    o.put("start", w.start().toString());
    o.put("end", w.end() == null ? null : w.end().toString());
    o.put("startLocal", w.startLocal().toOffsetDateTime().toString());
    o.put("endLocal", w.end() == null ? null : w.endLocal().toOffsetDateTime().toString());
    o.put("zone", w.zone().getId());
    // Deprecated spellings of startLocal, endLocal and zone, kept for one release (docs/json.md).
    o.put("start_local", w.startLocal().toOffsetDateTime().toString());
    o.put("end_local", w.end() == null ? null : w.endLocal().toOffsetDateTime().toString());
    o.put("time_zone", w.zone().getId());
    o.put("source", w.source());
    return o;
  }

  private String decisionText(CalendarDecision d) {
    StringBuilder b = new StringBuilder();
    b.append(environment).append(" at ").append(d.at()).append(": ").append(d.allowed() ? "ALLOWED" : "BLOCKED").append('\n');
    d.blocking().forEach(w -> b.append("  ").append(w.describe()).append('\n'));
    d.warnings().forEach(w -> b.append("  warning: ").append(w).append('\n'));
    if (!d.allowed()) {
      b.append("next allowed: ").append(d.nextAllowed() == null ? "unknown" : d.nextAllowed().toString()).append('\n');
    }
    return b.toString();
  }

  private String upcomingText(Instant from, Duration span, List<BlockingWindow> windows) {
    StringBuilder b = new StringBuilder();
    b.append(environment).append(": ").append(windows.size()).append(" window").append(windows.size() == 1 ? "" : "s")
        .append(" from ").append(from).append(" to ").append(from.plus(span)).append('\n');
    windows.forEach(w -> b.append("  ").append(w.describe()).append('\n'));
    return b.toString();
  }
}
