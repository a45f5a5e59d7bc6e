package dev.tollgate.contracts.history;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** State of one deploy of one commit to one environment. */
public enum DeployStatus {
  STARTED, SUCCEEDED, FAILED, CANCELED,
  /** A value this version does not know; never counts as a successful deploy. */
  @JsonEnumDefaultValue UNKNOWN
}
