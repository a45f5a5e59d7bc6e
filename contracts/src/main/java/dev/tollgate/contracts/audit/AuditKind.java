package dev.tollgate.contracts.audit;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** What an audit record is about. Values are never removed. */
public enum AuditKind {
  /**
   * A deploy succeeded while Tollgate's verdict for it was not GO (pending, held or NO_GO): someone bypassed
   * the gate, e.g. a GitHub administrator started a job that waited for Tollgate's protection rule.
   */
  GATE_BYPASSED,
  /** A value this version does not know; read, never written. */
  @JsonEnumDefaultValue UNKNOWN
}
