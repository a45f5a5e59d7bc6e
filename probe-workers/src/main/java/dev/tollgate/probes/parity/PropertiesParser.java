package dev.tollgate.probes.parity;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads Java {@code .properties} with the rules of {@link java.util.Properties#load(java.io.Reader)} — comments
 * with {@code #} or {@code !}, keys ending at an unescaped {@code =}, {@code :} or whitespace, backslash line
 * continuations, {@code \t \n \r \f} and Unicode escapes — but keeps each key's line, which {@code Properties} drops.
 */
final class PropertiesParser {
  /** One key and its unescaped value. */
  record Property(String key, String value, int line) {}

  private PropertiesParser() {}

  static List<Property> parse(String text) throws ConfigSyntaxException {
    String[] lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
    List<Property> out = new ArrayList<>();
    for (int n = 0; n < lines.length; n++) {
      String first = stripLeading(lines[n]);
      if (first.isEmpty() || first.charAt(0) == '#' || first.charAt(0) == '!') {
        continue;
      }
      int startLine = n + 1;
      StringBuilder logical = new StringBuilder();
      String current = first;
      while (endsWithContinuation(current) && n + 1 < lines.length) {
        logical.append(current, 0, current.length() - 1);
        current = stripLeading(lines[++n]);
      }
      if (endsWithContinuation(current)) {
        current = current.substring(0, current.length() - 1); // continuation at end of file: dropped, as Properties does
      }
      logical.append(current);
      out.add(split(logical.toString(), startLine));
    }
    return out;
  }

  private static Property split(String s, int line) throws ConfigSyntaxException {
    int i = 0;
    int keyEnd = -1;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == '=' || c == ':' || c == ' ' || c == '\t' || c == '\f') {
        keyEnd = i;
        break;
      }
      i++;
    }
    if (keyEnd < 0) {
      return new Property(unescape(s, line), "", line);
    }
    String key = s.substring(0, keyEnd);
    int v = keyEnd;
    while (v < s.length() && (s.charAt(v) == ' ' || s.charAt(v) == '\t' || s.charAt(v) == '\f')) {
      v++;
    }
    if (v < s.length() && (s.charAt(v) == '=' || s.charAt(v) == ':')) {
      v++;
      while (v < s.length() && (s.charAt(v) == ' ' || s.charAt(v) == '\t' || s.charAt(v) == '\f')) {
        v++;
      }
    }
    return new Property(unescape(key, line), unescape(s.substring(v), line), line);
  }

  private static String unescape(String s, int line) throws ConfigSyntaxException {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= s.length()) {
        b.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 't' -> b.append('\t');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 'f' -> b.append('\f');
        case 'u' -> {
          if (i + 4 >= s.length()) {
            throw new ConfigSyntaxException(line, "malformed \\uXXXX escape");
          }
          try {
            b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          } catch (NumberFormatException ex) {
            throw new ConfigSyntaxException(line, "malformed \\uXXXX escape");
          }
          i += 4;
        }
        default -> b.append(e);
      }
    }
    return b.toString();
  }

  private static boolean endsWithContinuation(String line) {
    int slashes = 0;
    for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
      slashes++;
    }
    return slashes % 2 == 1;
  }

  private static String stripLeading(String s) {
    int i = 0;
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\f')) {
      i++;
    }
    return s.substring(i);
  }
}
