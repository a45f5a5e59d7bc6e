package dev.tollgate.probes.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands the generator markers of rule samples ({@code {{alnum:36}}}, {@code {{b64enc:pw:20}}}) with seeded random
 * characters, so rules.yaml never holds a literal credential and every run sees the same text.
 */
final class SampleText {
  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final Map<String, String> CLASSES = Map.ofEntries(
      Map.entry("alnum", ALNUM),
      Map.entry("alpha", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
      Map.entry("upper", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
      Map.entry("lower", "abcdefghijklmnopqrstuvwxyz"),
      Map.entry("digits", "0123456789"),
      Map.entry("hex", "0123456789abcdef"),
      Map.entry("HEX", "0123456789ABCDEF"),
      Map.entry("b64", ALNUM + "+/"),
      Map.entry("b64url", ALNUM + "-_"),
      Map.entry("b32", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
      Map.entry("b32lower", "abcdefghijklmnopqrstuvwxyz234567"),
      Map.entry("lowernum", "abcdefghijklmnopqrstuvwxyz0123456789"),
      Map.entry("uppernum", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
      Map.entry("bech32", "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"),
      Map.entry("pw", ALNUM + "!#%^*-_+=.~"));
  private static final Pattern MARKER = Pattern.compile("\\{\\{(?:(b64enc):)?([A-Za-z0-9]+|lit-[a-z0-9_]+):(\\d+)}}");

  private SampleText() {}

  /** {@code text} with every marker replaced; {@code seed} makes it reproducible. */
  static String expand(String text, long seed) {
    Random random = new Random(seed);
    Matcher m = MARKER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = value(m.group(2), Integer.parseInt(m.group(3)), random);
      if (m.group(1) != null) {
        value = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String value(String cls, int n, Random random) {
    if (cls.startsWith("lit-")) {
      return cls.substring(4);
    }
    if (cls.equals("userpw")) {
      return "ci-bot:" + value("pw", n, random);
    }
    if (cls.equals("jwt")) {
      // a signed JWT: a fixed HS256 header, a random payload and an n-character signature
      return "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ" + value("b64url", 40, random) + "." + value("b64url", n, random);
    }
    if (cls.equals("eyj")) {
      return "eyJ" + value("alnum", n, random); // JSON-looking base64url without the dots of a JWT
    }
    String alphabet = CLASSES.get(cls);
    if (alphabet == null) {
      throw new IllegalArgumentException("unknown sample class " + cls);
    }
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
