package dev.tollgate.probes.parity;

import com.google.re2j.Pattern;

/**
 * A glob over paths ({@code /}-separated) or dotted keys ({@code .}-separated): {@code **} crosses separators,
 * {@code *} and {@code ?} do not. A key glob also covers every key below what it matches: {@code ingress}
 * covers {@code ingress.host}.
 */
final class Glob {
  private final String text;
  private final Pattern pattern;
  private final char separator;

  private Glob(String text, char separator) {
    this.text = text;
    this.separator = separator;
    StringBuilder re = new StringBuilder();
    String sep = Pattern.quote(String.valueOf(separator));
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '*' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
        i++;
        if (i + 1 < text.length() && text.charAt(i + 1) == separator) {
          i++;
          re.append("(?:.*").append(sep).append(")?"); // '**/' also matches zero directories
        } else {
          re.append(".*");
        }
      } else if (c == '*') {
        re.append("[^").append(sep).append("]*");
      } else if (c == '?') {
        re.append("[^").append(sep).append("]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    // Globs come from repositories: RE2/J keeps matching linear however many ** a glob has.
    this.pattern = Pattern.compile(re.toString());
  }

  static Glob path(String text) {
    return new Glob(text, '/');
  }

  static Glob key(String text) {
    return new Glob(text, '.');
  }

  /** True when the whole of {@code s} matches, or (for key globs) one of its parent keys does. */
  boolean matches(String s) {
    if (pattern.matcher(s).matches()) {
      return true;
    }
    if (separator == '.') {
      for (int i = s.indexOf('.'); i >= 0; i = s.indexOf('.', i + 1)) {
        if (pattern.matcher(s.substring(0, i)).matches()) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return text;
  }
}
