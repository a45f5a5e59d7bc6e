package dev.tollgate.probes.migration.sql;

import java.util.Optional;

/**
 * One executed SQL statement of a script: what it does ({@link #command()}), where it is (1-based lines of its first
 * and last token) and its source text. Statements inside a {@code DO} block point to it with
 * {@link #enclosingBlock()}.
 */
public final class Statement {
  private final Command command;
  private final String source;
  private final int start;
  private final int end;
  private final int line;
  private final int endLine;
  private final Statement enclosing;
  private final java.util.List<String> literals;

  Statement(Command command, String source, int start, int end, int line, int endLine, Statement enclosing,
      java.util.List<String> literals) {
    this.command = command;
    this.literals = literals;
    this.source = source;
    this.start = start;
    this.end = end;
    this.line = line;
    this.endLine = endLine;
    this.enclosing = enclosing;
  }

  /**
   * A statement made by a changelog reader (Liquibase XML/YAML) rather than parsed from SQL text.
   *
   * @param text a SQL rendering for messages
   */
  public static Statement synthetic(Command command, String text, int line) {
    return new Statement(command, text, 0, text.length(), line, line, null, java.util.List.of());
  }

  /** What the statement does. */
  public Command command() {
    return command;
  }

  /** The command as {@code type}, when it is one. */
  public <T extends Command> Optional<T> as(Class<T> type) {
    return type.isInstance(command) ? Optional.of(type.cast(command)) : Optional.empty();
  }

  /** Line of its first token. */
  public int line() {
    return line;
  }

  /** Line of its last token. */
  public int endLine() {
    return endLine;
  }

  /** Its source text, without the terminating semicolon. */
  public String text() {
    return source.substring(start, end);
  }

  /** The same statement, run inside {@code block} (EXECUTE of a constant string in a DO block). */
  Statement within(Statement block) {
    return new Statement(command, source, start, end, line, endLine, block, literals);
  }

  /** Values of the string literals in the statement, in order (e.g. to see a new enum value used). */
  public java.util.List<String> literals() {
    return literals;
  }

  /** The {@code DO} block this statement runs in, if any. */
  public Optional<Statement> enclosingBlock() {
    return Optional.ofNullable(enclosing);
  }

  /** Short text for messages: the first line, at most 80 characters. */
  public String excerpt() {
    String t = text().strip();
    int nl = t.indexOf('\n');
    if (nl >= 0) {
      t = t.substring(0, nl).strip() + " ...";
    }
    return t.length() > 80 ? t.substring(0, 77) + "..." : t;
  }

  @Override
  public String toString() {
    return line + ": " + command;
  }
}
