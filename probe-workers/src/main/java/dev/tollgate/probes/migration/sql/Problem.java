package dev.tollgate.probes.migration.sql;

/**
 * Something the front end could not read: an unterminated string, comment or dollar quote, unbalanced parentheses,
 * a statement that does not start like SQL. The statement around it is still reported (as {@link Command.Invalid}),
 * never a crash.
 *
 * @param line 1-based line in the file
 * @param message what is wrong, e.g. {@code unterminated dollar-quoted string $fn$}
 */
public record Problem(int line, String message) {}
