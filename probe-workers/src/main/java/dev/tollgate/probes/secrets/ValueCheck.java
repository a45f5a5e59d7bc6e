package dev.tollgate.probes.secrets;

import com.google.re2j.Pattern;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * Decides whether a matched value is a credential or a look-alike: a placeholder ({@code changeme}), a reference
 * ({@code ${DB_PASSWORD}}), a documentation example ({@code AKIAIOSFODNN7EXAMPLE}, see {@link #example}), a low-entropy fixture
 * ({@code ghp_xxxx…}) or a word the repository declared harmless.
 */
final class ValueCheck {
  private final RuleBook book;

  ValueCheck(RuleBook book) {
    this.book = book;
  }

  /**
   * True when {@code raw} should be reported by {@code rule}.
   *
   * @param user the user name matched next to the value (URLs), or null
   */
  boolean accepts(SecretRule rule, String raw, String user, RepoSecretsConfig policy) {
    String value = normalize(raw);
    if (value.isEmpty()) {
      return false;
    }
    if (rule.decode() != SecretRule.Decode.NONE) {
      String decoded = decodeBase64Text(value);
      if (decoded == null && rule.decode() == SecretRule.Decode.BASE64) {
        return false;
      }
      if (decoded != null) {
        value = decoded;
      }
    }
    if (value.length() < rule.minLength() || oneCharacter(value) || periodic(value) || runs(value)) {
      return false;
    }
    if (rule.entropy() > 0 && Entropy.of(value) < rule.entropy()) {
      return false;
    }
    String lower = value.toLowerCase(Locale.ROOT);
    if (user != null && lower.equals(user.toLowerCase(Locale.ROOT))) {
      return false; // root:root, user:user — defaults, not secrets
    }
    if (book.allowValues().contains(lower) || containsAny(lower, book.stopwords()) || containsAny(lower, rule.stopwords())
        || containsAny(lower, policy.stopwords(rule.id().value()))) {
      return false;
    }
    return !matches(book.allowPatterns(), value) && !matches(rule.allow(), value);
  }

  /**
   * The documented example credential {@code raw} is (as matched, or decoded where {@code rule} decodes), or null.
   * Checked before {@link #accepts}: an example is never a finding of its rule, whatever else it looks like.
   */
  KnownExample example(SecretRule rule, String raw) {
    String value = normalize(raw);
    KnownExample e = book.example(value);
    if (e == null && rule.decode() != SecretRule.Decode.NONE) {
      String decoded = decodeBase64Text(value);
      e = decoded == null ? null : book.example(decoded);
    }
    return e;
  }

  /**
   * The value as one token: whitespace and escaped line breaks removed, so a PEM block written as one string
   * literal with {@code \n} and the same block on many lines are the same secret (same fingerprint).
   */
  static String normalize(String raw) {
    StringBuilder b = null;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      boolean skip = c == ' ' || c == '\t' || c == '\r' || c == '\n'
          || (c == '\\' && i + 1 < raw.length() && (raw.charAt(i + 1) == 'n' || raw.charAt(i + 1) == 'r'));
      if (skip && b == null) {
        b = new StringBuilder(raw.length());
        b.append(raw, 0, i);
      }
      if (skip) {
        if (c == '\\') {
          i++;
        }
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? raw : b.toString();
  }

  /** The text {@code value} encodes in base64, or null when it is not base64 of printable ASCII. */
  static String decodeBase64Text(String value) {
    if (value.length() < 4 || value.length() % 4 != 0) {
      return null;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
          || (c == '=' && i >= value.length() - 2);
      if (!ok) {
        return null;
      }
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      return null; // never rethrown: the message would quote the value
    }
    for (byte x : bytes) {
      if (x < 0x20 || x > 0x7e) {
        return null;
      }
    }
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  /**
   * True when the value repeats a unit of at most 16 characters from start to end ({@code abcd1234abcd1234...},
   * {@code 1234567890abcdef1234567890abcdef}): a typed fixture, never a generated secret. At least 16 characters,
   * so that a short value is judged by its entropy alone.
   */
  static boolean periodic(String v) {
    int n = v.length();
    if (n < 16) {
      return false;
    }
    for (int p = 2; p <= 16 && p * 2 <= n; p++) {
      int i = p;
      while (i < n && v.charAt(i) == v.charAt(i - p)) {
        i++;
      }
      if (i == n) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when at least half of a value of 16 or more characters sits in runs of 3 or more equal characters
   * ({@code 00000AAAAAbbbbb99999aaaa...}): typed by hand, not generated.
   */
  static boolean runs(String v) {
    int n = v.length();
    if (n < 16) {
      return false;
    }
    int inRuns = 0;
    for (int i = 0; i < n; ) {
      int j = i + 1;
      while (j < n && v.charAt(j) == v.charAt(i)) {
        j++;
      }
      if (j - i >= 3) {
        inRuns += j - i;
      }
      i = j;
    }
    return inRuns * 2 >= n;
  }

  private static boolean oneCharacter(String v) {
    char first = v.charAt(0);
    for (int i = 1; i < v.length(); i++) {
      if (v.charAt(i) != first) {
        return false;
      }
    }
    return true;
  }

  private static boolean containsAny(String lower, java.util.List<String> words) {
    for (String w : words) {
      if (lower.contains(w)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(Pattern p, String value) {
    return p != null && p.matches(value);
  }
}
