package dev.tollgate.probes.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.probe.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How much each {@link ReadLimit} weighs in one environment: BLOCK unless the operators downgraded it in the server's
 * {@code tollgate.yml} (never the repository's: a repository must not be able to make the gate read less of it).
 *
 * <pre>
 * defaults:
 *   readLimits: {fileSize: block, commits: block, totalBytes: block, unparseable: block}   # the default
 * environments:
 *   development:
 *     readLimits: {fileSize: warn, commits: info}     # then the finding says it was downgraded, and by what
 * </pre>
 *
 * Like every probe section, an environment's {@code readLimits} replaces {@code defaults.readLimits} as a whole.
 */
public final class ReadLimits {
  /** The section name, under {@code defaults} and {@code environments.<env>}. */
  public static final String SECTION = "readLimits";

  private static final ReadLimits BLOCK_ALL = new ReadLimits("", new EnumMap<>(ReadLimit.class), null);
  private static final Object KEY = new Object();

  private final String environment;
  private final Map<ReadLimit, Severity> downgraded;
  private final String problem;

  private ReadLimits(String environment, Map<ReadLimit, Severity> downgraded, String problem) {
    this.environment = environment;
    this.downgraded = downgraded;
    this.problem = problem;
  }

  /** Every limit blocks (no server settings: the CLI, tests). */
  public static ReadLimits blockAll() {
    return BLOCK_ALL;
  }

  /** The limits of {@code ctx}'s environment, read once per context. */
  public static ReadLimits of(RuleContext ctx) {
    return ctx.shared(KEY, () -> from(ctx.server()));
  }

  /**
   * The limits of {@code settings.environment()}. An invalid section (which {@code config validate} and the worker's
   * start refuse) downgrades nothing: every limit blocks, and {@link #problem()} says why.
   */
  public static ReadLimits from(ServerSettings settings) {
    JsonNode section = settings.section(SECTION);
    List<String> problems = new ArrayList<>();
    Map<ReadLimit, Severity> out = parse(section, settings.environment(), problems);
    if (!problems.isEmpty()) {
      return new ReadLimits(settings.environment(), new EnumMap<>(ReadLimit.class), String.join("; ", problems));
    }
    return new ReadLimits(settings.environment(), out, null);
  }

  /**
   * Problems of {@code defaults.readLimits} and every {@code environments.<env>.readLimits}, each naming its key.
   *
   * @param defaults the {@code defaults} section of tollgate.yml
   * @param environments the {@code environments} section
   */
  public static List<String> validate(JsonNode defaults, JsonNode environments) {
    List<String> problems = new ArrayList<>();
    parse(defaults.path(SECTION), null, problems);
    for (Map.Entry<String, JsonNode> e : environments.properties()) {
      parse(e.getValue() == null ? null : e.getValue().path(SECTION), e.getKey(), problems);
    }
    return problems;
  }

  private static Map<ReadLimit, Severity> parse(JsonNode section, String environment, List<String> problems) {
    Map<ReadLimit, Severity> out = new EnumMap<>(ReadLimit.class);
    if (section == null || section.isMissingNode() || section.isNull()) {
      return out;
    }
    String where = environment == null ? "defaults." + SECTION : "environments." + environment + "." + SECTION;
    if (!section.isObject()) {
      problems.add(where + ": expected a mapping such as {fileSize: warn}");
      return out;
    }
    for (Map.Entry<String, JsonNode> e : section.properties()) {
      ReadLimit limit = Arrays.stream(ReadLimit.values()).filter(l -> l.key().equals(e.getKey())).findFirst().orElse(null);
      if (limit == null) {
        problems.add(where + "." + e.getKey() + ": unknown limit (known: "
            + Arrays.stream(ReadLimit.values()).map(ReadLimit::key).toList() + ")");
        continue;
      }
      String v = e.getValue().isTextual() ? e.getValue().asText().toLowerCase(Locale.ROOT) : "";
      switch (v) {
        case "block" -> { }
        case "warn" -> out.put(limit, Severity.WARN);
        case "info" -> out.put(limit, Severity.INFO);
        default -> problems.add(where + "." + e.getKey() + ": expected block, warn or info, got " + e.getValue());
      }
    }
    return out;
  }

  /** The severity a finding about {@code limit} gets here. */
  public Severity severity(ReadLimit limit) {
    return downgraded.getOrDefault(limit, Severity.BLOCK);
  }

  /** Why the server's section could not be used (every limit then blocks), else null. */
  public String problem() {
    return problem;
  }

  /**
   * A violation about something {@code limit} cut: BLOCK, or the downgraded severity with the downgrade named in the
   * message, so the evaluation shows that this environment accepted reading less.
   *
   * @param file the file concerned, or null for the whole range
   * @param message what was not read, and why
   */
  public RuleViolation violation(ReadLimit limit, String file, String message) {
    Severity s = severity(limit);
    String text = message;
    if (s != Severity.BLOCK) {
      text += " (downgraded to " + s + " for environment " + environment + " by readLimits." + limit.key()
          + " in the server's tollgate.yml)";
    } else if (problem != null) {
      text += " (readLimits in the server's tollgate.yml is invalid, so nothing is downgraded: " + problem + ")";
    }
    return new RuleViolation(file, 0, text, null, s, null, null, null);
  }
}
