package dev.tollgate.contracts.history;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * Why Tollgate believes a deploy report ({@link DeploymentRecorded#standing()}): a report is a claim by its reporter,
 * proof only from one that may vouch for it. Decided by the gate when it records the deploy, from how the reporter
 * authenticated. Values are never removed.
 */
public enum ReporterStanding {
  /** A signed GitHub or GitLab deployment event: the platform ran or saw the deploy. */
  PLATFORM,
  /** An admin token of the tenant. */
  ADMIN,
  /** A token the operator marked {@code deployReporter: true} (a CD system reporting deploys it did not request). */
  DEPLOY_REPORTER,
  /** The token that requested the GO evaluation of this commit in this environment. */
  REQUESTER,
  /** Anyone else: recorded (it may be true), never taken as proof. */
  NONE,
  /** A value from a newer writer; read, never written. Treated as {@link #NONE} (fail closed). */
  @JsonEnumDefaultValue UNKNOWN;

  /**
   * True when a report with this standing counts as proof of the deploy. A null standing is a record written before
   * reporters were judged: such records were accepted as proof then, and are still.
   */
  public static boolean vouches(ReporterStanding standing) {
    return standing == null || standing == PLATFORM || standing == ADMIN || standing == DEPLOY_REPORTER
        || standing == REQUESTER;
  }
}
