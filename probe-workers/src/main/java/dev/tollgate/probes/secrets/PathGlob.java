package dev.tollgate.probes.secrets;

import java.util.List;

/**
 * A path glob as in {@code .gitignore}: {@code *} and {@code ?} stay within one directory, {@code **} crosses
 * directories, a glob without a {@code /} matches the file name in any directory, and a glob naming a directory
 * covers what is inside it. Matched by hand, not by a regular expression: a glob is checked for every file
 * of a scan, and this costs a few comparisons where a regex engine costs microseconds.
 */
final class PathGlob {
  private final String description;
  private final List<String> globs;
  private final boolean namesCoverDirectories;

  private PathGlob(String description, List<String> globs, boolean namesCoverDirectories) {
    this.description = description;
    this.globs = globs;
    this.namesCoverDirectories = namesCoverDirectories;
  }

  /**
   * A single glob.
   *
   * @throws IllegalArgumentException when it is empty
   */
  static PathGlob of(String glob) {
    return anyOf(List.of(glob));
  }

  /** Several globs: a path matches when it matches any of them. */
  static PathGlob anyOf(List<String> globs) {
    return build(globs, true);
  }

  /**
   * Globs for kinds of files ({@code *.yaml}, {@code .env*}): a name glob matches the file name only, not the
   * directories on the way, which makes the check a few comparisons per file.
   */
  static PathGlob fileNames(List<String> globs) {
    return build(globs, false);
  }

  private static PathGlob build(List<String> globs, boolean namesCoverDirectories) {
    if (globs.isEmpty()) {
      throw new IllegalArgumentException("expected at least one path glob");
    }
    for (String g : globs) {
      if (g == null || g.isBlank()) {
        throw new IllegalArgumentException("expected a non-empty path glob");
      }
    }
    List<String> normalized = globs.stream().map(g -> g.startsWith("/") ? g.substring(1) : g).toList();
    return new PathGlob(String.join(", ", globs), normalized, namesCoverDirectories);
  }

  /** True when {@code path} (relative, {@code /}-separated) matches. */
  boolean matches(String path) {
    for (String g : globs) {
      if (g.indexOf('/') < 0 && isSimple(g)) {
        // The common shapes (*.yaml, .env*, Dockerfile) on each name of the path, without recursion.
        for (int from = namesCoverDirectories ? 0 : path.lastIndexOf('/') + 1; from <= path.length(); ) {
          int slash = path.indexOf('/', from);
          int end = slash < 0 ? path.length() : slash;
          if (simpleNameMatch(g, path, from, end)) {
            return true;
          }
          from = end + 1;
        }
      } else if (g.indexOf('/') < 0) {
        // Other name globs: the file name, or any directory on the way (a directory covers its content).
        int from = namesCoverDirectories ? 0 : path.lastIndexOf('/') + 1;
        while (true) {
          int slash = path.indexOf('/', from);
          if (match(g, 0, path, from, slash < 0 ? path.length() : slash)) {
            return true;
          }
          if (slash < 0) {
            break;
          }
          from = slash + 1;
        }
      } else if (match(g, 0, path, 0, path.length()) || prefixMatch(g, path)) {
        return true;
      }
    }
    return false;
  }

  /** At most one {@code *} and no {@code ?}: {@code *.ext}, {@code name*}, a literal name. */
  private static boolean isSimple(String g) {
    int star = g.indexOf('*');
    return g.indexOf('?') < 0 && (star < 0 || g.indexOf('*', star + 1) < 0);
  }

  /** A simple glob against the name {@code path[from, end)}. */
  private static boolean simpleNameMatch(String g, String path, int from, int end) {
    int star = g.indexOf('*');
    int n = end - from;
    if (star < 0) {
      return n == g.length() && path.startsWith(g, from);
    }
    int tail = g.length() - star - 1;
    return n >= star + tail && path.regionMatches(from, g, 0, star) && path.regionMatches(end - tail, g, star + 1, tail);
  }

  /** A directory glob covers everything below the directories it matches. */
  private static boolean prefixMatch(String g, String path) {
    for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
      if (match(g, 0, path, 0, slash)) {
        return true;
      }
    }
    return false;
  }

  /** Matches {@code g} against {@code s[from, end)}. */
  private static boolean match(String g, int gi, String s, int from, int end) {
    return new Matching(g, s, from, end).at(gi, from);
  }

  /**
   * One glob against one piece of text, memoizing the (glob position, text position) pairs that failed: every pair
   * is tried at most once, so a glob of many stars stays linear in glob length times text length.
   */
  private static final class Matching {
    private final String g;
    private final String s;
    private final int from;
    private final int end;
    private final java.util.BitSet failed = new java.util.BitSet();

    Matching(String g, String s, int from, int end) {
      this.g = g;
      this.s = s;
      this.from = from;
      this.end = end;
    }

    boolean at(int gi, int si) {
      int key = gi * (end - from + 1) + (si - from);
      if (failed.get(key)) {
        return false;
      }
      boolean ok = step(gi, si);
      if (!ok) {
        failed.set(key);
      }
      return ok;
    }

    private boolean step(int gi, int si) {
      if (gi == g.length()) {
        return si == end;
      }
      char c = g.charAt(gi);
      if (c == '*') {
        boolean twin = gi + 1 < g.length() && g.charAt(gi + 1) == '*';
        int next = gi + (twin ? 2 : 1);
        if (twin && next < g.length() && g.charAt(next) == '/') {
          // "**/": zero or more whole directories
          if (at(next + 1, si)) {
            return true;
          }
          for (int k = si; k < end; k++) {
            if (s.charAt(k) == '/' && at(next + 1, k + 1)) {
              return true;
            }
          }
          return false;
        }
        for (int k = si; k <= end; k++) {
          if (at(next, k)) {
            return true;
          }
          if (k < end && !twin && s.charAt(k) == '/') {
            return false;
          }
        }
        return false;
      }
      if (si >= end) {
        return false;
      }
      char t = s.charAt(si);
      if (c == '?' ? t == '/' : c != t) {
        return false;
      }
      return at(gi + 1, si + 1);
    }
  }

  @Override
  public String toString() {
    return description;
  }
}
