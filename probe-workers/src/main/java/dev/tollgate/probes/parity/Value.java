package dev.tollgate.probes.parity;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One configuration value after parsing: its type and a canonical text. Formats without types (dotenv,
 * {@code .properties}) produce {@link Type#STRING}; {@link #inferred()} guesses what the consuming program will
 * read, which is what a loose comparison uses.
 */
record Value(Type type, String text) {
  private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

  /** The types the key-parity rules distinguish. */
  enum Type {
    STRING, NUMBER, BOOLEAN, NULL, LIST, MAP;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  Value {
    if (type == null || text == null) {
      throw new IllegalArgumentException("value: type and text are required");
    }
  }

  static Value string(String text) {
    return new Value(Type.STRING, text);
  }

  /** The type a program that coerces strings (Spring, dotenv readers) would see. */
  Type inferred() {
    return type == Type.STRING ? infer(text) : type;
  }

  static Type infer(String text) {
    String t = text.strip();
    if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
      return Type.BOOLEAN;
    }
    if (!t.isEmpty() && NUMBER.matcher(t).matches()) {
      return Type.NUMBER;
    }
    return Type.STRING;
  }

  boolean scalar() {
    return type != Type.LIST && type != Type.MAP;
  }

  /** True for the spellings of "on" a flag system reads as enabled. */
  boolean truthy() {
    String t = text.strip().toLowerCase(Locale.ROOT);
    return t.equals("true") || t.equals("on") || t.equals("yes") || t.equals("1") || t.equals("enabled");
  }

  /** True for the spellings of "off". */
  boolean falsy() {
    String t = text.strip().toLowerCase(Locale.ROOT);
    return t.equals("false") || t.equals("off") || t.equals("no") || t.equals("0") || t.equals("disabled")
        || type == Type.NULL;
  }
}
