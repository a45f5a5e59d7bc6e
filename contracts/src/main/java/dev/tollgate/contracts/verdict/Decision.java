package dev.tollgate.contracts.verdict;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Go or no-go. */
public enum Decision {
  GO, NO_GO,
  /** A value this version does not know; readers must treat it as NO_GO. */
  @JsonEnumDefaultValue UNKNOWN
}
