package dev.tollgate.probes.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.contracts.ConfigKeys;
import dev.tollgate.contracts.Durations;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.RepoPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The repository's {@code .tollgate.yml} at the candidate commit. Strict: an unknown key is an error naming it,
 * because a typo that silently disables a check is worse than a failed deploy (squawk's rule).
 *
 * <pre>
 * version: 1
 * defaults:                 # every environment
 *   requiredProbes: [secrets]
 * environments:
 *   production:
 *     requiredProbes: [migrations, rollback]
 *     deadlines: {secrets: 20s}
 *     warningsBlock: true
 * secrets: ...              # each probe reads its own section
 * </pre>
 *
 * <p>The gate policy part may only tighten the server's policy; {@link #policyFor} extracts it.
 */
public final class RepoConfig {
  /** File names looked up at the repository root, first found wins. */
  public static final List<String> FILE_NAMES = List.of(".tollgate.yml", ".tollgate.yaml");

  /** Top-level keys: the gate policy plus one section per probe. A probe adds its section name here. */
  static final Set<String> TOP_LEVEL_KEYS = Set.of("version", "defaults", "environments",
      "calendar", "migrations", "parity", "rollback", "secrets");

  /** Keys of {@code defaults} and of each {@code environments.<name>}. Probes add their per-environment keys here. */
  static final Set<String> ENVIRONMENT_KEYS = Set.of("requiredProbes", "deadlines", "warningsBlock",
      // calendar (docs/calendar.md): the environment's regions, holidays, freezes, feeds and business hours
      "calendar",
      // parity (docs/parity.md): the promotion chain, the files compared, keys allowed to differ, the proof's mode
      "promotesFrom", "config", "specificKeys", "promotion",
      // rollback (docs/rollback.md): the environment's rollback budget and thresholds, tightened by the repository
      "rollback");

  private static final int MAX_BYTES = 256 * 1024;
  private static final ObjectMapper YAML;

  static {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(20);
    options.setCodePointLimit(MAX_BYTES);
    options.setAllowDuplicateKeys(false);
    YAML = new YAMLMapper(YAMLFactory.builder().loaderOptions(options).build());
  }

  private static final RepoConfig EMPTY = new RepoConfig("none", MissingNode.getInstance());

  private final String source;
  private final JsonNode root;

  private RepoConfig(String source, JsonNode root) {
    this.source = source;
    this.root = root;
  }

  /** No {@code .tollgate.yml} in the repository. */
  public static RepoConfig empty() {
    return EMPTY;
  }

  /**
   * Parses and validates the file.
   *
   * @param source where it came from, e.g. {@code .tollgate.yml@3f2c9a1b}
   * @throws IllegalArgumentException naming the key and the problem
   */
  public static RepoConfig parse(String source, String yaml) {
    if (yaml.length() > MAX_BYTES) {
      throw new IllegalArgumentException("file is larger than " + MAX_BYTES / 1024 + " KiB");
    }
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      // The parser's own message quotes the offending text (which may be a credential): only the place is named.
      throw new IllegalArgumentException("not valid YAML"
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return new RepoConfig(source, MissingNode.getInstance());
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException("expected a mapping at the top level");
    }
    requireKnownKeys(root, TOP_LEVEL_KEYS, "");
    JsonNode version = root.path("version");
    if (!version.isMissingNode() && !(version.isInt() && version.intValue() == 1)) {
      throw new IllegalArgumentException("version: expected 1");
    }
    if (root.has("defaults")) {
      requireObject(root.get("defaults"), "defaults");
      requireKnownKeys(root.get("defaults"), ENVIRONMENT_KEYS, "defaults.");
    }
    if (root.has("environments")) {
      JsonNode envs = requireObject(root.get("environments"), "environments");
      for (Map.Entry<String, JsonNode> env : envs.properties()) {
        requireObject(env.getValue(), "environments." + env.getKey());
        requireKnownKeys(env.getValue(), ENVIRONMENT_KEYS, "environments." + env.getKey() + ".");
      }
    }
    return new RepoConfig(source, root);
  }

  /** Where the file was read, or {@code none}. */
  public String source() {
    return source;
  }

  /** True when the repository has no (or an empty) {@code .tollgate.yml}. */
  public boolean isEmpty() {
    return root.isMissingNode();
  }

  /** A probe's section, a missing node when absent. */
  public JsonNode section(String name) {
    return root.path(name);
  }

  /** {@code environments.<name>}, a missing node when absent. */
  public JsonNode environment(String name) {
    return root.path("environments").path(name);
  }

  /**
   * The gate policy for {@code environment}: {@code defaults} merged with {@code environments.<environment>}
   * (union of required probes, the shorter deadline, warnings block if either says so).
   *
   * @param knownProbes probe ids this installation has; naming another is an error
   */
  public RepoPolicy policyFor(String environment, Set<ProbeId> knownProbes) {
    if (isEmpty()) {
      return new RepoPolicy(source, List.of(), Map.of(), false, null);
    }
    try {
      Set<ProbeId> required = new LinkedHashSet<>();
      Map<ProbeId, Duration> deadlines = new LinkedHashMap<>();
      boolean warningsBlock = false;
      for (String path : List.of("defaults", "environments." + environment)) {
        JsonNode node = path.equals("defaults") ? root.path("defaults") : environment(environment);
        if (node.isMissingNode()) {
          continue;
        }
        JsonNode probes = node.path("requiredProbes");
        if (!probes.isMissingNode()) {
          if (!probes.isArray()) {
            throw new IllegalArgumentException(path + ".requiredProbes: expected a list of probe names");
          }
          for (JsonNode p : probes) {
            required.add(knownProbe(p.asText(), path + ".requiredProbes", knownProbes));
          }
        }
        JsonNode dl = node.path("deadlines");
        if (!dl.isMissingNode()) {
          requireObject(dl, path + ".deadlines");
          for (Map.Entry<String, JsonNode> e : dl.properties()) {
            ProbeId probe = knownProbe(e.getKey(), path + ".deadlines", knownProbes);
            Duration d = duration(e.getValue(), path + ".deadlines." + e.getKey());
            deadlines.merge(probe, d, (a, b) -> a.compareTo(b) <= 0 ? a : b);
          }
        }
        JsonNode wb = node.path("warningsBlock");
        if (!wb.isMissingNode()) {
          if (!wb.isBoolean()) {
            throw new IllegalArgumentException(path + ".warningsBlock: expected true or false");
          }
          warningsBlock |= wb.booleanValue();
        }
      }
      return new RepoPolicy(source, new ArrayList<>(required), deadlines, warningsBlock, null);
    } catch (IllegalArgumentException e) {
      return RepoPolicy.invalid(source, e.getMessage());
    }
  }

  private static ProbeId knownProbe(String name, String key, Set<ProbeId> known) {
    ProbeId id;
    try {
      id = ProbeId.of(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": an entry is not a probe name (known: "
          + known.stream().sorted().map(ProbeId::value).toList() + ")");
    }
    if (!known.contains(id)) {
      throw new IllegalArgumentException(key + ": an entry names an unknown probe (known: "
          + known.stream().sorted().map(ProbeId::value).toList() + ")");
    }
    return id;
  }

  /** A duration; the error names the key only, never the value (config errors reach the verdict's reasons). */
  private static Duration duration(JsonNode node, String key) {
    try {
      return Durations.parse(node.asText(), key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": expected a duration such as 30s, 5m or PT30S");
    }
  }

  private static JsonNode requireObject(JsonNode node, String key) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(key + ": expected a mapping");
    }
    return node;
  }

  private static void requireKnownKeys(JsonNode node, Set<String> known, String prefix) {
    ConfigKeys.requireKnown(node, known, prefix);
  }
}
