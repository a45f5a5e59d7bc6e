package dev.tollgate.gate.policy;

import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.contracts.evaluation.Source;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Changes of the server's policy, as audit records: a gate that starts with a {@code tollgate.yml} whose effective
 * policy (defaults and environments, probe settings included) differs from the last one recorded writes a
 * {@link AuditKind#CONFIG_CHANGED} record naming both versions. Every verdict carries its policy version
 * ({@code server:<version>}), so the audit log tells which configuration decided what. Tokens and platform
 * credentials are not part of the policy and are never described.
 */
public final class PolicyChanges {
  /** The prefix of a policy change's {@code evaluationId}: {@code config:<version>}. */
  public static final String PREFIX = "config:";

  private PolicyChanges() {}

  /**
   * The record of the change from {@code last} to {@code policy}, or empty when the policy is the one last recorded.
   * Its {@code auditId} is derived from the previous record and the new version, so gates starting together with
   * the same configuration write one record (readers keep the first per id), and a return to an older version is
   * still a new record.
   *
   * @param last the newest policy change on record, or null when there is none
   */
  public static Optional<AuditRecorded> change(AuditRecorded last, ServerPolicy policy, Instant now) {
    String version = policy.version();
    String previous = last == null || !last.evaluationId().startsWith(PREFIX) ? null : last.evaluationId().substring(PREFIX.length());
    if (version.equals(previous)) {
      return Optional.empty();
    }
    String auditId = "config-" + sha256((last == null ? "" : last.auditId()) + ">" + version);
    String environments = String.join(", ", new TreeSet<>(policy.environments().keySet()));
    String detail = (previous == null ? "Policy " + version + " in force (none recorded before)"
        : "Policy changed from " + previous + " to " + version) + "; environments: " + environments
        + ". Verdicts decided under it carry policy version server:" + version + ".";
    return Optional.of(new AuditRecorded(AuditRecorded.SCHEMA_VERSION, PREFIX + version, auditId, auditId,
        AuditKind.CONFIG_CHANGED, "*", "tollgate.yml", "*", null, Source.SERVER, null, null, detail, now, now));
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
