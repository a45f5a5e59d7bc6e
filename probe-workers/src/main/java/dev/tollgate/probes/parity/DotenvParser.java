package dev.tollgate.probes.parity;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code .env} files the way dotenv libraries and Docker Compose do:
 *
 * <ul>
 *   <li>{@code KEY=value}, optional {@code export } prefix, blank lines and {@code #} comment lines;
 *   <li>unquoted values are trimmed and end at a {@code #} that follows whitespace ({@code URL=http://h/#x} keeps
 *       its fragment);
 *   <li>{@code "double"} quotes expand {@code \n \r \t \" \\ \$} and may span lines;
 *   <li>{@code 'single'} and {@code `backtick`} quotes are literal and may span lines;
 *   <li>after a closing quote only whitespace and a comment may follow.
 * </ul>
 *
 * {@code ${VAR}} references are kept as written: parity compares keys and types, and expanding them would need
 * the process environment, which differs per machine by design.
 */
final class DotenvParser {
  /** One assignment. */
  record Assignment(String key, String value, int line) {}

  private final String s;
  private int i;
  private int line = 1;

  private DotenvParser(String text) {
    this.s = text.replace("\r\n", "\n");
  }

  static List<Assignment> parse(String text) throws ConfigSyntaxException {
    return new DotenvParser(text).assignments();
  }

  private List<Assignment> assignments() throws ConfigSyntaxException {
    List<Assignment> out = new ArrayList<>();
    while (i < s.length()) {
      skipBlanks();
      if (i >= s.length()) {
        break;
      }
      char c = s.charAt(i);
      if (c == '\n') {
        i++;
        line++;
        continue;
      }
      if (c == '#') {
        skipToEndOfLine();
        continue;
      }
      int start = line;
      if (s.startsWith("export", i) && i + 6 < s.length() && (s.charAt(i + 6) == ' ' || s.charAt(i + 6) == '\t')) {
        i += 6;
        skipBlanks();
      }
      int keyStart = i;
      while (i < s.length() && isKeyChar(s.charAt(i))) {
        i++;
      }
      String key = s.substring(keyStart, i);
      if (key.isEmpty()) {
        throw new ConfigSyntaxException(start, "expected KEY=VALUE");
      }
      skipBlanks();
      if (i < s.length() && s.charAt(i) == '=') {
        i++;
      } else if (i + 1 < s.length() && s.charAt(i) == ':' && (s.charAt(i + 1) == ' ' || s.charAt(i + 1) == '\t')) {
        i++; // 'KEY: value', accepted by the Node dotenv library
      } else {
        throw new ConfigSyntaxException(start, "expected '=' after " + key);
      }
      skipBlanks();
      String value = i < s.length() ? value(start) : "";
      out.add(new Assignment(key, value, start));
    }
    return out;
  }

  private String value(int start) throws ConfigSyntaxException {
    char q = s.charAt(i);
    if (q == '"' || q == '\'' || q == '`') {
      i++;
      StringBuilder b = new StringBuilder();
      while (true) {
        if (i >= s.length()) {
          throw new ConfigSyntaxException(start, "unterminated " + (q == '"' ? "double" : q == '\'' ? "single" : "backtick")
              + "-quoted value");
        }
        char c = s.charAt(i++);
        if (c == q) {
          break;
        }
        if (c == '\n') {
          line++;
        }
        if (q == '"' && c == '\\' && i < s.length()) {
          char e = s.charAt(i++);
          switch (e) {
            case 'n' -> b.append('\n');
            case 'r' -> b.append('\r');
            case 't' -> b.append('\t');
            case '"', '\\', '$' -> b.append(e);
            case '\n' -> line++; // a backslash-newline joins lines
            default -> b.append('\\').append(e);
          }
          continue;
        }
        b.append(c);
      }
      skipBlanks();
      if (i < s.length() && s.charAt(i) == '#') {
        skipToEndOfLine();
      } else if (i < s.length() && s.charAt(i) != '\n') {
        throw new ConfigSyntaxException(line, "unexpected text after the closing quote");
      }
      return b.toString();
    }
    int from = i;
    while (i < s.length() && s.charAt(i) != '\n') {
      if (s.charAt(i) == '#' && (i == from || Character.isWhitespace(s.charAt(i - 1)))) {
        String v = s.substring(from, i).strip();
        skipToEndOfLine();
        return v;
      }
      i++;
    }
    return s.substring(from, i).strip();
  }

  private static boolean isKeyChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-';
  }

  private void skipBlanks() {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
  }

  private void skipToEndOfLine() {
    while (i < s.length() && s.charAt(i) != '\n') {
      i++;
    }
  }
}
