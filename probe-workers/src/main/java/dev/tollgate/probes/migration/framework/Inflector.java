package dev.tollgate.probes.migration.framework;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * English plurals and Ruby/Python naming as ORMs derive table names: ActiveRecord's default inflections
 * ({@code person} → {@code people}, {@code category} → {@code categories}, {@code UserProfile} → {@code user_profiles}).
 * Only the default rules: an application's custom inflections are not known statically.
 */
final class Inflector {
  private Inflector() {}

  private static final Set<String> UNCOUNTABLE = Set.of("equipment", "information", "rice", "money", "species", "series",
      "fish", "sheep", "jeans", "police", "news", "metadata", "data");
  private static final Map<String, String> IRREGULAR = Map.of("person", "people", "man", "men", "child", "children",
      "sex", "sexes", "move", "moves", "zombie", "zombies", "woman", "women", "mouse", "mice", "ox", "oxen");

  private record Rule(Pattern pattern, String replacement) {}

  private static Rule r(String regex, String replacement) {
    return new Rule(Pattern.compile(regex, Pattern.CASE_INSENSITIVE), replacement);
  }

  /** ActiveSupport's plural rules, most specific first. */
  private static final List<Rule> PLURAL = List.of(
      r("(quiz)$", "$1zes"), r("^(oxen)$", "$1"), r("^(ox)$", "$1en"), r("^(m|l)ice$", "$1ice"),
      r("^(m|l)ouse$", "$1ice"), r("(matr|vert|ind)(?:ix|ex)$", "$1ices"), r("(x|ch|ss|sh)$", "$1es"),
      r("([^aeiouy]|qu)y$", "$1ies"), r("(hive)$", "$1s"), r("([^f])fe$", "$1ves"), r("([lr])f$", "$1ves"), r("sis$", "ses"),
      r("([ti])a$", "$1a"), r("([ti])um$", "$1a"), r("(buffal|tomat)o$", "$1oes"), r("(bu)s$", "$1ses"),
      r("(alias|status)$", "$1es"), r("(octop|vir)i$", "$1i"), r("(octop|vir)us$", "$1i"), r("^(ax|test)is$", "$1es"),
      r("s$", "s"), r("$", "s"));

  private static final List<Rule> SINGULAR = List.of(
      r("(database)s$", "$1"), r("(quiz)zes$", "$1"), r("(matr)ices$", "$1ix"), r("(vert|ind)ices$", "$1ex"),
      r("^(ox)en", "$1"), r("(alias|status)(es)?$", "$1"), r("(octop|vir)(us|i)$", "$1us"), r("^(a)x[ie]s$", "$1xis"),
      r("(cris|test)(is|es)$", "$1is"), r("(shoe)s$", "$1"), r("(o)es$", "$1"), r("(bus)(es)?$", "$1"),
      r("^(m|l)ice$", "$1ouse"), r("(x|ch|ss|sh)es$", "$1"), r("(m)ovies$", "$1ovie"), r("(s)eries$", "$1eries"),
      r("([^aeiouy]|qu)ies$", "$1y"), r("([lr])ves$", "$1f"), r("(tive)s$", "$1"), r("(hive)s$", "$1"),
      r("([^f])ves$", "$1fe"), r("(^analy)(sis|ses)$", "$1sis"),
      r("((a)naly|(b)a|(d)iagno|(p)arenthe|(p)rogno|(s)ynop|(t)he)(sis|ses)$", "$1sis"), r("([ti])a$", "$1um"),
      r("(n)ews$", "$1ews"), r("(ss)$", "$1"), r("s$", ""));

  /** {@code category} → {@code categories}; {@code admin_user} → {@code admin_users} (the last word). */
  static String pluralize(String word) {
    return inflect(word, PLURAL, IRREGULAR);
  }

  /** {@code categories} → {@code category}. */
  static String singularize(String word) {
    Map<String, String> reverse = new java.util.HashMap<>();
    IRREGULAR.forEach((k, v) -> reverse.put(v, k));
    return inflect(word, SINGULAR, reverse);
  }

  private static String inflect(String word, List<Rule> rules, Map<String, String> irregular) {
    int cut = word.lastIndexOf('_') + 1;
    String head = word.substring(0, cut);
    String last = word.substring(cut);
    String lower = last.toLowerCase(Locale.ROOT);
    if (last.isEmpty() || UNCOUNTABLE.contains(lower)) {
      return word;
    }
    if (irregular.containsKey(lower)) {
      return head + irregular.get(lower);
    }
    for (Rule rule : rules) {
      Matcher m = rule.pattern().matcher(last);
      if (m.find()) {
        return head + m.replaceFirst(rule.replacement());
      }
    }
    return word;
  }

  /** {@code UserProfile} → {@code user_profile}; {@code HTTPRequest} → {@code http_request}. */
  static String underscore(String camel) {
    String s = camel.replaceAll("([A-Z\\d]+)([A-Z][a-z])", "$1_$2").replaceAll("([a-z\\d])([A-Z])", "$1_$2");
    return s.replace('-', '_').toLowerCase(Locale.ROOT);
  }

  /** The table ActiveRecord derives for a class: {@code Admin::UserProfile} → {@code user_profiles}. */
  static String tableName(String className) {
    String last = className.substring(className.lastIndexOf(':') + 1);
    return pluralize(underscore(last));
  }
}
