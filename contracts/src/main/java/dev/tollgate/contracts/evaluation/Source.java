package dev.tollgate.contracts.evaluation;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Where an evaluation request came from. */
public enum Source {
  API, GITHUB, GITLAB, CLI,
  /** A value this version does not know; read, never written. */
  @JsonEnumDefaultValue UNKNOWN
}
