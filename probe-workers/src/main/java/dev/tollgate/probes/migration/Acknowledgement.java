package dev.tollgate.probes.migration;

/**
 * Lines of a migration its author marked as reviewed in the framework's own way, e.g. a Rails strong_migrations
 * {@code safety_assured { ... }} block. Tollgate never lets such a marker hide a finding: findings inside it name it,
 * and only the operators' {@code migrations.acknowledgements: warn} policy turns their blocking findings into warnings
 * (docs/rules/migration/rails.md, "safety_assured").
 *
 * @param marker how it was written, e.g. {@code safety_assured}
 * @param line the marker's own line
 * @param fromLine first line covered
 * @param toLine last line covered
 */
public record Acknowledgement(String marker, int line, int fromLine, int toLine) {
  /** True when {@code l} lies in the acknowledged lines. */
  public boolean covers(int l) {
    return l >= fromLine && l <= toLine;
  }
}
