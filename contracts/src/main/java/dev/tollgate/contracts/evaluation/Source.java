package dev.tollgate.contracts.evaluation;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Where an evaluation request came from. */
public enum Source {
  API, GITHUB, GITLAB, CLI,
  /** A Slack interaction (an override vote cast from a channel message); added without a version bump. */
  SLACK,
  /** Tollgate itself, e.g. the configuration it started with (an audit record); added without a version bump. */
  SERVER,
  /** A value this version does not know; read, never written. */
  @JsonEnumDefaultValue UNKNOWN
}
