package dev.tollgate.probes.secrets;

import com.google.re2j.Pattern;

/**
 * A path glob as in {@code .gitignore}: {@code *} and {@code ?} stay within one directory, {@code **} crosses
 * directories, and a glob without a {@code /} matches the file name in any directory.
 */
final class PathGlob {
  private final String glob;
  private final Pattern pattern;

  private PathGlob(String glob, Pattern pattern) {
    this.glob = glob;
    this.pattern = pattern;
  }

  /**
   * Compiles {@code glob}.
   *
   * @throws IllegalArgumentException when it is empty
   */
  static PathGlob of(String glob) {
    if (glob == null || glob.isBlank()) {
      throw new IllegalArgumentException("expected a non-empty path glob");
    }
    String g = glob.startsWith("/") ? glob.substring(1) : glob;
    StringBuilder re = new StringBuilder();
    if (!glob.contains("/")) {
      re.append("(?:.*/)?");
    }
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      if (c == '*') {
        boolean twin = i + 1 < g.length() && g.charAt(i + 1) == '*';
        if (twin) {
          boolean slash = i + 2 < g.length() && g.charAt(i + 2) == '/';
          re.append(slash ? "(?:.*/)?" : ".*");
          i += slash ? 2 : 1;
        } else {
          re.append("[^/]*");
        }
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    // A glob naming a directory also covers what is inside it.
    re.append("(?:/.*)?");
    return new PathGlob(glob, Pattern.compile(re.toString()));
  }

  /** True when {@code path} (relative, {@code /}-separated) matches. */
  boolean matches(String path) {
    return pattern.matches(path);
  }

  @Override
  public String toString() {
    return glob;
  }
}
