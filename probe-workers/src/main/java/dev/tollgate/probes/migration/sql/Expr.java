package dev.tollgate.probes.migration.sql;

import java.util.List;
import java.util.Locale;

/**
 * An expression kept as source text plus the facts rules ask about it, so no rule re-reads raw text: the functions it
 * calls, the string literals in it, whether it is a plain literal, and its words and operators at nesting depth 0.
 *
 * @param text source text
 * @param functions lower-case names of the functions called anywhere in it ({@code nextval}, {@code now})
 * @param keywords upper-case bare words anywhere in it ({@code CURRENT_TIMESTAMP}, {@code BETWEEN}, {@code LIMIT})
 * @param strings values of its string literals (unquoted)
 * @param literal true for a constant: a number, a string, NULL, TRUE/FALSE, optionally cast ({@code '{}'::jsonb})
 * @param parenthesized true when written as {@code (expr)} (MySQL expression defaults)
 */
public record Expr(String text, List<String> functions, List<String> keywords, List<String> strings, boolean literal,
    boolean parenthesized) {
  public Expr {
    functions = List.copyOf(functions);
    keywords = List.copyOf(keywords);
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

  /** True when the bare word appears (case-insensitive). */
  public boolean hasKeyword(String word) {
    return keywords.contains(word.toUpperCase(Locale.ROOT));
  }
}
