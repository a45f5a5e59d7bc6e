package dev.tollgate.probes.migration.sql;

import java.util.List;
import java.util.Locale;

/**
 * An expression kept as source text plus the facts rules ask about it, so no rule re-reads raw text: the functions it
 * calls, the string literals in it, and whether it is a plain literal.
 *
 * @param text source text
 * @param functions lower-case names of the functions called anywhere in it ({@code nextval}, {@code now})
 * @param strings values of its string literals (unquoted)
 * @param literal true for a constant: a number, a string, NULL, TRUE/FALSE, optionally cast ({@code '{}'::jsonb})
 * @param parenthesized true when written as {@code (expr)} (MySQL expression defaults)
 */
public record Expr(String text, List<String> functions, List<String> strings, boolean literal, boolean parenthesized) {
  public Expr {
    functions = List.copyOf(functions);
    strings = List.copyOf(strings);
  }

  /** True when it is the literal NULL. */
  public boolean isNull() {
    return text.strip().equalsIgnoreCase("null");
  }

  /** True when it calls {@code function} (case-insensitive). */
  public boolean calls(String function) {
    return functions.contains(function.toLowerCase(Locale.ROOT));
  }
}
