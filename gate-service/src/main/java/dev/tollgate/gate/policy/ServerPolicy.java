package dev.tollgate.gate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.ConfigKeys;
import dev.tollgate.contracts.Durations;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.probe.ProbeId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The environments of {@code tollgate.yml} and what each requires:
 *
 * <pre>
 * defaults:
 *   deadline: 60s            # per probe, unless the environment says otherwise
 *   warningsBlock: false
 *   holdOnWindows: 7d        # a NO_GO only because of calendar windows waits and re-evaluates; false rejects
 * environments:
 *   staging: {}              # every known probe, required, default deadline
 *   production:
 *     warningsBlock: true
 *     probes:
 *       secrets: {deadline: 30s}
 *       calendar: {required: false}
 * </pre>
 *
 * <p>{@link #version()} is a hash of the effective policy, recorded on every verdict.
 */
public final class ServerPolicy {
  private static final Pattern ENV_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  /**
   * Sections read by the probes themselves ({@code ServerSettings} in probe-workers): one per probe, and
   * {@code readLimits}, how much each read limit a probe hits weighs in the environment (probe-workers
   * {@code ReadLimits}, which validates it).
   */
  private static final Set<String> PROBE_SECTIONS = Set.of("calendar", "migrations", "parity", "rollback", "secrets",
      "readLimits");
  private static final Set<String> DEFAULT_KEYS = union(Set.of("deadline", "warningsBlock", "holdOnWindows", "overrides",
      "locks", "queue"), PROBE_SECTIONS);
  private static final Set<String> ENV_KEYS = union(Set.of("probes", "deadline", "warningsBlock", "holdOnWindows",
      "overrides", "locks", "queue"), PROBE_SECTIONS);
  private static final Set<String> OVERRIDE_KEYS = Set.of("approvers", "required", "expiresAfter", "notOverridable");
  private static final Set<String> PROBE_KEYS = Set.of("required", "deadline");

  private final Map<String, EnvironmentPolicy> environments;
  private final String version;

  /**
   * @param source the configuration the policy was read from (the {@code defaults} and {@code environments}
   *     sections, probe settings included); its hash is the policy version
   */
  public ServerPolicy(Map<String, EnvironmentPolicy> environments, String source) {
    this.environments = Collections.unmodifiableMap(new TreeMap<>(environments));
    this.version = hash(Json.writeString(this.environments) + "\n" + source);
  }

  /**
   * Reads {@code defaults} and {@code environments}.
   *
   * @param knownProbes probes this installation runs; the default for environments that list none
   * @throws IllegalArgumentException naming the key and the bad value
   */
  public static ServerPolicy from(JsonNode defaults, JsonNode environments, Set<ProbeId> knownProbes) {
    requireKeys(defaults, DEFAULT_KEYS, "defaults");
    Duration defaultDeadline = deadline(defaults.path("deadline"), "defaults.deadline", Duration.ofSeconds(60));
    boolean defaultWarningsBlock = bool(defaults.path("warningsBlock"), "defaults.warningsBlock", false);
    Duration defaultHold = hold(defaults.path("holdOnWindows"), "defaults.holdOnWindows", Duration.ofDays(7));
    OverridePolicy defaultOverrides = overrides(defaults.path("overrides"), "defaults.overrides", OverridePolicy.NONE,
        knownProbes);
    AdmissionPolicy defaultAdmission = AdmissionPolicy.from(defaults.path("locks"), defaults.path("queue"), "defaults",
        AdmissionPolicy.DEFAULT);
    if (environments.isMissingNode() || environments.isNull() || environments.isEmpty()) {
      throw new IllegalArgumentException("environments: expected at least one environment, got none");
    }
    if (!environments.isObject()) {
      throw new IllegalArgumentException("environments: expected a mapping of environment names");
    }
    Map<String, EnvironmentPolicy> envs = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : environments.properties()) {
      String name = entry.getKey();
      String key = "environments." + name;
      if (!ENV_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(key + ": environment names are lower-case letters, digits, '.', '_' or '-'");
      }
      JsonNode env = entry.getValue() == null || entry.getValue().isNull() ? Json.mapper().createObjectNode() : entry.getValue();
      requireKeys(env, ENV_KEYS, key);
      Duration envDeadline = deadline(env.path("deadline"), key + ".deadline", defaultDeadline);
      boolean warningsBlock = bool(env.path("warningsBlock"), key + ".warningsBlock", defaultWarningsBlock);
      Duration holdFor = hold(env.path("holdOnWindows"), key + ".holdOnWindows", defaultHold);
      OverridePolicy overrides = overrides(env.path("overrides"), key + ".overrides", defaultOverrides, knownProbes);
      AdmissionPolicy admission = AdmissionPolicy.from(env.path("locks"), env.path("queue"), key, defaultAdmission);
      Map<ProbeId, ProbeRequirement> probes = new TreeMap<>();
      JsonNode probesNode = env.path("probes");
      if (probesNode.isMissingNode()) {
        knownProbes.forEach(p -> probes.put(p, new ProbeRequirement(true, envDeadline)));
      } else {
        if (!probesNode.isObject()) {
          throw new IllegalArgumentException(key + ".probes: expected a mapping of probe names");
        }
        for (Map.Entry<String, JsonNode> p : probesNode.properties()) {
          String pkey = key + ".probes." + p.getKey();
          ProbeId id = probe(p.getKey(), pkey, knownProbes);
          JsonNode settings = p.getValue() == null || p.getValue().isNull() ? Json.mapper().createObjectNode() : p.getValue();
          requireKeys(settings, PROBE_KEYS, pkey);
          probes.put(id, new ProbeRequirement(bool(settings.path("required"), pkey + ".required", true),
              deadline(settings.path("deadline"), pkey + ".deadline", envDeadline)));
        }
      }
      envs.put(name, new EnvironmentPolicy(name, probes, envDeadline, warningsBlock, holdFor, overrides, admission));
    }
    return new ServerPolicy(envs, defaults.toString() + "\n" + environments.toString());
  }

  /** The environment's policy, if the environment is configured. */
  public Optional<EnvironmentPolicy> environment(String name) {
    return Optional.ofNullable(environments.get(name));
  }

  /** Every configured environment, by name. */
  public Map<String, EnvironmentPolicy> environments() {
    return environments;
  }

  /** Short hash of the effective policy. */
  public String version() {
    return version;
  }

  static ProbeId probe(String name, String key, Set<ProbeId> known) {
    ProbeId id;
    try {
      id = ProbeId.of(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": \"" + name + "\" is not a probe name");
    }
    if (!known.contains(id)) {
      throw new IllegalArgumentException(key + ": unknown probe \"" + name + "\" (known: "
          + known.stream().sorted().map(ProbeId::value).toList() + ")");
    }
    return id;
  }

  private static Duration deadline(JsonNode node, String key, Duration fallback) {
    if (node.isMissingNode()) {
      return fallback;
    }
    Duration d = Durations.parse(node.asText(), key);
    if (d.isZero() || d.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(key + ": expected a duration between 1ms and 1h, got \"" + node.asText() + "\"");
    }
    return d;
  }

  /** The {@code overrides} section; an environment's section replaces the defaults' as a whole. */
  private static OverridePolicy overrides(JsonNode node, String key, OverridePolicy fallback, Set<ProbeId> known) {
    if (node.isMissingNode()) {
      return fallback;
    }
    requireKeys(node, OVERRIDE_KEYS, key);
    java.util.List<String> approvers = new java.util.ArrayList<>();
    JsonNode list = node.path("approvers");
    if (!list.isMissingNode()) {
      if (!list.isArray()) {
        throw new IllegalArgumentException(key + ".approvers: expected a list of identities");
      }
      for (JsonNode a : list) {
        if (!a.isTextual() || a.asText().isBlank()) {
          throw new IllegalArgumentException(key + ".approvers: expected non-empty strings, got " + a);
        }
        approvers.add(a.asText());
      }
    }
    JsonNode required = node.path("required");
    int n = 1;
    if (!required.isMissingNode()) {
      if (!required.isIntegralNumber() || required.intValue() < 1) {
        throw new IllegalArgumentException(key + ".required: expected a positive integer, got " + required);
      }
      n = required.intValue();
    }
    if (!approvers.isEmpty() && n > approvers.size()) {
      throw new IllegalArgumentException(key + ".required: " + n + " approvals needed but only " + approvers.size()
          + " approvers listed");
    }
    Duration expires = node.path("expiresAfter").isMissingNode() ? fallback.expiresAfter()
        : Durations.parse(node.path("expiresAfter").asText(), key + ".expiresAfter");
    Set<ProbeId> never = new java.util.TreeSet<>();
    JsonNode no = node.path("notOverridable");
    if (no.isMissingNode()) {
      never.addAll(fallback.notOverridable());
    } else {
      if (!no.isArray()) {
        throw new IllegalArgumentException(key + ".notOverridable: expected a list of probe names");
      }
      for (JsonNode p : no) {
        never.add(probe(p.asText(), key + ".notOverridable", known));
      }
    }
    return new OverridePolicy(approvers, n, expires, never);
  }

  /** {@code holdOnWindows: 7d} holds up to a week; {@code false} (or 0s) rejects at once. */
  private static Duration hold(JsonNode node, String key, Duration fallback) {
    if (node.isMissingNode()) {
      return fallback;
    }
    if (node.isBoolean()) {
      return node.booleanValue() ? fallback : Duration.ZERO;
    }
    Duration d = Durations.parse(node.asText(), key);
    if (d.compareTo(Duration.ofDays(30)) > 0) {
      throw new IllegalArgumentException(key + ": expected false or a duration up to 30d, got \"" + node.asText() + "\"");
    }
    return d;
  }

  private static boolean bool(JsonNode node, String key, boolean fallback) {
    if (node.isMissingNode()) {
      return fallback;
    }
    if (!node.isBoolean()) {
      throw new IllegalArgumentException(key + ": expected true or false, got " + node);
    }
    return node.booleanValue();
  }

  static void requireKeys(JsonNode node, Set<String> known, String prefix) {
    if (node.isMissingNode()) {
      return;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(prefix + ": expected a mapping");
    }
    ConfigKeys.requireKnown(node, known, prefix);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  private static String hash(String text) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
