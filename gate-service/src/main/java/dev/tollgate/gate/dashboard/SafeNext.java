package dev.tollgate.gate.dashboard;

import java.util.regex.Pattern;

/**
 * Where the sign-in page may send the browser afterwards: a path on this site, nothing else. The rule the page's
 * script ({@code webroot/js/signin.js}) applies too: one leading {@code /} not followed by {@code /} or {@code \}, and
 * only visible ASCII after it (no backslash anywhere). A browser drops tabs and newlines from URLs and reads {@code \}
 * as {@code /}, so {@code /\t/evil.example} and {@code /\evil.example} would leave the site ({@code //evil.example}).
 */
final class SafeNext {
  private static final Pattern LOCAL_PATH = Pattern.compile("/(?![/\\\\])[\\x21-\\x5b\\x5d-\\x7e]{0,2000}");

  private SafeNext() {}

  /** True when {@code next} is a path on this site. */
  static boolean isLocalPath(String next) {
    return next != null && LOCAL_PATH.matcher(next).matches();
  }
}
