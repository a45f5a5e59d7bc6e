package dev.tollgate.probes.secrets;

import dev.tollgate.probes.api.ReadLimit;

/**
 * Part of what should have been scanned was not: a file over the size limit, the total-bytes limit reached, or
 * commits beyond the commit limit. The probe reports it as {@code secrets/scan-incomplete}, which blocks unless the
 * operators downgraded that limit for the environment, so a cut scan is never mistaken for a clean one.
 *
 * @param file the file not scanned, or null when the warning is about the whole scan
 * @param commit the commit the file was changed in, or null
 * @param message what was skipped and which limit applied
 * @param limit the bound that cut the scan
 */
public record ScanWarning(String file, String commit, String message, ReadLimit limit) {}
