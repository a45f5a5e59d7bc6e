package dev.tollgate.probes.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleViolation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The one scan of a deploy range that every rule of the probe reads (computed once per context via
 * {@link RuleContext#shared}): the repository's allowlists, the operator's settings, and the scan's report.
 *
 * @param report what the scan found, or null when it failed
 * @param configError what is wrong with the repository's {@code secrets:} section or baseline, or null
 * @param failure why the scan failed, or null; rethrown by one rule only so the reason stays short
 */
record SecretsScan(ScanReport report, String configError, RuntimeException failure) {
  /** Operator settings ({@code defaults.secrets} / {@code environments.<env>.secrets} in the server's tollgate.yml). */
  private static final Set<String> SERVER_KEYS = Set.of("fingerprintKey", "maxTotalBytes");
  static final long DEFAULT_MAX_TOTAL_BYTES = 256L << 20;
  private static final Object KEY = new Object();

  /** The findings of rule {@code ruleId} as violations (none when the scan failed: scan-incomplete says so once). */
  List<RuleViolation> violationsOf(String ruleId) {
    if (report == null) {
      return List.of();
    }
    List<RuleViolation> out = new ArrayList<>();
    for (SecretFinding f : report.findings()) {
      if (f.ruleId().equals(ruleId)) {
        out.add(new RuleViolation(f.file(), f.line(), f.message(), null, f.severity(), f.commit(),
            f.fingerprint(), null));
      }
    }
    return out;
  }

  /** The shared scan of {@code ctx}'s range. */
  static SecretsScan of(RuleContext ctx, RuleBook book) {
    return ctx.shared(KEY, () -> compute(ctx, book));
  }

  private static SecretsScan compute(RuleContext ctx, RuleBook book) {
    try {
      JsonNode server = ctx.server().section("secrets");
      byte[] key = serverKey(server);
      long maxTotal = maxTotalBytes(server);
      RepoSecretsConfig config;
      String configError = null;
      try {
        String baseline = ctx.readPolicyFile(RepoSecretsConfig.BASELINE_PATH).orElse(null);
        config = RepoSecretsConfig.parse(ctx.repoConfig().section("secrets"), baseline, book.ids());
      } catch (IllegalArgumentException e) {
        // Fail closed: scan without the repository's allowlists and say why (the message names keys, not content).
        config = RepoSecretsConfig.none();
        configError = e.getMessage();
      }
      ScanReport report = new SecretScanner(book, config, key).scanRange(ctx.changes(), maxTotal);
      return new SecretsScan(report, configError, null);
    } catch (RuntimeException e) {
      return new SecretsScan(null, null, e);
    }
  }

  private static byte[] serverKey(JsonNode server) {
    checkKeys(server);
    JsonNode k = server.path("fingerprintKey");
    if (k.isMissingNode()) {
      return null;
    }
    if (!k.isTextual() || k.asText().length() < 16) {
      // Never echo the configured value: it is a secret.
      throw new IllegalArgumentException("secrets.fingerprintKey: expected a string of at least 16 characters");
    }
    return k.asText().getBytes(StandardCharsets.UTF_8);
  }

  private static long maxTotalBytes(JsonNode server) {
    JsonNode v = server.path("maxTotalBytes");
    if (v.isMissingNode()) {
      return DEFAULT_MAX_TOTAL_BYTES;
    }
    if (!v.isIntegralNumber() || v.longValue() < 1) {
      throw new IllegalArgumentException("secrets.maxTotalBytes: expected a positive integer (bytes), got " + v);
    }
    return v.longValue();
  }

  private static void checkKeys(JsonNode server) {
    if (server.isMissingNode()) {
      return;
    }
    if (!server.isObject()) {
      throw new IllegalArgumentException("secrets: expected a mapping in the server settings");
    }
    for (Iterator<String> it = server.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!SERVER_KEYS.contains(key)) {
        throw new IllegalArgumentException("secrets." + key + ": unknown server setting (known: " + new java.util.TreeSet<>(SERVER_KEYS) + ")");
      }
    }
  }
}
