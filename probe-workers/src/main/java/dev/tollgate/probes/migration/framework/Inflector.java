package dev.tollgate.probes.migration.framework;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * English plurals and case conversions as ORMs derive table names from class names (Eloquent {@code OrderItem} →
 * {@code order_items}, Sequelize {@code User} → {@code Users}, TypeORM {@code UserProfile} → {@code user_profile}).
 * The common rules and irregular words, not every corner of each ORM's inflector: a name it gets wrong is still tied
 * to the table by the model's class name in the old-code search.
 */
final class Inflector {
  private static final Map<String, String> IRREGULAR = Map.ofEntries(Map.entry("person", "people"),
      Map.entry("man", "men"), Map.entry("woman", "women"), Map.entry("child", "children"), Map.entry("tooth", "teeth"),
      Map.entry("foot", "feet"), Map.entry("mouse", "mice"), Map.entry("goose", "geese"), Map.entry("ox", "oxen"),
      Map.entry("leaf", "leaves"), Map.entry("life", "lives"), Map.entry("wife", "wives"), Map.entry("knife", "knives"),
      Map.entry("criterion", "criteria"), Map.entry("datum", "data"), Map.entry("medium", "media"),
      Map.entry("analysis", "analyses"), Map.entry("status", "statuses"), Map.entry("quiz", "quizzes"),
      Map.entry("index", "indices"), Map.entry("matrix", "matrices"), Map.entry("vertex", "vertices"),
      Map.entry("cactus", "cacti"), Map.entry("alias", "aliases"), Map.entry("bus", "buses"));
  private static final Set<String> UNCOUNTABLE = Set.of("equipment", "information", "rice", "money", "species",
      "series", "fish", "sheep", "deer", "news", "data", "media", "feedback", "metadata", "software", "hardware",
      "staff", "audio", "traffic", "content", "evidence", "knowledge", "cattle", "chassis", "moose", "swine");

  private Inflector() {}

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
    if (UNCOUNTABLE.contains(lower)) {
      p = lower;
    } else if (IRREGULAR.containsKey(lower)) {
      p = IRREGULAR.get(lower);
    } else if (IRREGULAR.containsValue(lower)) {
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
