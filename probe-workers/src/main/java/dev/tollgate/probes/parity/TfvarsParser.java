package dev.tollgate.probes.parity;

import dev.tollgate.probes.api.YamlLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Terraform variable files ({@code .tfvars}): HCL attributes whose values are literals — strings with
 * escapes, heredocs ({@code <<EOT}, {@code <<-EOT}), numbers, {@code true}/{@code false}, {@code null}, lists
 * and objects ({@code =} or {@code :} between key and value, commas or newlines between items) — with {@code #},
 * {@code //} and block comments. Terraform itself rejects expressions in .tfvars, so this parser does too.
 * Template sequences ({@code ${...}}) inside strings are kept as written.
 */
final class TfvarsParser {
  private final String s;
  private int i;
  private int line = 1;

  private TfvarsParser(String text) {
    this.s = text.replace("\r\n", "\n");
  }

  /** The file's attributes as one object. */
  static Node parse(String text) throws ConfigSyntaxException {
    return new TfvarsParser(text).body();
  }

  private Node body() throws ConfigSyntaxException {
    Map<String, Node> attrs = new LinkedHashMap<>();
    while (true) {
      skipSpace(true);
      if (i >= s.length()) {
        return Node.map(attrs, 1);
      }
      int keyLine = line;
      String name = identifier();
      if (name.isEmpty()) {
        throw new ConfigSyntaxException(line, "expected a variable name");
      }
      skipSpace(false);
      if (!consume('=')) {
        throw new ConfigSyntaxException(line, "expected '=' after " + name);
      }
      attrs.put(name, value(keyLine, 0));
      skipSpace(false);
      if (i < s.length() && s.charAt(i) != '\n') {
        throw new ConfigSyntaxException(line, "expected a new line after the value of " + name);
      }
    }
  }

  private Node value(int keyLine, int depth) throws ConfigSyntaxException {
    if (depth > YamlLimits.MAX_DEPTH) {
      throw new ConfigSyntaxException(line, "nested deeper than " + YamlLimits.MAX_DEPTH + " levels");
    }
    skipSpace(true);
    if (i >= s.length()) {
      throw new ConfigSyntaxException(line, "expected a value");
    }
    char c = s.charAt(i);
    if (c == '"') {
      return Node.scalar(Value.Type.STRING, string(), keyLine);
    }
    if (s.startsWith("<<", i)) {
      return Node.scalar(Value.Type.STRING, heredoc(), keyLine);
    }
    if (c == '[') {
      i++;
      List<Node> items = new ArrayList<>();
      while (true) {
        skipSpace(true);
        if (consume(']')) {
          return Node.list(items, keyLine);
        }
        items.add(value(line, depth + 1));
        skipSpace(true);
        if (!consume(',')) {
          skipSpace(true);
          if (!consume(']')) {
            throw new ConfigSyntaxException(line, "expected ',' or ']' in a list");
          }
          return Node.list(items, keyLine);
        }
      }
    }
    if (c == '{') {
      i++;
      Map<String, Node> fields = new LinkedHashMap<>();
      while (true) {
        skipSpace(true);
        if (consume('}')) {
          return Node.map(fields, keyLine);
        }
        int fieldLine = line;
        String key = i < s.length() && s.charAt(i) == '"' ? string() : identifier();
        if (key.isEmpty()) {
          throw new ConfigSyntaxException(line, "expected a key in an object");
        }
        skipSpace(false);
        if (!consume('=') && !consume(':')) {
          throw new ConfigSyntaxException(line, "expected '=' or ':' after an object key");
        }
        fields.put(key, value(fieldLine, depth + 1));
        skipSpace(false);
        consume(',');
      }
    }
    if (c == '-' || Character.isDigit(c)) {
      int from = i;
      i++;
      while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.'
          || ((s.charAt(i) == '+' || s.charAt(i) == '-') && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E')))) {
        i++;
      }
      String number = s.substring(from, i);
      if (Value.infer(number) != Value.Type.NUMBER) {
        throw new ConfigSyntaxException(line, "not a number");
      }
      return Node.scalar(Value.Type.NUMBER, number, keyLine);
    }
    String word = identifier();
    switch (word) {
      case "true", "false" -> {
        return Node.scalar(Value.Type.BOOLEAN, word, keyLine);
      }
      case "null" -> {
        return Node.scalar(Value.Type.NULL, "null", keyLine);
      }
      default -> throw new ConfigSyntaxException(line, "only literal values are allowed in .tfvars");
    }
  }

  private String string() throws ConfigSyntaxException {
    int start = line;
    i++; // opening quote
    StringBuilder b = new StringBuilder();
    while (true) {
      if (i >= s.length() || s.charAt(i) == '\n') {
        throw new ConfigSyntaxException(start, "unterminated string");
      }
      char c = s.charAt(i++);
      if (c == '"') {
        return b.toString();
      }
      if (c == '\\') {
        if (i >= s.length()) {
          throw new ConfigSyntaxException(start, "unterminated string");
        }
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 't' -> b.append('\t');
          case '"', '\\' -> b.append(e);
          case 'u' -> b.append(codePoint(4, start));
          case 'U' -> b.append(codePoint(8, start));
          default -> throw new ConfigSyntaxException(start, "unknown escape in a string");
        }
        continue;
      }
      b.append(c);
    }
  }

  private String codePoint(int digits, int start) throws ConfigSyntaxException {
    if (i + digits > s.length()) {
      throw new ConfigSyntaxException(start, "malformed unicode escape");
    }
    try {
      int cp = Integer.parseInt(s.substring(i, i + digits), 16);
      i += digits;
      return new String(Character.toChars(cp));
    } catch (IllegalArgumentException e) {
      throw new ConfigSyntaxException(start, "malformed unicode escape");
    }
  }

  private String heredoc() throws ConfigSyntaxException {
    int start = line;
    i += 2;
    boolean indented = consume('-');
    String marker = identifier();
    if (marker.isEmpty()) {
      throw new ConfigSyntaxException(start, "expected a heredoc marker after <<");
    }
    skipSpace(false);
    if (!consume('\n')) {
      throw new ConfigSyntaxException(start, "expected a new line after the heredoc marker");
    }
    line++;
    List<String> lines = new ArrayList<>();
    while (true) {
      if (i >= s.length()) {
        throw new ConfigSyntaxException(start, "unterminated heredoc " + marker);
      }
      int end = s.indexOf('\n', i);
      String l = end < 0 ? s.substring(i) : s.substring(i, end);
      i = end < 0 ? s.length() : end;
      if (l.strip().equals(marker)) {
        break;
      }
      lines.add(l);
      if (end >= 0) {
        i++;
        line++;
      }
    }
    if (indented) {
      // <<- strips the smallest common indentation, as Terraform does.
      int indent = lines.stream().filter(l -> !l.isBlank())
          .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
      lines.replaceAll(l -> l.length() >= indent ? l.substring(indent) : l.strip());
    }
    return String.join("\n", lines) + (lines.isEmpty() ? "" : "\n");
  }

  private String identifier() {
    int from = i;
    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '-')) {
      i++;
    }
    return s.substring(from, i);
  }

  private boolean consume(char c) {
    if (i < s.length() && s.charAt(i) == c) {
      i++;
      return true;
    }
    return false;
  }

  /** Skips blanks and comments; also new lines when {@code newlines}. A line comment never eats its new line. */
  private void skipSpace(boolean newlines) throws ConfigSyntaxException {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t') {
        i++;
      } else if (c == '\n' && newlines) {
        i++;
        line++;
      } else if (c == '#' || s.startsWith("//", i)) {
        while (i < s.length() && s.charAt(i) != '\n') {
          i++;
        }
      } else if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        if (end < 0) {
          throw new ConfigSyntaxException(line, "unterminated comment");
        }
        for (int k = i; k < end; k++) {
          if (s.charAt(k) == '\n') {
            line++;
          }
        }
        i = end + 2;
      } else {
        return;
      }
    }
  }
}
