package dev.tollgate.probes.migration;

/**
 * How a path written in {@code .tollgate.yml} matches a repository path: the path itself, a directory prefix ending in
 * {@code /}, or a glob where {@code *} matches within one directory and {@code **} across directories.
 */
final class PathMatch {
  private PathMatch() {}

  static boolean matches(String pattern, String path) {
    if (pattern.contains("*")) {
      return path.matches(toRegex(pattern));
    }
    return pattern.endsWith("/") ? path.startsWith(pattern) : path.equals(pattern) || path.startsWith(pattern + "/");
  }

  private static String toRegex(String glob) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
          b.append(".*");
          i++;
          if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
            i++; // "**/" also matches no directory at all
            b.append("(?:/)?");
          }
        } else {
          b.append("[^/]*");
        }
      } else if ("\\.[]{}()+-?^$|".indexOf(c) >= 0) {
        b.append('\\').append(c);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
