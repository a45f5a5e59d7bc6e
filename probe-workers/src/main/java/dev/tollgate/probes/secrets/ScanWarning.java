package dev.tollgate.probes.secrets;

/**
 * Part of what should have been scanned was not: a file over the size limit, the total-bytes limit reached, or
 * commits beyond the commit limit. Reported as a WARN finding so a cut scan is never mistaken for a clean one.
 *
 * @param file the file not scanned, or null when the warning is about the whole scan
 * @param commit the commit the file was changed in, or null
 * @param message what was skipped and which limit applied
 */
public record ScanWarning(String file, String commit, String message) {}
