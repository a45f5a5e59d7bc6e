package dev.tollgate.probes.secrets;

import com.google.re2j.Pattern;

/**
 * An RE2 pattern compiled on first use. A scan wakes only the rules whose keywords occur, so most of the 260 patterns
 * are never needed by a small scan, and compiling them all costs more than a CLI run's whole scan of a small tree.
 * Every pattern is compiled by the rule tests, so a broken one cannot ship.
 */
final class LazyPattern {
  private final String regex;
  private volatile Pattern pattern;

  LazyPattern(String regex) {
    this.regex = regex;
  }

  /** The compiled pattern (thread-safe; a race compiles twice, harmlessly). */
  Pattern get() {
    Pattern p = pattern;
    if (p == null) {
      p = Pattern.compile(regex);
      pattern = p;
    }
    return p;
  }

  /** The expanded regular expression. */
  String regex() {
    return regex;
  }

  @Override
  public String toString() {
    return regex;
  }
}
