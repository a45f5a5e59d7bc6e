package dev.tollgate.probes.parity;

/**
 * A configuration file that cannot be read. The message never quotes the file's content: it may hold a secret,
 * and it ends up in a finding.
 */
final class ConfigSyntaxException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int line;

  ConfigSyntaxException(int line, String reason) {
    super(reason);
    this.line = line;
  }

  /** 1-based line of the problem, 0 when unknown. */
  int line() {
    return line;
  }
}
