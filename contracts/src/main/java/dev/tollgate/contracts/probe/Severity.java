package dev.tollgate.contracts.probe;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** How much a finding weighs. */
public enum Severity {
  /** Blocks the deploy. */
  BLOCK,
  /** Shown, does not block unless the policy says warnings block. */
  WARN,
  /** For the record only. */
  INFO,
  /** A value this version does not know; treated as BLOCK (fail closed). */
  @JsonEnumDefaultValue UNKNOWN
}
