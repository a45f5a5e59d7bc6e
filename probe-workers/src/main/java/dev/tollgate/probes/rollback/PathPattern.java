package dev.tollgate.probes.rollback;

import com.google.re2j.Pattern;

/**
 * A path (or tag) pattern from {@code .tollgate.yml}: without wildcards a prefix ({@code bench/} covers everything
 * under it, a file name covers that file); with them a glob where {@code *} and {@code ?} stay within one path
 * segment and {@code **} crosses segments ({@code **}{@code /src/test/**} matches {@code src/test/x} at any depth).
 */
record PathPattern(String text, Pattern regex) {
  static PathPattern of(String text) {
    if (text.indexOf('*') < 0 && text.indexOf('?') < 0) {
      return new PathPattern(text, null);
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '*' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
        boolean slash = i + 2 < text.length() && text.charAt(i + 2) == '/';
        b.append(slash ? "(?:.*/)?" : ".*");
        i += slash ? 2 : 1;
      } else if (c == '*') {
        b.append("[^/]*");
      } else if (c == '?') {
        b.append("[^/]");
      } else {
        b.append(Pattern.quote(String.valueOf(c)));
      }
    }
    // Patterns come from repositories: RE2/J keeps matching linear however many ** a pattern has.
    return new PathPattern(text, Pattern.compile(b.toString()));
  }

  boolean matches(String path) {
    return regex == null ? path.startsWith(text) : regex.matcher(path).matches();
  }

  /** For names (tags), where a prefix means nothing: the whole name, or the glob. */
  boolean matchesName(String name) {
    return regex == null ? name.equalsIgnoreCase(text) : regex.matcher(name).matches();
  }

  @Override
  public String toString() {
    return text;
  }
}
