package dev.tollgate.gate.auth;

import java.util.Locale;

/** What a token may do. Each role includes the ones before it. */
public enum Role {
  /** Read evaluations and verdicts. */
  VIEWER,
  /** Also request evaluations (CI systems, the CLI). */
  REQUESTER,
  /** Also approve overrides. */
  APPROVER,
  /** Everything, every tenant it is scoped to. */
  ADMIN;

  /** True when this role includes {@code other}. */
  public boolean includes(Role other) {
    return ordinal() >= other.ordinal();
  }

  /** Parses {@code viewer}, {@code requester}, {@code approver} or {@code admin}. */
  public static Role parse(String text, String key) {
    try {
      return Role.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + ": expected viewer, requester, approver or admin, got \"" + text + "\"");
    }
  }
}
