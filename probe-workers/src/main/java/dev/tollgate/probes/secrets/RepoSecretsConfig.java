package dev.tollgate.probes.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a repository declares harmless: path globs and per-rule stopwords from the {@code secrets:} section of its
 * {@code .tollgate.yml}, and the accepted fingerprints of {@code .tollgate/secrets-baseline.json}.
 *
 * <pre>
 * secrets:
 *   allowPaths: ["docs/**", "**&#47;testdata/**"]
 *   stopwords:
 *     secrets/generic-password: [localdev]
 * </pre>
 *
 * Strict like the rest of the file: an unknown key or rule id is an error naming it.
 */
public final class RepoSecretsConfig {
  /** Where the baseline lives in a repository. */
  public static final String BASELINE_PATH = ".tollgate/secrets-baseline.json";

  private static final Set<String> KEYS = Set.of("allowPaths", "stopwords");
  private static final RepoSecretsConfig NONE = new RepoSecretsConfig(List.of(), Map.of(), Set.of());

  private final List<PathGlob> allowPaths;
  private final Map<String, List<String>> stopwords;
  private final Set<String> accepted;

  private RepoSecretsConfig(List<PathGlob> allowPaths, Map<String, List<String>> stopwords, Set<String> accepted) {
    this.allowPaths = List.copyOf(allowPaths);
    this.stopwords = Map.copyOf(stopwords);
    this.accepted = Set.copyOf(accepted);
  }

  /** Nothing allowed beyond the shipped rules' own allowlists. */
  public static RepoSecretsConfig none() {
    return NONE;
  }

  /**
   * Reads the {@code secrets:} section and the baseline.
   *
   * @param section the section (a missing node when absent)
   * @param baselineJson the baseline file's text, or null when there is none
   * @param knownRules rule ids stopwords may name
   * @throws IllegalArgumentException naming the key, rule or entry at fault (never quoting file content)
   */
  public static RepoSecretsConfig parse(JsonNode section, String baselineJson, Collection<String> knownRules) {
    List<PathGlob> globs = new ArrayList<>();
    Map<String, List<String>> words = new TreeMap<>();
    if (!section.isMissingNode() && !section.isNull()) {
      if (!section.isObject()) {
        throw new IllegalArgumentException("secrets: expected a mapping");
      }
      for (Iterator<String> it = section.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!KEYS.contains(key)) {
          throw new IllegalArgumentException("secrets." + key + ": unknown key (known: " + new java.util.TreeSet<>(KEYS) + ")");
        }
      }
      JsonNode paths = section.path("allowPaths");
      if (!paths.isMissingNode()) {
        if (!paths.isArray()) {
          throw new IllegalArgumentException("secrets.allowPaths: expected a list of path globs");
        }
        for (JsonNode p : paths) {
          if (!p.isTextual() || p.asText().isBlank()) {
            throw new IllegalArgumentException("secrets.allowPaths: expected non-empty strings, got " + p.getNodeType());
          }
          globs.add(PathGlob.of(p.asText()));
        }
      }
      JsonNode sw = section.path("stopwords");
      if (!sw.isMissingNode()) {
        if (!sw.isObject()) {
          throw new IllegalArgumentException("secrets.stopwords: expected a mapping of rule id to a list of words");
        }
        for (Map.Entry<String, JsonNode> e : sw.properties()) {
          String rule = e.getKey();
          if (!knownRules.contains(rule)) {
            throw new IllegalArgumentException("secrets.stopwords." + rule + ": unknown rule id");
          }
          if (!e.getValue().isArray()) {
            throw new IllegalArgumentException("secrets.stopwords." + rule + ": expected a list of words");
          }
          List<String> list = new ArrayList<>();
          for (JsonNode w : e.getValue()) {
            if (!w.isTextual() || w.asText().length() < 3) {
              throw new IllegalArgumentException("secrets.stopwords." + rule + ": expected words of at least 3 characters");
            }
            list.add(w.asText().toLowerCase(Locale.ROOT));
          }
          words.put(rule, List.copyOf(list));
        }
      }
    }
    return new RepoSecretsConfig(globs, words, baselineJson == null ? Set.of() : baseline(baselineJson));
  }

  private static Set<String> baseline(String json) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (JsonProcessingException e) {
      // The parser's message may quote the file; the location is enough.
      throw new IllegalArgumentException(BASELINE_PATH + ": not valid JSON"
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }
    if (root == null || !root.isObject() || !root.path("accepted").isArray()) {
      throw new IllegalArgumentException(BASELINE_PATH + ": expected {\"version\": 1, \"accepted\": [{\"fingerprint\": ...}]}");
    }
    if (root.path("version").asInt(1) != 1) {
      throw new IllegalArgumentException(BASELINE_PATH + ": version: expected 1");
    }
    Set<String> out = new HashSet<>();
    int i = 0;
    for (JsonNode entry : root.path("accepted")) {
      JsonNode fp = entry.isTextual() ? entry : entry.path("fingerprint");
      if (!fp.isTextual() || fp.asText().isBlank()) {
        throw new IllegalArgumentException(BASELINE_PATH + ": accepted[" + i + "]: expected a fingerprint");
      }
      out.add(fp.asText().strip());
      i++;
    }
    return out;
  }

  /** True when the repository excludes {@code path} from the scan. */
  public boolean pathAllowed(String path) {
    for (PathGlob g : allowPaths) {
      if (g.matches(path)) {
        return true;
      }
    }
    return false;
  }

  /** The repository's stopwords for {@code ruleId} (lower case). */
  List<String> stopwords(String ruleId) {
    return stopwords.getOrDefault(ruleId, List.of());
  }

  /** True when the baseline accepts a finding with {@code fingerprint}. */
  public boolean accepted(String fingerprint) {
    return accepted.contains(fingerprint);
  }
}
