package dev.tollgate.probes.secrets;

import com.google.re2j.Pattern;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleId;
import java.util.List;

/**
 * One secret format, as written in {@code secrets/rules.yaml}: where to look (keywords, paths), what to match
 * (an RE2 pattern whose {@code secret} group, else group 1, else the whole match is the value) and what to drop
 * (entropy floor, allow patterns, stopwords). Immutable; the pattern is thread-safe.
 *
 * @param keywords ASCII words that must occur on the line before the pattern runs; empty only with {@code paths}
 * @param exactKeywords keywords are case-sensitive (token prefixes such as {@code AKIA})
 * @param anchor where the pattern must match: at a keyword (cheap, the default) or anywhere on the line
 * @param boundary the match must not continue a word: no letter or digit right before the keyword
 * @param inKey the keyword is part of a key being assigned: the key starts the line or follows a space, quote,
 *     bracket or a symbol's colon (not a {@code /}, {@code @} or a colon inside a word, so {@code db-token-1:5432/x}
 *     in a URL is no key), then comes one of {@code keyEnd} ({@code \n}: the line ends, the value is on the next
 *     line) and a value of at least 8 characters. Checked on the bytes, before the pattern runs
 * @param quoted with {@code inKey}: the value opens a quote
 * @param lineContains ASCII text (lower case, matched in any case) that must follow the keyword before the pattern
 *     runs, on its line or, for a rule that reads several lines, on the lines it reads ({@code @} for credentials in
 *     URLs, {@code value} for the value line of a name/value pair), or null
 * @param secretGroup group holding the value
 * @param userGroup group holding a user name the value must differ from ({@code root:root}), or -1
 * @param entropy minimum Shannon bits per character of the value, 0 for none
 * @param lines lines the pattern sees from the keyword's line on (2 for {@code name:}/{@code value:} pairs, more for PEM)
 * @param decode how the value is decoded before the checks
 * @param generic a broad rule that yields to a specific rule finding the same value
 * @param paths globs the rule is limited to, or null for every file
 * @param allow alternation of regular expressions that, matching the whole value, mark it as not a secret, or null
 * @param stopwords lower-case substrings that mark the value as not a secret
 * @param keyStopwords with {@code inKey}: lower-case words of the assigned key that make it name something about a
 *     secret rather than the secret ({@code hashed_secret}, {@code password_file}, {@code tokenUrl})
 * @param supersedes ids of broader rules whose matches on the lines this rule's match spans are dropped for it (a
 *     service-account key file and the private key inside it are one finding)
 */
record SecretRule(RuleId id, String description, List<String> keywords, boolean exactKeywords, Anchor anchor,
    boolean boundary, boolean inKey, String keyEnd, boolean quoted, byte[] lineContains, LazyPattern lazyPattern,
    int secretGroup, int userGroup, double entropy, int minLength, int lines, Decode decode, boolean generic,
    Severity severity, PathGlob paths, Pattern allow, List<String> stopwords, java.util.Set<String> keyStopwords, List<String> supersedes,
    List<Sample> mustMatch, List<Sample> mustNotMatch) {

  /** Where a pattern is matched. */
  enum Anchor {
    /** Starting exactly at each keyword occurrence ({@code lookingAt}): a few steps per occurrence. */
    KEYWORD,
    /** Anywhere in the line (or window): for formats whose keyword sits inside the match. */
    LINE
  }

  /** How a matched value is decoded before it is checked. */
  enum Decode {
    /** As matched. */
    NONE,
    /** Must be base64 of printable text (Kubernetes {@code data:}); the decoded text is checked. */
    BASE64,
    /** Checked decoded when it is base64 of printable text, else as matched. */
    AUTO
  }

  /**
   * A sample: text (as it would appear in a file) and the path it is scanned under.
   * Sample text may hold generator markers such as <code>{{alnum:36}}</code>, expanded by the test.
   */
  record Sample(String path, String text) {}

  SecretRule {
    keywords = List.copyOf(keywords);
    stopwords = List.copyOf(stopwords);
    keyStopwords = java.util.Set.copyOf(keyStopwords);
    supersedes = List.copyOf(supersedes);
    mustMatch = List.copyOf(mustMatch);
    mustNotMatch = List.copyOf(mustNotMatch);
  }

  /** The compiled pattern (compiled on first use). */
  Pattern pattern() {
    return lazyPattern.get();
  }

  /** True when the rule applies to {@code path}. */
  boolean appliesTo(String path) {
    return paths == null || paths.matches(path);
  }
}
