package dev.tollgate.probes.parity;

/**
 * One flattened key of one environment's configuration, with where it was set.
 *
 * @param key dotted key, environment names in it replaced by {@code {env}} once the side is built
 * @param file repository path of the file that set it (the last layer wins)
 * @param line 1-based line in that file, 0 when unknown
 * @param category what the key describes: configuration, a base image, or a runtime version pin
 * @param loose true when the consumer coerces strings (Spring, dotenv, .properties): types are then inferred
 * @param flagFile true when the file holds only feature flags ({@code flags/<env>.yaml})
 */
record Entry(String key, Value value, String file, int line, Category category, boolean loose, boolean flagFile) {
  /** What a key describes. */
  enum Category { CONFIG, IMAGE, RUNTIME }

  Entry withKey(String newKey) {
    return new Entry(newKey, value, file, line, category, loose, flagFile);
  }

  /** The last dotted segment, e.g. {@code tag} of {@code image.tag}. */
  String leaf() {
    int dot = key.lastIndexOf('.');
    return dot < 0 ? key : key.substring(dot + 1);
  }
}
