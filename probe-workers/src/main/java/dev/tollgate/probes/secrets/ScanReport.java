package dev.tollgate.probes.secrets;

import java.util.List;

/**
 * The result of one scan: redacted findings (baseline-accepted ones removed), warnings about what a limit cut,
 * and how much was read.
 */
public record ScanReport(List<SecretFinding> findings, List<ScanWarning> warnings, long bytesScanned, int filesScanned) {
  public ScanReport {
    findings = List.copyOf(findings);
    warnings = List.copyOf(warnings);
  }
}
