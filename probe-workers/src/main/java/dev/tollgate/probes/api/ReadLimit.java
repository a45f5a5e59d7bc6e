package dev.tollgate.probes.api;

/**
 * A bound on what a probe reads. Whatever a bound cut is a finding that blocks the deploy (fail closed: a file the
 * probe did not read may hold what it looks for), unless the operators downgrade it for an environment with
 * {@code readLimits} in the server's {@code tollgate.yml} ({@link ReadLimits}).
 */
public enum ReadLimit {
  /** A file over {@code worker.maxFileBytes}: its content was not read. */
  FILE_SIZE("fileSize", "worker.maxFileBytes"),
  /** A range of more commits than {@code worker.maxCommits}: the oldest were not read. */
  COMMITS("commits", "worker.maxCommits"),
  /** A scan stopped at its total-bytes budget (the secrets probe's {@code secrets.maxTotalBytes}). */
  TOTAL_BYTES("totalBytes", "secrets.maxTotalBytes"),
  /**
   * A file the probe must understand could not be parsed: not valid YAML, JSON or XML, a YAML alias bomb, nesting too
   * deep, not text. Neither the probe nor, usually, the tool that applies it can read it.
   */
  UNPARSEABLE("unparseable", null);

  private final String key;
  private final String setting;

  ReadLimit(String key, String setting) {
    this.key = key;
    this.setting = setting;
  }

  /** The key under {@code readLimits} in the server's tollgate.yml. */
  public String key() {
    return key;
  }

  /** The setting that sets the bound, or null when there is none to raise. */
  public String setting() {
    return setting;
  }
}
