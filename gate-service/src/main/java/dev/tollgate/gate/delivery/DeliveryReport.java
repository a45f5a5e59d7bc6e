package dev.tollgate.gate.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The delivery figures of a period, per environment: the API's JSON shape ({@code GET /api/v1/metrics/delivery}) and
 * what the CSV export and the Prometheus gauges are made of. Durations are seconds; a figure with nothing to measure
 * is null (JSON {@code null}), never 0. Definitions: {@code docs/delivery-metrics.md}.
 *
 * @param from the first UTC day of the period
 * @param to the last UTC day of the period (today: its figures grow until midnight UTC)
 * @param zone the zone days and weeks are counted in: always {@code UTC}
 * @param failureWindowSeconds a rollback or hotfix this soon after a deploy makes it a failed change
 * @param caughtUp false while the view still reads the history on the topics (figures are then partial)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DeliveryReport(Instant generatedAt, LocalDate from, LocalDate to, int days, String zone,
    long failureWindowSeconds, boolean caughtUp, String definitions, List<EnvironmentFigures> environments) {

  /** One environment's figures (of the repositories and tenants asked for). */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record EnvironmentFigures(String environment, Deployments deployments, LeadTime leadTime,
      ChangeFailures changeFailures, Restore timeToRestore, Gate gate, List<Day> daily, List<Week> weekly) {}

  /**
   * Deployment frequency.
   *
   * @param deploys deploys that succeeded
   * @param failedDeploys deploys that failed
   * @param unfinished deploys started in the period with no outcome yet (running, or never reported)
   * @param perDay {@code deploys} per day of the period
   * @param perWeek {@code deploys} per 7 days of the period
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Deployments(long deploys, long failedDeploys, long unfinished, double perDay, double perWeek) {}

  /**
   * Lead time for changes: first commit of the deploy's range → deploy succeeded.
   *
   * @param count deploys measured
   * @param medianSeconds nearest-rank median (within 1%)
   * @param p90Seconds nearest-rank 90th percentile (within 1%)
   * @param lowerBounds measured deploys whose range was longer than the worker reads (their lead time is at least this)
   * @param unknown successful deploys whose commit range is not known (no evaluation of that commit, or its results
   *     not read yet)
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record LeadTime(long count, Double medianSeconds, Double p90Seconds, long lowerBounds, long unknown) {}

  /**
   * Change failure rate: failed changes / deploys (succeeded and failed).
   *
   * @param failedDeploys failed changes because the deploy failed
   * @param rolledBack succeeded deploys undone by a rollback within the window
   * @param hotfixed succeeded deploys followed by a hotfix within the window
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ChangeFailures(long deploys, long failures, Double rate, long failedDeploys, long rolledBack, long hotfixed) {}

  /**
   * Time to restore: failure → next successful deploy.
   *
   * @param count restores completed in the period
   * @param openFailures repository environments failed now (no successful deploy since the failure)
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Restore(long count, Double medianSeconds, Double p90Seconds, long openFailures) {}

  /**
   * The gate's own figures: evaluations requested in the period by their latest state, what blocked them, how long
   * calendars held them, and who overrode.
   *
   * @param held evaluations whose latest verdict is held (waiting for a calendar window to end)
   * @param heldNow evaluations held right now (whenever they were requested)
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Gate(long go, long noGo, long overridden, long held, long heldNow, List<ProbeCount> probes,
      List<RuleCount> rules, Holds holds, Overrides overrides) {}

  /** Evaluations a probe blocked, by how: findings ({@code failed}), errors, no answer in time. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ProbeCount(String probe, long blocked, long failed, long errored, long timedOut) {}

  /** Evaluations a rule's finding blocked. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record RuleCount(String ruleId, long blocked) {}

  /**
   * Holds that ended in the period: how many, for how long in total, and per calendar window.
   *
   * @param count holds that ended
   * @param seconds their total length
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Holds(long count, long seconds, List<CalendarHold> calendars) {}

  /** One calendar window's holds (a hold blocked by two windows counts for both). */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record CalendarHold(String calendar, long holds, long seconds) {}

  /**
   * Override votes recorded in the period.
   *
   * @param votes approvals standing (one per approver and verdict revision; withdrawn ones taken back)
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Overrides(long votes, List<ApproverVotes> approvers) {}

  /** One approver's override votes. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ApproverVotes(String approver, long votes) {}

  /** One UTC day. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Day(LocalDate date, long deploys, long failedDeploys, long changeFailures, long go, long noGo,
      long overridden, long held) {}

  /**
   * One ISO week (Monday to Sunday, UTC) overlapping the period; only its days inside the period count.
   *
   * @param week {@code 2026-W48}
   * @param start its Monday
   * @param daysInPeriod how many of its days are inside the period (partial weeks at both ends)
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Week(String week, LocalDate start, int daysInPeriod, long deploys, long failedDeploys, long changeFailures,
      Double changeFailureRate, Double leadTimeMedianSeconds, Double timeToRestoreMedianSeconds, long go, long noGo,
      long overridden, long held) {}
}
