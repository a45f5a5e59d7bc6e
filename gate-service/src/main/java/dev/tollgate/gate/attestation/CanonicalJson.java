package dev.tollgate.gate.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON in one canonical form, so the same statement always serializes to the same bytes on every gate: object
 * members sorted by key (UTF-16 code units, as RFC 8785 sorts them), no whitespace, strings escaped the RFC 8785 way
 * ({@code \b \t \n \f \r \" \\}, other control characters as a backslash, {@code u} and four hex digits, everything else as UTF-8), integers
 * only. That is RFC 8785 (JCS) for the values a statement holds; a fraction would need JCS's number formatting, so it
 * is refused rather than written some other way.
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  /** The canonical UTF-8 bytes of {@code node}. */
  public static byte[] bytes(JsonNode node) {
    StringBuilder b = new StringBuilder(1024);
    write(node, b);
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void write(JsonNode node, StringBuilder b) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        keys.sort(null); // String.compareTo orders by UTF-16 code units, as RFC 8785 requires
        b.append('{');
        for (int i = 0; i < keys.size(); i++) {
          if (i > 0) {
            b.append(',');
          }
          string(keys.get(i), b);
          b.append(':');
          write(node.get(keys.get(i)), b);
        }
        b.append('}');
      }
      case ARRAY -> {
        b.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            b.append(',');
          }
          write(node.get(i), b);
        }
        b.append(']');
      }
      case STRING -> string(node.textValue(), b);
      case BOOLEAN -> b.append(node.booleanValue());
      case NULL -> b.append("null");
      case NUMBER -> {
        if (!node.canConvertToExactIntegral() || !node.canConvertToLong()) {
          throw new IllegalArgumentException("canonical JSON: only integers are written, got " + node);
        }
        b.append(node.longValue());
      }
      default -> throw new IllegalArgumentException("canonical JSON: cannot write a " + node.getNodeType() + " node");
    }
  }

  private static void string(String s, StringBuilder b) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
