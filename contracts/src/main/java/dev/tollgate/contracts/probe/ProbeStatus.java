package dev.tollgate.contracts.probe;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Outcome of one probe for one evaluation. */
public enum ProbeStatus {
  /** Nothing found. */
  PASS,
  /** Findings that do not block: the verdict is GO with warnings (unless the policy blocks on warnings). */
  WARN,
  /** A blocking finding. */
  FAIL,
  /** The probe could not decide (exception, timeout inside the worker, unreadable repository). Fails closed. */
  ERROR,
  /** Set by the aggregator, never by a worker: no result arrived by the probe's deadline. Fails closed. */
  TIMED_OUT,
  /** A value this version does not know; the aggregator treats it as ERROR. */
  @JsonEnumDefaultValue UNKNOWN;

  /** True for outcomes that make a required probe block the deploy (before warning policy). */
  public boolean blocks() {
    return this != PASS && this != WARN;
  }
}
