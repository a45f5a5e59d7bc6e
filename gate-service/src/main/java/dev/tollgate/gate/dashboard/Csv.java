package dev.tollgate.gate.dashboard;

import java.util.List;

/**
 * RFC 4180 CSV, safe to open in a spreadsheet: a cell that a spreadsheet would read as a formula ({@code =}, {@code +},
 * {@code -}, {@code @}, tab, carriage return) is prefixed with an apostrophe (OWASP "CSV injection"), because audit
 * details quote what people typed, e.g. an override reason.
 */
final class Csv {
  private Csv() {}

  /** One line, CRLF-terminated. */
  static String line(List<String> cells) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(cell(cells.get(i)));
    }
    return b.append("\r\n").toString();
  }

  static String cell(String value) {
    if (value == null) {
      return "";
    }
    String v = value;
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0 || v.startsWith("'")) {
      return "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }
}
