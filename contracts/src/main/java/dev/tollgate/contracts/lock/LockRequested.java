package dev.tollgate.contracts.lock;

import static dev.tollgate.contracts.Checks.requireSchemaVersion;
import static dev.tollgate.contracts.Checks.requireText;
import static dev.tollgate.contracts.Checks.requireValue;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tollgate.contracts.Message;
import dev.tollgate.contracts.evaluation.Source;
import java.time.Instant;

/**
 * Take, release or break a lock. Topic: {@link dev.tollgate.contracts.Topics#LOCKS_REQUESTED}. Key:
 * {@link #environmentKey()}. The gate checked the caller's role before publishing; the environment gate decides
 * against the current state (someone else's lock refuses a LOCK; only the holder may UNLOCK) and publishes the
 * outcome in {@link EnvironmentGateChanged#outcomes()}.
 *
 * @param commandId unique per command; a LOCK that succeeds becomes the lock's id
 * @param repository the repository the lock is limited to, or null for the whole environment
 * @param by the authenticated principal's display name (token name, or the identity a Slack user maps to)
 * @param reason the lock's reason (LOCK), or why an administrator broke it (BREAK); user text, 10-500 characters
 * @param expiresAt when a LOCK ends by itself; null for UNLOCK and BREAK
 * @param actor who sent it, with its namespace: what a lock's holder is compared with (never {@code by}). Null in
 *     commands written before it existed, which hold, renew and release nothing (optional, no version bump)
 * @param lockId for UNLOCK and BREAK, the lock the caller saw ({@link EnvironmentGateChanged.Lock#lockId()}): the
 *     command is refused when another lock is in force by then. A BREAK must name it; an UNLOCK without it releases the
 *     current lock only for its holder (optional, no version bump)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LockRequested(int schemaVersion, String commandId, String requestId, Action action, String tenant,
    String environment, String repository, LockKind kind, String by, String reason, Instant expiresAt, Source source,
    Instant requestedAt, Identity actor, String lockId) implements Message {

  public static final int SCHEMA_VERSION = 1;

  /** What the command asks. */
  public enum Action {
    LOCK, UNLOCK,
    /** An administrator ends someone else's lock. */
    BREAK,
    @JsonEnumDefaultValue UNKNOWN
  }

  public LockRequested {
    requireSchemaVersion(schemaVersion, SCHEMA_VERSION, "LockRequested");
    requireText(commandId, "commandId");
    requireText(requestId, "requestId");
    requireValue(action, "action");
    requireText(tenant, "tenant");
    requireText(environment, "environment");
    requireText(by, "by");
    requireValue(source, "source");
    requireValue(requestedAt, "requestedAt");
    if (action == Action.LOCK) {
      requireValue(kind, "kind");
      requireText(reason, "reason");
      requireValue(expiresAt, "expiresAt");
    }
  }

  /** Not about an evaluation: {@code lock:<commandId>} names the command in traces and audit records. */
  @Override
  public String evaluationId() {
    return "lock:" + commandId;
  }

  /** The Kafka key. */
  public String environmentKey() {
    return environmentKey(tenant, environment);
  }

  /** The key of every record about one environment of one tenant. */
  public static String environmentKey(String tenant, String environment) {
    return tenant + "|" + environment;
  }
}
