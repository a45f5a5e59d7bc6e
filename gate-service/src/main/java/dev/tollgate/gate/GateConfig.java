package dev.tollgate.gate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.ConfigKeys;
import dev.tollgate.contracts.Durations;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.evaluation.RepositoryAllowList;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.gate.auth.Tokens;
import dev.tollgate.gate.delivery.DeliverySettings;
import dev.tollgate.gate.policy.ServerPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Gate settings, from {@code tollgate.yml} ({@code http}, {@code gate}, {@code tenants}, {@code defaults},
 * {@code environments}, {@code repositories}, {@code tokens}, {@code delivery}). Built once at start; a bad value fails the start
 * with a message naming the key.
 *
 * @param applicationId Kafka Streams application id of the verdict aggregator (shared by all gate instances)
 * @param stateDir where the aggregator keeps local state (rebuilt from its changelog when lost)
 * @param knownProbes the probes this installation runs
 * @param maxViewEvaluations evaluations each gate keeps in memory for the API (the oldest are dropped)
 * @param delivery what the delivery metrics count as a failed change ({@code delivery:})
 * @param warmup the most time the gate spends warming its own path before it reports ready ({@code gate.warmup},
 *     {@link GateWarmup}; {@code 0s}: none)
 */
public record GateConfig(String httpHost, int httpPort, int bodyLimitBytes, Topics topics, String applicationId,
    int streamThreads, ServerPolicy policy, RepositoryAllowList allowList, Tokens tokens, Set<String> tenants,
    Set<ProbeId> knownProbes, int maxViewEvaluations, Path stateDir, DeliverySettings delivery, Duration warmup) {

  /** Where the HTTP server listens unless {@code http.host} (or {@code serve --http-host}) says otherwise. */
  public static final String LOOPBACK = "127.0.0.1";
  private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  private static final Set<String> HTTP_KEYS = Set.of("host", "port", "bodyLimit");
  private static final Set<String> GATE_KEYS = Set.of("applicationId", "streamThreads", "maxEvaluationsInView", "warmup");

  public GateConfig {
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(allowList, "allowList");
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(warmup, "warmup");
    if (warmup.isNegative() || warmup.compareTo(dev.tollgate.contracts.warmup.WarmupThread.MAX_BUDGET) > 0) {
      // Readiness waits for the warm-up: a day's budget would keep the gate unready for a day.
      throw new IllegalArgumentException("gate.warmup: expected a duration from 0s to 5m, got " + warmup);
    }
    tenants = Set.copyOf(tenants);
    knownProbes = Set.copyOf(knownProbes);
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("http.port: expected 0-65535, got " + httpPort);
    }
  }

  /** Settings with the default delivery metrics settings and warm-up. */
  public GateConfig(String httpHost, int httpPort, int bodyLimitBytes, Topics topics, String applicationId,
      int streamThreads, ServerPolicy policy, RepositoryAllowList allowList, Tokens tokens, Set<String> tenants,
      Set<ProbeId> knownProbes, int maxViewEvaluations, Path stateDir) {
    this(httpHost, httpPort, bodyLimitBytes, topics, applicationId, streamThreads, policy, allowList, tokens, tenants,
        knownProbes, maxViewEvaluations, stateDir, DeliverySettings.DEFAULT, GateWarmup.DEFAULT_BUDGET);
  }

  /**
   * Reads the gate's part of {@code tollgate.yml}.
   *
   * @param extraTokens tokens made by the launcher (the all-in-one admin token)
   * @param allowLocalPathsByDefault true for the all-in-one, so the README tour works without a git host
   * @throws IllegalArgumentException naming the key and the bad value
   */
  public static GateConfig from(JsonNode root, Topics topics, Path dataDir, Set<ProbeId> knownProbes,
      List<Tokens.Entry> extraTokens, boolean allowLocalPathsByDefault) {
    JsonNode http = root.path("http");
    JsonNode gate = root.path("gate");
    requireKeys(http, HTTP_KEYS, "http");
    requireKeys(gate, GATE_KEYS, "gate");
    Set<String> tenants = tenants(root.path("tenants"));
    List<Tokens.Entry> tokens = new ArrayList<>(Tokens.parse(root.path("tokens"), tenants));
    tokens.addAll(extraTokens);
    return new GateConfig(
        // Loopback unless told otherwise: a gate (with local repository paths allowed) is opened to the network on purpose.
        http.path("host").asText(LOOPBACK),
        integer(http.path("port"), "http.port", 8080, 0, 65535),
        bytes(http.path("bodyLimit"), "http.bodyLimit", 1 << 20),
        topics,
        text(gate.path("applicationId"), "gate.applicationId", topics.prefix() + "tollgate-gate"),
        integer(gate.path("streamThreads"), "gate.streamThreads", 1, 1, 32),
        ServerPolicy.from(root.path("defaults"), root.path("environments"), knownProbes),
        RepositoryAllowList.fromConfig(root.path("repositories"), allowLocalPathsByDefault),
        Tokens.of(tokens),
        tenants,
        knownProbes,
        integer(gate.path("maxEvaluationsInView"), "gate.maxEvaluationsInView", 100_000, 100, 10_000_000),
        dataDir.resolve("streams"),
        DeliverySettings.from(root.path("delivery")),
        gate.path("warmup").isMissingNode() ? GateWarmup.DEFAULT_BUDGET : Durations.parse(gate.path("warmup").asText(), "gate.warmup"));
  }

  /** The tenant requests go to when the token does not pick one. */
  public String defaultTenant() {
    return tenants.size() == 1 ? tenants.iterator().next() : tenants.contains("default") ? "default" : null;
  }

  /** The same settings listening on {@code host} ({@code 0.0.0.0}: every interface). */
  public GateConfig withHttpHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("http.host: expected an address or host name, got \"" + host + "\"");
    }
    return new GateConfig(host, httpPort, bodyLimitBytes, topics, applicationId, streamThreads, policy, allowList, tokens,
        tenants, knownProbes, maxViewEvaluations, stateDir, delivery, warmup);
  }

  public GateConfig withHttpPort(int port) {
    return new GateConfig(httpHost, port, bodyLimitBytes, topics, applicationId, streamThreads, policy, allowList, tokens,
        tenants, knownProbes, maxViewEvaluations, stateDir, delivery, warmup);
  }

  private static Set<String> tenants(JsonNode node) {
    if (node.isMissingNode()) {
      return Set.of("default");
    }
    if (!node.isArray() || node.isEmpty()) {
      throw new IllegalArgumentException("tenants: expected a non-empty list of tenant names");
    }
    Set<String> tenants = new LinkedHashSet<>();
    for (JsonNode t : node) {
      String name = t.asText("");
      if (!TENANT.matcher(name).matches()) {
        throw new IllegalArgumentException("tenants: tenant names are lower-case letters, digits, '.', '_' or '-', got \"" + name + "\"");
      }
      tenants.add(name);
    }
    return tenants;
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

  private static int integer(JsonNode node, String key, int fallback, int min, int max) {
    if (node.isMissingNode()) {
      return fallback;
    }
    if (!node.isIntegralNumber() || node.asLong() < min || node.asLong() > max) {
      throw new IllegalArgumentException(key + ": expected " + min + "-" + max + ", got " + node);
    }
    return node.intValue();
  }

  private static String text(JsonNode node, String key, String fallback) {
    if (node.isMissingNode()) {
      return fallback;
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      throw new IllegalArgumentException(key + ": expected a non-empty string, got " + node);
    }
    return node.asText();
  }

  /** {@code 1048576}, {@code 512KB}, {@code 1MB}. */
  private static int bytes(JsonNode node, String key, int fallback) {
    if (node.isMissingNode()) {
      return fallback;
    }
    String t = node.asText().strip().toUpperCase(java.util.Locale.ROOT);
    long factor = 1;
    if (t.endsWith("KB")) {
      factor = 1024;
      t = t.substring(0, t.length() - 2);
    } else if (t.endsWith("MB")) {
      factor = 1024 * 1024;
      t = t.substring(0, t.length() - 2);
    }
    try {
      long v = Long.parseLong(t.strip()) * factor;
      if (v >= 1024 && v <= 64L * 1024 * 1024) {
        return (int) v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(key + ": expected a size between 1KB and 64MB like 1MB, got " + node);
  }
}
