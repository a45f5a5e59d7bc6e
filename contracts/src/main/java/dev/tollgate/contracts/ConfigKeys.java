package dev.tollgate.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * How a configuration file ({@code tollgate.yml}, a repository's {@code .tollgate.yml}) names a key it does not know,
 * in one place: the key's full path, the key meant when it is a near miss ({@code enviroments} → {@code environments}),
 * and the keys that are known. Every unknown key of a mapping is reported at once.
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  /**
   * Fails when {@code node} has keys outside {@code known}.
   *
   * @param node a mapping (anything else is left to the caller) or a missing node
   * @param prefix the mapping's path, e.g. {@code github}, {@code environments.production}, or empty for the top level
   * @throws UnknownKeys naming every unknown key
   */
  public static void requireKnown(JsonNode node, Collection<String> known, String prefix) {
    if (!node.isObject()) {
      return;
    }
    List<UnknownKeys.Key> unknown = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        unknown.add(new UnknownKeys.Key((ObjectNode) node, key, message(path(prefix, key), key, known)));
      }
    }
    if (!unknown.isEmpty()) {
      throw new UnknownKeys(unknown);
    }
  }

  /** {@code path: unknown key, did you mean warningsBlock? (known: [...])}. */
  public static String message(String path, String key, Collection<String> known) {
    String suggestion = suggestion(key, known);
    return path + ": unknown key" + (suggestion == null ? "" : ", did you mean " + suggestion + "?") + " (known: "
        + new TreeSet<>(known) + ")";
  }

  /**
   * The known key {@code key} was probably meant to be: the nearest by edit distance (transpositions count once,
   * case is ignored), if it is at most 2 edits away and the edits are under a third of the key. Null otherwise.
   */
  public static String suggestion(String key, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : new TreeSet<>(known)) {
      int d = distance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= 2 && bestDistance * 3 < Math.max(key.length(), best.length()) ? best : null;
  }

  static String path(String prefix, String key) {
    if (prefix.isEmpty()) {
      return key;
    }
    return prefix.endsWith(".") ? prefix + key : prefix + "." + key;
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /**
   * Unknown keys of one mapping. The message lists them all ({@code ; }-separated); {@link #problems()} one each.
   * A validator that wants the next problem too removes them ({@link #removeFromTree()}) and reads the section again.
   */
  public static final class UnknownKeys extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** One unknown key, in the mapping (of the tree being read) that holds it. */
    record Key(ObjectNode parent, String name, String message) {}

    @SuppressWarnings("serial") // never serialized: a validation result
    private final List<Key> keys;

    UnknownKeys(List<Key> keys) {
      super(String.join("; ", keys.stream().map(Key::message).toList()));
      this.keys = List.copyOf(keys);
    }

    /** One message per unknown key. */
    public List<String> problems() {
      return keys.stream().map(Key::message).toList();
    }

    /** Removes the unknown keys from the tree they were found in. */
    public void removeFromTree() {
      keys.forEach(k -> k.parent().remove(k.name()));
    }
  }
}
