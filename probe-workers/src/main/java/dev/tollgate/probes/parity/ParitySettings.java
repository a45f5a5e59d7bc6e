package dev.tollgate.probes.parity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.probes.api.RepoConfig;
import dev.tollgate.probes.api.ServerSettings;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parity's settings for one evaluation, read from the repository's {@code .tollgate.yml} and the operators'
 * {@code tollgate.yml} (docs/parity.md). Never throws: problems are collected in {@link #errors()} and reported
 * by {@link InvalidParityConfigRule}, so one typo fails the probe with its name instead of an exception.
 *
 * <p>Precedence: the server's {@code promotesFrom} wins over the repository's (operators own the environment
 * topology); the proof mode is the stricter of the two; the server can forbid the hotfix bypass.
 */
final class ParitySettings {
  /** How a missing promotion proof weighs. */
  enum ProofMode {
    OFF, WARN, BLOCK;

    static ProofMode parse(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

  static final Set<String> SECTION_KEYS = Set.of("detect", "ignoreKeys", "secretKeys", "flagKeys", "exclude");
  static final Set<String> PROMOTION_KEYS = Set.of("proof", "hotfix");
  static final Set<String> SERVER_KEYS = Set.of("promotesFrom", "promotion");
  static final Set<String> SERVER_PROMOTION_KEYS = Set.of("proof", "allowHotfix");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  private final List<String> errors = new ArrayList<>();
  private final String target;
  private boolean detect = true;
  private final List<Glob> ignoreKeys = new ArrayList<>();
  private final List<Glob> secretKeys = new ArrayList<>();
  private final List<Glob> flagKeys = new ArrayList<>();
  private final List<Glob> exclude = new ArrayList<>();
  private final List<Glob> specificKeys = new ArrayList<>();
  private String previous;
  private String previousSource;
  private ProofMode proof = ProofMode.BLOCK;
  private com.google.re2j.Pattern hotfix;
  private String hotfixSource;
  private boolean hotfixAllowed = true;
  private List<Glob> targetConfig;
  private List<Glob> previousConfig;

  private ParitySettings(String target) {
    this.target = target;
  }

  static ParitySettings read(RepoConfig repo, ServerSettings server, String target) {
    ParitySettings s = new ParitySettings(target);
    s.readRepo(repo);
    s.readServer(server.section("parity"));
    if (s.previous != null) {
      s.comparedWith(repo, s.previous);
    }
    return s;
  }

  /**
   * Takes the other environment's environment-specific keys and declared files into account: called for the
   * declared previous environment, or for the one detection inferred.
   */
  void comparedWith(RepoConfig repo, String other) {
    JsonNode env = repo.environment(other);
    specificKeys.addAll(keyGlobs(env.path("specificKeys"), "environments." + other + ".specificKeys"));
    previousConfig = configGlobs(env.path("config"), "environments." + other + ".config");
    if ((targetConfig == null) != (previousConfig == null)) {
      String has = targetConfig != null ? target : other;
      String lacks = targetConfig != null ? other : target;
      errors.add("environments." + lacks + ".config: required because environments." + has
          + ".config is set (the two are compared layer by layer)");
    }
  }

  private void readRepo(RepoConfig repo) {
    JsonNode section = repo.section("parity");
    if (!section.isMissingNode() && !section.isNull()) {
      if (!section.isObject()) {
        errors.add("parity: expected a mapping");
      } else {
        knownKeys(section, SECTION_KEYS, "parity.");
        JsonNode d = section.path("detect");
        if (!d.isMissingNode()) {
          if (d.isBoolean()) {
            detect = d.booleanValue();
          } else {
            errors.add("parity.detect: expected true or false");
          }
        }
        ignoreKeys.addAll(keyGlobs(section.path("ignoreKeys"), "parity.ignoreKeys"));
        secretKeys.addAll(keyGlobs(section.path("secretKeys"), "parity.secretKeys"));
        flagKeys.addAll(keyGlobs(section.path("flagKeys"), "parity.flagKeys"));
        for (String p : strings(section.path("exclude"), "parity.exclude")) {
          exclude.add(Glob.path(p));
        }
      }
    }
    JsonNode defaults = repo.section("defaults");
    for (String envOnly : List.of("promotesFrom", "config")) {
      if (defaults.has(envOnly)) {
        errors.add("defaults." + envOnly + ": belongs to one environment (environments.<name>." + envOnly + ")");
      }
    }
    specificKeys.addAll(keyGlobs(defaults.path("specificKeys"), "defaults.specificKeys"));
    readPromotion(defaults.path("promotion"), "defaults.promotion");
    // Every environment is validated, not only the two compared: a typo in staging's section is found now.
    JsonNode envs = repo.section("environments");
    for (Map.Entry<String, JsonNode> e : envs.properties()) {
      String prefix = "environments." + e.getKey() + ".";
      JsonNode env = e.getValue();
      JsonNode from = env.path("promotesFrom");
      if (!from.isMissingNode()) {
        if (!from.isTextual() || !ENV_NAME.matcher(from.asText()).matches()) {
          errors.add(prefix + "promotesFrom: expected an environment name");
        } else if (from.asText().equals(e.getKey())) {
          errors.add(prefix + "promotesFrom: an environment cannot promote from itself");
        }
      }
      List<Glob> specific = keyGlobs(env.path("specificKeys"), prefix + "specificKeys");
      List<Glob> config = configGlobs(env.path("config"), prefix + "config");
      if (e.getKey().equals(target)) {
        if (from.isTextual()) {
          previous = from.asText();
          previousSource = ".tollgate.yml environments." + target + ".promotesFrom";
        }
        specificKeys.addAll(specific);
        targetConfig = config;
        readPromotion(env.path("promotion"), prefix + "promotion");
      } else if (env.has("promotion")) {
        // Another environment's promotion settings: only validated, into a scratch instance.
        ParitySettings other = new ParitySettings(e.getKey());
        other.readPromotion(env.path("promotion"), prefix + "promotion");
        errors.addAll(other.errors);
      }
    }
  }

  private void readPromotion(JsonNode node, String key) {
    if (node.isMissingNode()) {
      return;
    }
    if (!node.isObject()) {
      errors.add(key + ": expected a mapping with proof and/or hotfix");
      return;
    }
    knownKeys(node, PROMOTION_KEYS, key + ".");
    JsonNode p = node.path("proof");
    if (!p.isMissingNode()) {
      try {
        proof = ProofMode.parse(proofText(p));
      } catch (IllegalArgumentException e) {
        errors.add(key + ".proof: expected block, warn or off");
      }
    }
    JsonNode h = node.path("hotfix");
    if (!h.isMissingNode()) {
      // The pattern comes from the repository and runs on the worker: RE2 matches in linear time, so no pattern can
      // stall the probe pool (backreferences and lookarounds, which need backtracking, are refused here).
      try {
        hotfix = dev.tollgate.probes.api.RepoPatterns.compile(h, key + ".hotfix");
        hotfixSource = h.asText();
      } catch (IllegalArgumentException e) {
        errors.add(e.getMessage());
      }
    }
  }

  private void readServer(JsonNode section) {
    if (section.isMissingNode() || section.isNull()) {
      return;
    }
    String where = "server tollgate.yml parity";
    if (!section.isObject()) {
      errors.add(where + ": expected a mapping");
      return;
    }
    knownKeys(section, SERVER_KEYS, where + ".");
    JsonNode from = section.path("promotesFrom");
    if (!from.isMissingNode()) {
      if (!from.isTextual() || !ENV_NAME.matcher(from.asText()).matches() || from.asText().equals(target)) {
        errors.add(where + ".promotesFrom: expected another environment's name, got " + from);
      } else {
        previous = from.asText();
        previousSource = "server tollgate.yml parity.promotesFrom";
      }
    }
    JsonNode promotion = section.path("promotion");
    if (promotion.isMissingNode()) {
      return;
    }
    if (!promotion.isObject()) {
      errors.add(where + ".promotion: expected a mapping");
      return;
    }
    knownKeys(promotion, SERVER_PROMOTION_KEYS, where + ".promotion.");
    JsonNode p = promotion.path("proof");
    if (!p.isMissingNode()) {
      try {
        ProofMode floor = ProofMode.parse(proofText(p));
        // The repository may only tighten what the operators set.
        if (floor.compareTo(proof) > 0) {
          proof = floor;
        }
      } catch (IllegalArgumentException e) {
        errors.add(where + ".promotion.proof: expected block, warn or off, got " + p);
      }
    }
    JsonNode allow = promotion.path("allowHotfix");
    if (!allow.isMissingNode()) {
      if (allow.isBoolean()) {
        hotfixAllowed = allow.booleanValue();
      } else {
        errors.add(where + ".promotion.allowHotfix: expected true or false, got " + allow);
      }
    }
  }

  /** YAML 1.1 reads an unquoted {@code off} as false; that is what the author meant. */
  private static String proofText(JsonNode p) {
    return p.isBoolean() && !p.booleanValue() ? "off" : p.asText();
  }

  private List<Glob> keyGlobs(JsonNode node, String key) {
    List<Glob> out = new ArrayList<>();
    for (String s : strings(node, key)) {
      out.add(Glob.key(s));
    }
    return out;
  }

  /** A list of path globs, or null when the key is absent (detection applies). */
  private List<Glob> configGlobs(JsonNode node, String key) {
    if (node.isMissingNode()) {
      return null;
    }
    List<Glob> out = new ArrayList<>();
    for (String s : strings(node, key)) {
      out.add(Glob.path(s.startsWith("/") ? s.substring(1) : s));
    }
    if (out.isEmpty()) {
      errors.add(key + ": expected at least one file or glob");
    }
    return out;
  }

  private List<String> strings(JsonNode node, String key) {
    List<String> out = new ArrayList<>();
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (node.isTextual()) {
      out.add(node.asText());
      return out;
    }
    if (!node.isArray()) {
      errors.add(key + ": expected a list of strings");
      return out;
    }
    for (JsonNode item : node) {
      if (item.isTextual() && !item.asText().isBlank()) {
        out.add(item.asText());
      } else {
        errors.add(key + ": expected a list of strings");
      }
    }
    return out;
  }

  private void knownKeys(JsonNode node, Set<String> known, String prefix) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        errors.add(prefix + k + ": unknown key (known: " + known.stream().sorted().toList() + ")");
      }
    }
  }

  List<String> errors() {
    return errors;
  }

  boolean valid() {
    return errors.isEmpty();
  }

  String target() {
    return target;
  }

  /** The environment the target promotes from, declared by the repository or the server; null when none. */
  String previous() {
    return previous;
  }

  /** Where {@link #previous()} was declared. */
  String previousSource() {
    return previousSource;
  }

  boolean detect() {
    return detect;
  }

  List<Glob> ignoreKeys() {
    return ignoreKeys;
  }

  List<Glob> secretKeys() {
    return secretKeys;
  }

  List<Glob> flagKeys() {
    return flagKeys;
  }

  List<Glob> exclude() {
    return exclude;
  }

  List<Glob> specificKeys() {
    return specificKeys;
  }

  ProofMode proof() {
    return proof;
  }

  /** The hotfix pattern when one is set and the server allows it, else null. */
  com.google.re2j.Pattern hotfix() {
    return hotfixAllowed ? hotfix : null;
  }

  String hotfixSource() {
    return hotfixSource;
  }

  /** Declared config of the target, null when detection applies. */
  List<Glob> targetConfig() {
    return targetConfig;
  }

  List<Glob> previousConfig() {
    return previousConfig;
  }
}
