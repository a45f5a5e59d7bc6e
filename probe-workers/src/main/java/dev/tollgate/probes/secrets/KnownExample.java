package dev.tollgate.probes.secrets;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A credential published as an example in SDK or vendor documentation ({@code secrets/examples.tsv}): it matches a
 * rule's format but grants nothing, so it never blocks. Where it lands in a deployable config file it is still
 * reported, as INFO ({@code secrets/example-credential}): an example key in production config is a bug of its own.
 *
 * @param value the example value, exactly as published
 * @param credential what it is an example of ("AWS access key ID")
 * @param source where it is published (an https URL, or a note naming the source when the URL is second-hand)
 */
record KnownExample(String value, String credential, String source) {
  /** Where the shipped examples live on the classpath. */
  static final String RESOURCE = "/secrets/examples.tsv";

  KnownExample {
    if (value.length() < 8 || credential.isBlank() || !source.startsWith("https://")) {
      throw new IllegalArgumentException("expected a value of at least 8 characters, a credential and an https source");
    }
  }

  /**
   * Parses the examples file: one example a line, three tab-separated columns (value, credential, source); blank
   * lines and lines starting with {@code #} are comments.
   *
   * @throws IllegalArgumentException naming the line at fault (never quoting the value)
   */
  static List<KnownExample> parse(String tsv) {
    List<KnownExample> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String[] lines = tsv.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] cols = line.split("\t", -1);
      String where = RESOURCE.substring(1) + " line " + (i + 1);
      if (cols.length != 3) {
        throw new IllegalArgumentException(where + ": expected 3 tab-separated columns (value, credential, source), got "
            + cols.length);
      }
      KnownExample e;
      try {
        e = new KnownExample(cols[0].strip(), cols[1].strip(), cols[2].strip());
      } catch (IllegalArgumentException bad) {
        throw new IllegalArgumentException(where + ": " + bad.getMessage());
      }
      if (!seen.add(e.value().toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(where + ": duplicate example value");
      }
      out.add(e);
    }
    return out;
  }
}
