package dev.tollgate.probes.migration.framework;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * English plurals and case conversions as ORMs derive table names: ActiveRecord's default inflections
 * ({@code person} → {@code people}, {@code UserProfile} → {@code user_profiles}; {@link #pluralize}, {@link #tableName})
 * and the common rules the other ORMs share (Eloquent {@code OrderItem} → {@code order_items}, Sequelize {@code User}
 * → {@code Users}; {@link #plural}, {@link #snake}, {@link #camel}). Only default rules: an application's custom
 * inflections are not known statically, and a name got wrong is still tied to its table by the model's class name.
 */
final class Inflector {
  private Inflector() {}

  private static final Map<String, String> COMMON_IRREGULAR = Map.ofEntries(Map.entry("person", "people"),
      Map.entry("man", "men"), Map.entry("woman", "women"), Map.entry("child", "children"), Map.entry("tooth", "teeth"),
      Map.entry("foot", "feet"), Map.entry("mouse", "mice"), Map.entry("goose", "geese"), Map.entry("ox", "oxen"),
      Map.entry("leaf", "leaves"), Map.entry("life", "lives"), Map.entry("wife", "wives"), Map.entry("knife", "knives"),
      Map.entry("criterion", "criteria"), Map.entry("datum", "data"), Map.entry("medium", "media"),
      Map.entry("analysis", "analyses"), Map.entry("status", "statuses"), Map.entry("quiz", "quizzes"),
      Map.entry("index", "indices"), Map.entry("matrix", "matrices"), Map.entry("vertex", "vertices"),
      Map.entry("cactus", "cacti"), Map.entry("alias", "aliases"), Map.entry("bus", "buses"));
  private static final Set<String> COMMON_UNCOUNTABLE = Set.of("equipment", "information", "rice", "money", "species",
      "series", "fish", "sheep", "deer", "news", "data", "media", "feedback", "metadata", "software", "hardware",
      "staff", "audio", "traffic", "content", "evidence", "knowledge", "cattle", "chassis", "moose", "swine");

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

  /** The plural of the last word of {@code word}, keeping its case ({@code OrderItem} → {@code OrderItems}). */
  static String plural(String word) {
    if (word.isEmpty()) {
      return word;
    }
    int split = lastWordStart(word);
    String head = word.substring(0, split);
    String last = word.substring(split);
    String lower = last.toLowerCase(Locale.ROOT);
    String p;
    if (COMMON_UNCOUNTABLE.contains(lower)) {
      p = lower;
    } else if (COMMON_IRREGULAR.containsKey(lower)) {
      p = COMMON_IRREGULAR.get(lower);
    } else if (COMMON_IRREGULAR.containsValue(lower)) {
      p = lower;
    } else if (lower.matches(".*[^aeiou]y")) {
      p = lower.substring(0, lower.length() - 1) + "ies";
    } else if (lower.matches(".*(s|x|z|ch|sh)")) {
      p = lower + "es";
    } else {
      p = lower + "s";
    }
    if (Character.isUpperCase(last.charAt(0))) {
      p = Character.toUpperCase(p.charAt(0)) + p.substring(1);
    }
    return head + p;
  }

  /** Where the last word of a PascalCase, camelCase or snake_case name starts. */
  private static int lastWordStart(String word) {
    for (int i = word.length() - 1; i > 0; i--) {
      char c = word.charAt(i);
      if (c == '_' ) {
        return i + 1;
      }
      if (Character.isUpperCase(c) && Character.isLowerCase(word.charAt(i - 1))) {
        return i;
      }
    }
    return 0;
  }

  /** {@code OrderItem} → {@code order_item}, {@code userID} → {@code user_id}. */
  static String snake(String name) {
    StringBuilder b = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c)) {
        boolean prevLower = i > 0 && (Character.isLowerCase(name.charAt(i - 1)) || Character.isDigit(name.charAt(i - 1)));
        boolean nextLower = i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
        boolean prevUpper = i > 0 && Character.isUpperCase(name.charAt(i - 1));
        if (i > 0 && name.charAt(i - 1) != '_' && (prevLower || prevUpper && nextLower)) {
          b.append('_');
        }
        b.append(Character.toLowerCase(c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** {@code order_items} → {@code orderItems}. */
  static String camel(String snake) {
    StringBuilder b = new StringBuilder(snake.length());
    boolean up = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        up = b.length() > 0;
        continue;
      }
      b.append(up ? Character.toUpperCase(c) : c);
      up = false;
    }
    return b.toString();
  }
}
