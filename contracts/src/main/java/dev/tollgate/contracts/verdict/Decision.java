package dev.tollgate.contracts.verdict;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Go or no-go. */
public enum Decision {
  GO, NO_GO,
  /** A NO_GO that the policy's approvers overrode, with their reasons; the deploy may proceed. */
  OVERRIDDEN,
  /** A value this version does not know; readers must treat it as NO_GO. */
  @JsonEnumDefaultValue UNKNOWN;

  /** True when a deploy may go ahead: GO, or OVERRIDDEN by people with the right to. */
  public boolean permitsDeploy() {
    return this == GO || this == OVERRIDDEN;
  }
}
