package dev.tollgate.probes.secrets;

import java.util.List;
import java.util.function.Supplier;

/**
 * The result of one scan: redacted findings (baseline-accepted ones removed), warnings about what a limit cut,
 * and how much was read. How much was read may be computed when first asked (a range scan counts the added lines of
 * files it did not need to diff only then, issue #24); findings and warnings are final when the scan returns.
 */
public final class ScanReport {
  /** Bytes and files read. */
  record Read(long bytes, int files) {}

  private final List<SecretFinding> findings;
  private final List<ScanWarning> warnings;
  private Supplier<Read> count;
  private Read read;

  public ScanReport(List<SecretFinding> findings, List<ScanWarning> warnings, long bytesScanned, int filesScanned) {
    this.findings = List.copyOf(findings);
    this.warnings = List.copyOf(warnings);
    this.read = new Read(bytesScanned, filesScanned);
  }

  ScanReport(List<SecretFinding> findings, List<ScanWarning> warnings, Supplier<Read> count) {
    this.findings = List.copyOf(findings);
    this.warnings = List.copyOf(warnings);
    this.count = count;
  }

  public List<SecretFinding> findings() {
    return findings;
  }

  public List<ScanWarning> warnings() {
    return warnings;
  }

  /** Bytes scanned (added lines count their characters and a line break each). */
  public long bytesScanned() {
    return read().bytes();
  }

  /** Files scanned. */
  public int filesScanned() {
    return read().files();
  }

  private synchronized Read read() {
    if (read == null) {
      read = count.get();
      count = null;
    }
    return read;
  }

  @Override
  public String toString() {
    return "ScanReport[findings=" + findings.size() + ", warnings=" + warnings + "]";
  }
}
