package dev.tollgate.probes.parity;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Environment names as they appear in file names and keys: {@code production} is also spelled {@code prod}
 * ({@code values-prod.yaml}), and the conventional promotion order used when no chain is declared.
 */
final class EnvNames {
  private static final Map<String, List<String>> ALIASES = Map.of(
      "production", List.of("prod", "prd"),
      "prod", List.of("production", "prd"),
      "staging", List.of("stage", "stg"),
      "stage", List.of("staging", "stg"),
      "development", List.of("dev"),
      "dev", List.of("development"));

  /**
   * Stages of the conventional chain, earliest first. {@code test} is left out on purpose: Spring's
   * {@code application-test.yml} is the unit-test profile, not an environment.
   */
  static final List<List<String>> ORDER = List.of(
      List.of("development", "dev"),
      List.of("qa"),
      List.of("staging", "stage", "stg", "preprod", "pre-prod", "uat"),
      List.of("production", "prod", "prd"));

  /** Word patterns per environment-name variant. */
  private static final Map<String, Pattern> WORDS = new ConcurrentHashMap<>();

  private EnvNames() {}

  /** {@code env} and its usual abbreviations, lower-case, longest first (so {@code production} wins over {@code prod}). */
  static List<String> variants(String env) {
    Set<String> out = new LinkedHashSet<>();
    String lower = env.toLowerCase(Locale.ROOT);
    out.add(lower);
    out.addAll(ALIASES.getOrDefault(lower, List.of()));
    List<String> sorted = new ArrayList<>(out);
    sorted.sort((a, b) -> Integer.compare(b.length(), a.length()));
    return sorted;
  }

  /** Index of {@code env}'s stage in {@link #ORDER}, or -1 when it is not a conventional name. */
  static int stage(String env) {
    String lower = env.toLowerCase(Locale.ROOT);
    for (int s = 0; s < ORDER.size(); s++) {
      if (ORDER.get(s).contains(lower)) {
        return s;
      }
    }
    return -1;
  }

  /**
   * Replaces every occurrence of a variant of {@code env} that stands as a word (between separators {@code / . -
   * _ [ ]} or the ends) with {@code {env}}, ignoring case. Returns {@code s} unchanged when there is none.
   */
  static String placeholder(String s, List<String> variants) {
    String out = s;
    for (String v : variants) {
      Matcher m = word(v).matcher(out);
      out = m.replaceAll("{env}");
    }
    return out;
  }

  /** True when a variant stands as a word in {@code s}. */
  static boolean mentions(String s, List<String> variants) {
    for (String v : variants) {
      if (word(v).matcher(s).find()) {
        return true;
      }
    }
    return false;
  }

  private static Pattern word(String variant) {
    // Called per path and per key of large repositories: compile each variant's pattern once. Names come from
    // repositories too (promotesFrom), so the cache is bounded by a plain reset.
    if (WORDS.size() > 1_000) {
      WORDS.clear();
    }
    return WORDS.computeIfAbsent(variant, v -> Pattern.compile(
        "(?<=^|[/._\\-\\[\\]])" + Pattern.quote(v) + "(?=$|[/._\\-\\[\\]])", Pattern.CASE_INSENSITIVE));
  }
}
