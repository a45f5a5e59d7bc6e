package dev.tollgate.contracts.lock;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Whose deploys a lock holds. */
public enum LockKind {
  /** "I am deploying": everybody's deploys wait except the holder's own. */
  DEPLOY,
  /** "Nobody deploys": the holder's deploys wait too. */
  FREEZE,
  /** A value this version does not know: treated as a freeze (fail closed). */
  @JsonEnumDefaultValue UNKNOWN
}
