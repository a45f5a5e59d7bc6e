package dev.tollgate.probes.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * The one way a regular expression written in a repository's {@code .tollgate.yml} is compiled: with RE2/J, which
 * matches in time linear in the input whatever the pattern, so a repository cannot stall the probe pool that every
 * tenant shares ({@code ^(a+)+\1$} on {@code java.util.regex} spins for hours on 30 characters). What RE2 cannot run
 * in linear time (backreferences, lookarounds, possessive quantifiers) is refused with a configuration error that
 * names the key; the pattern itself is never echoed.
 */
public final class RepoPatterns {
  /** Longer patterns are refused: a pattern is a few words. */
  public static final int MAX_LENGTH = 512;
  /**
   * Bound on the compiled program's size, estimated before compiling: RE2/J expands counted repeats, and unlike RE2
   * it does not refuse nested ones, so {@code ((a{1000}){1000}){1000}} exhausts the heap while compiling.
   */
  static final long MAX_PROGRAM = 20_000;

  private RepoPatterns() {}

  /**
   * Compiles {@code node}'s text.
   *
   * @param key the configuration key, for the error
   * @throws IllegalArgumentException naming the key and the reason, never the pattern
   */
  public static Pattern compile(JsonNode node, String key) {
    if (node == null || !node.isTextual() || node.asText().isEmpty()) {
      throw new IllegalArgumentException(key + ": expected a regular expression (a non-empty string)");
    }
    return compile(node.asText(), key);
  }

  /** Compiles {@code regex} (see {@link #compile(JsonNode, String)}). */
  public static Pattern compile(String regex, String key) {
    if (regex.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(key + ": expected a regular expression of at most " + MAX_LENGTH + " characters");
    }
    if (programSize(regex) > MAX_PROGRAM) {
      throw new IllegalArgumentException(key + ": the regular expression is too large once its counted repeats "
          + "({n}, {n,m}) are expanded; use fewer or smaller ones");
    }
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(key + ": not a regular expression Tollgate can run in linear time (RE2 syntax: "
          + "no backreferences such as \\1, no lookarounds, no possessive quantifiers): " + e.getDescription());
    } catch (RuntimeException | StackOverflowError e) {
      // RE2/J reports some oversize programs with other exceptions; whatever it is, the pattern is refused.
      throw new IllegalArgumentException(key + ": the regular expression is too complex to compile");
    }
  }

  /**
   * An upper estimate of how many instructions the pattern expands to: atoms count one, a counted repeat multiplies
   * what it applies to (an atom, a class or a group) by its bound, alternatives add up.
   */
  static long programSize(String regex) {
    java.util.ArrayDeque<long[]> stack = new java.util.ArrayDeque<>(); // per group: {total so far, size of last atom}
    long[] level = {0, 0};
    int n = regex.length();
    for (int i = 0; i < n; i++) {
      char c = regex.charAt(i);
      switch (c) {
        case '\\' -> {
          i++; // an escape is one atom (\pL, \x41 and \Q...\E are over-counted as short atoms, never under)
          level = atom(level, 1);
        }
        case '[' -> {
          int j = i + 1;
          if (j < n && regex.charAt(j) == '^') {
            j++;
          }
          if (j < n && regex.charAt(j) == ']') {
            j++;
          }
          while (j < n && regex.charAt(j) != ']') {
            j += regex.charAt(j) == '\\' ? 2 : 1;
          }
          i = Math.min(j, n);
          level = atom(level, 1);
        }
        case '(' -> {
          stack.push(level);
          level = new long[] {0, 0};
        }
        case ')' -> {
          long group = level[0] + level[1] + 1;
          level = stack.isEmpty() ? new long[] {0, 0} : stack.pop();
          level = atom(level, group);
        }
        case '|' -> {
          level[0] += level[1] + 1;
          level[1] = 0;
        }
        case '{' -> {
          int close = regex.indexOf('}', i);
          long bound = close < 0 ? -1 : repeatBound(regex.substring(i + 1, close));
          if (bound < 0) {
            level = atom(level, 1); // a literal brace
          } else {
            level[1] = Math.min(Long.MAX_VALUE / 4, level[1] * Math.max(1, bound));
            i = close;
          }
        }
        case '*', '+', '?' -> level[1] += 1;
        default -> level = atom(level, 1);
      }
    }
    long total = level[0] + level[1];
    while (!stack.isEmpty()) {
      long[] outer = stack.pop();
      total += outer[0] + outer[1];
    }
    return total;
  }

  private static long[] atom(long[] level, long size) {
    level[0] = Math.min(Long.MAX_VALUE / 4, level[0] + level[1]);
    level[1] = size;
    return level;
  }

  /** The upper bound of {@code n}, {@code n,} or {@code n,m}; -1 when the braces are not a repeat. */
  private static long repeatBound(String inside) {
    String[] parts = inside.split(",", -1);
    if (parts.length > 2 || parts[0].isEmpty() || !parts[0].chars().allMatch(Character::isDigit) || parts[0].length() > 6) {
      return -1;
    }
    long lo = Long.parseLong(parts[0]);
    if (parts.length == 1) {
      return lo;
    }
    if (parts[1].isEmpty()) {
      return lo + 1;
    }
    if (!parts[1].chars().allMatch(Character::isDigit) || parts[1].length() > 6) {
      return -1;
    }
    return Math.max(lo, Long.parseLong(parts[1]));
  }
}
