package dev.tollgate.gate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Durations;
import dev.tollgate.gate.auth.Role;
import java.time.Duration;
import java.util.Set;

/**
 * Who may lock an environment and how many deploys may be in flight there (the {@code locks:} and {@code queue:}
 * sections of an environment; an environment's section replaces the defaults' as a whole).
 *
 * <pre>
 * locks:
 *   role: approver        # who may lock (approver or admin; the environment's override approvers may too)
 *   defaultFor: 4h        # a lock without "for" ends after this
 *   maxFor: 24h           # nobody locks for longer
 *   maxWaiting: 200       # evaluations held waiting here (by a lock or in the queue); the next is a NO_GO QUEUE_FULL
 * queue:
 *   maxInFlight: 1        # deploys admitted and not yet reported finished
 *   slotTimeout: 1h       # a deploy that never reports its end frees its slot after this (audited)
 *   supersede: false      # true: a newer commit of a repository replaces its older queued ones
 * </pre>
 *
 * @param maxInFlight 0 when the environment has no {@code queue:} section: no queue, every GO passes (locks still hold)
 * @param maxWaiting how many evaluations may wait here at once, held by a lock or queued: the environment's state
 *     (rewritten on every change, one Kafka record) stays bounded through a long freeze on a busy environment
 */
public record AdmissionPolicy(Role lockRole, Duration lockDefault, Duration lockMax, int maxInFlight, Duration slotTimeout,
    boolean supersede, int maxWaiting) {
  /** The default {@code locks.maxWaiting}. */
  public static final int MAX_WAITING = 200;
  /** The largest {@code locks.maxWaiting}: past it, the environment's state nears the 1 MB record limit. */
  static final int MAX_WAITING_LIMIT = 1000;
  /** Locks for approvers, 4 h by default and at most 24 h, 200 waiting at most; no queue. */
  public static final AdmissionPolicy DEFAULT = new AdmissionPolicy(Role.APPROVER, Duration.ofHours(4), Duration.ofHours(24),
      0, Duration.ofHours(1), false, MAX_WAITING);
  static final Set<String> LOCK_KEYS = Set.of("role", "defaultFor", "maxFor", "maxWaiting");
  static final Set<String> QUEUE_KEYS = Set.of("maxInFlight", "slotTimeout", "supersede");

  public AdmissionPolicy {
    if (lockRole != Role.APPROVER && lockRole != Role.ADMIN) {
      throw new IllegalArgumentException("locks.role: expected approver or admin, got " + lockRole);
    }
    if (lockDefault.compareTo(lockMax) > 0) {
      throw new IllegalArgumentException("locks.defaultFor: expected at most maxFor (" + Durations.format(lockMax) + "), got "
          + Durations.format(lockDefault));
    }
    if (maxWaiting < 1 || maxWaiting > MAX_WAITING_LIMIT) {
      throw new IllegalArgumentException("locks.maxWaiting: expected an integer from 1 to " + MAX_WAITING_LIMIT + ", got "
          + maxWaiting);
    }
    if (maxInFlight < 0) {
      throw new IllegalArgumentException("queue.maxInFlight: expected a positive integer, got " + maxInFlight);
    }
  }

  /** True when GO verdicts wait for a free slot. */
  public boolean queued() {
    return maxInFlight > 0;
  }

  /** Reads the two sections over {@code fallback}. */
  static AdmissionPolicy from(JsonNode locks, JsonNode queue, String key, AdmissionPolicy fallback) {
    Role role = fallback.lockRole();
    Duration lockDefault = fallback.lockDefault();
    Duration lockMax = fallback.lockMax();
    int maxWaiting = fallback.maxWaiting();
    if (!locks.isMissingNode()) {
      ServerPolicy.requireKeys(locks, LOCK_KEYS, key + ".locks");
      role = locks.path("role").isMissingNode() ? DEFAULT.lockRole() : Role.parse(locks.path("role").asText(), key + ".locks.role");
      lockMax = positive(locks.path("maxFor"), key + ".locks.maxFor", DEFAULT.lockMax());
      lockDefault = positive(locks.path("defaultFor"), key + ".locks.defaultFor",
          DEFAULT.lockDefault().compareTo(lockMax) > 0 ? lockMax : DEFAULT.lockDefault());
      JsonNode w = locks.path("maxWaiting");
      maxWaiting = MAX_WAITING;
      if (!w.isMissingNode()) {
        // canConvertToInt: intValue() of a larger integer keeps its low bits (4294967496 would read as 200).
        if (!w.isIntegralNumber() || !w.canConvertToInt() || w.intValue() < 1 || w.intValue() > MAX_WAITING_LIMIT) {
          throw new IllegalArgumentException(key + ".locks.maxWaiting: expected an integer from 1 to " + MAX_WAITING_LIMIT
              + ", got " + w);
        }
        maxWaiting = w.intValue();
      }
    }
    int maxInFlight = fallback.maxInFlight();
    Duration slotTimeout = fallback.slotTimeout();
    boolean supersede = fallback.supersede();
    if (!queue.isMissingNode()) {
      ServerPolicy.requireKeys(queue, QUEUE_KEYS, key + ".queue");
      JsonNode n = queue.path("maxInFlight");
      maxInFlight = 1;
      if (!n.isMissingNode()) {
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 1 || n.intValue() > 100) {
          throw new IllegalArgumentException(key + ".queue.maxInFlight: expected an integer from 1 to 100, got " + n);
        }
        maxInFlight = n.intValue();
      }
      slotTimeout = positive(queue.path("slotTimeout"), key + ".queue.slotTimeout", DEFAULT.slotTimeout());
      JsonNode s = queue.path("supersede");
      if (!s.isMissingNode() && !s.isBoolean()) {
        throw new IllegalArgumentException(key + ".queue.supersede: expected true or false, got " + s);
      }
      supersede = s.asBoolean(false);
    }
    try {
      return new AdmissionPolicy(role, lockDefault, lockMax, maxInFlight, slotTimeout, supersede, maxWaiting);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + "." + e.getMessage(), e);
    }
  }

  private static Duration positive(JsonNode node, String key, Duration fallback) {
    if (node.isMissingNode()) {
      return fallback;
    }
    Duration d = Durations.parse(node.asText(), key);
    if (d.isZero() || d.isNegative() || d.compareTo(Duration.ofDays(30)) > 0) {
      throw new IllegalArgumentException(key + ": expected a duration from 1s to 30d, got \"" + node.asText() + "\"");
    }
    return d;
  }
}
