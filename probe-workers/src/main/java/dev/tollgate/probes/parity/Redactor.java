package dev.tollgate.probes.parity;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Decides which values may appear in a finding. A key is secret-like by its name (any segment mentioning a
 * password, token, key material, credentials...), by the repository's {@code parity.secretKeys}, or because
 * either environment's value looks like a credential (URL with a password, private key, well-known token
 * prefixes, long high-entropy strings). Secret-like keys are compared by presence only and their values are
 * never rendered: findings travel to Slack, PR comments and the audit log.
 */
final class Redactor {
  static final String REDACTED = "(set, redacted)";
  private static final int MAX_SHOWN = 80;

  /** Lower-cased, separator-free fragments of key segments that name secrets. */
  private static final List<String> SECRET_WORDS = List.of("password", "passwd", "passphrase", "pwd", "secret",
      "token", "apikey", "accesskey", "privatekey", "credential", "signingkey", "encryptionkey", "masterkey",
      "connectionstring", "sessionkey", "dsn", "salt", "authorization", "bearer", "cookiekey", "licensekey");
  private static final Pattern SECRET_VALUE = Pattern.compile(
      "(?s).*(?:"
          + "[a-z][a-z0-9+.-]*://[^/\\s:@]+:[^/\\s@]+@" // URL with user:password
          + "|-----BEGIN [A-Z ]*PRIVATE KEY-----"
          + "|\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"
          + "|\\beyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}" // JWT
          + "|\\bxox[abposr]-[A-Za-z0-9-]{10,}"
          + "|\\bgh[opsur]_[A-Za-z0-9]{20,}"
          + "|\\bglpat-[A-Za-z0-9_-]{20,}"
          + "|\\b[sr]k_(?:live|test)_[A-Za-z0-9]{10,}"
          + "|\\bAIza[0-9A-Za-z_-]{30,}"
          + ").*");
  private static final Pattern DIGEST = Pattern.compile("(?:.*@)?sha(?:256|384|512):[0-9a-f]+");

  private final List<Glob> extraKeys;

  Redactor(List<Glob> extraKeys) {
    this.extraKeys = List.copyOf(extraKeys);
  }

  /** True when the key's name marks it as a secret. */
  boolean secretKey(String key) {
    for (Glob g : extraKeys) {
      if (g.matches(key)) {
        return true;
      }
    }
    String normalized = key.toLowerCase(Locale.ROOT).replaceAll("[-_\\s]", "");
    for (String segment : normalized.split("[./\\[\\]]")) {
      for (String word : SECRET_WORDS) {
        if (segment.contains(word)) {
          return true;
        }
      }
    }
    return false;
  }

  /** True when the value looks like a credential whatever its key is called. */
  static boolean secretValue(Value v) {
    if (v == null || !v.scalar() && v.type() != Value.Type.LIST) {
      return false;
    }
    String t = v.text();
    if (t.isEmpty() || DIGEST.matcher(t).matches()) {
      return false; // image digests are public identifiers, and the drift rules must show them
    }
    if (SECRET_VALUE.matcher(t).matches()) {
      return true;
    }
    for (String token : t.split("[\\s,\\[\\]\"']+")) {
      if (highEntropy(token)) {
        return true;
      }
    }
    return false;
  }

  /** True when neither value of the key may be shown. */
  boolean secret(String key, Entry a, Entry b) {
    return secretKey(key) || (a != null && secretValue(a.value())) || (b != null && secretValue(b.value()));
  }

  /**
   * How a value is shown in a finding: {@code (missing)}, {@code (set, redacted)}, or the value — strings quoted
   * (so {@code "8080"} and {@code 8080} differ visibly), long values cut.
   */
  static String show(Entry e, boolean secret) {
    if (e == null) {
      return "(missing)";
    }
    if (secret) {
      return REDACTED;
    }
    Value v = e.value();
    String text = v.text().replace("\n", "\\n");
    if (text.length() > MAX_SHOWN) {
      text = text.substring(0, MAX_SHOWN) + "…";
    }
    return v.type() == Value.Type.STRING && !e.loose() ? "\"" + text + "\"" : text;
  }

  /**
   * A random-looking token of 24+ characters: letters and digits mixed, Shannon entropy above what hex ids and
   * words reach. Hex-only strings (commit ids, digests) stay visible.
   */
  static boolean highEntropy(String token) {
    if (token.length() < 24 || token.matches("[0-9a-fA-F]+") || token.matches("[a-zA-Z]+")) {
      return false;
    }
    if (!token.matches(".*[0-9].*") || !token.matches(".*[a-zA-Z].*") || token.contains("/") && token.contains(".")) {
      return false; // paths and hostnames mix letters and digits without being random
    }
    int[] counts = new int[128];
    int n = 0;
    for (char c : token.toCharArray()) {
      if (c < 128) {
        counts[c]++;
        n++;
      }
    }
    double h = 0;
    for (int c : counts) {
      if (c > 0) {
        double p = (double) c / n;
        h -= p * Math.log(p) / Math.log(2);
      }
    }
    return h >= 4.2;
  }
}
