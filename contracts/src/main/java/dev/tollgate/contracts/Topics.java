package dev.tollgate.contracts;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Every Kafka topic Tollgate uses, and its key rule: the one place topic names are spelled.
 *
 * <p>Key rule: every record is keyed by the evaluation id (deploy records excepted, see {@link #DEPLOYMENTS_RECORDED}), so all messages of one evaluation share a partition
 * and stay ordered, and the aggregator sees a request and its probe results on the same partition
 * (the input topics must therefore have the same partition count: they are co-partitioned).
 *
 * <p>A {@code Topics} instance adds an optional namespace prefix ({@code <namespace>.tollgate.checks.requested})
 * so several Tollgate installations, or several tests, can share one cluster.
 */
public final class Topics {
  /**
   * {@code fetch.max.wait.ms} of the probe workers' consumer, the one consumer that keeps a short wait. A waiting fetch
   * is answered as soon as a record arrives on a partition it names, so an idle consumer with a long wait loses no
   * latency; but a partition that still has records buffered in the consumer is left out of the next fetch, and the
   * consumer sends no other fetch to that broker until the first one ends. The workers poll at most
   * {@code 2 × concurrency} records (4 on a 2-core machine) while an evaluation sends 5 checks, so under a backlog they
   * leave records buffered and the next checks on that partition would wait out the whole fetch. (FetchWaitBench showed no
   * cost of 500 ms there beyond a slightly longer far tail: {@code docs/bench/history.md}, "Idle CPU, third look"; the
   * workers keep 50 ms until a quiet bench/load.sh says otherwise.) Every other consumer drains what it fetches (Streams polls up
   * to 1,000 records, the replays 2,000) and keeps Kafka's default wait, 500 ms: idle, it fetches twice a second, not
   * twenty times.
   */
  public static final int WORKER_FETCH_WAIT_MS = 50;

  /**
   * {@link dev.tollgate.contracts.evaluation.EvaluationRequested}. Producer: gate HTTP/webhooks (acks=all).
   * Consumers: the verdict aggregator; every gate's evaluation view. Kept: the evaluation history.
   */
  public static final String EVALUATIONS_REQUESTED = "tollgate.evaluations.requested";

  /**
   * {@link dev.tollgate.contracts.check.CheckRequested}, one per probe. Producer: the verdict aggregator.
   * Consumer: the probe-workers consumer group.
   */
  public static final String CHECKS_REQUESTED = "tollgate.checks.requested";

  /**
   * {@link dev.tollgate.contracts.probe.ProbeCompleted}. Producer: probe workers. Consumers: the verdict
   * aggregator; every gate's evaluation view. Kept: the findings history.
   */
  public static final String PROBES_COMPLETED = "tollgate.probes.completed";

  /**
   * {@link dev.tollgate.contracts.verdict.VerdictReached}. Producer: the verdict aggregator. Consumers:
   * evaluation views, reporters (GitHub, GitLab, Slack). Kept: the verdict history.
   */
  public static final String VERDICTS_REACHED = "tollgate.verdicts.reached";

  /**
   * {@link dev.tollgate.contracts.override.OverrideRecorded}. Producer: gate (Slack, API). Consumers: the
   * verdict aggregator, evaluation views, the audit log. Kept: the audit history.
   */
  public static final String OVERRIDES_RECORDED = "tollgate.overrides.recorded";

  /**
   * {@link dev.tollgate.contracts.history.DeploymentRecorded}. Producer: gate (API, GitHub/GitLab deployment
   * events). Consumers: every gate's views (deploy history, baselines). Key: tenant|repository|environment
   * (the one exception to the evaluation-id key rule: an environment's deploys must stay ordered). Kept.
   */
  public static final String DEPLOYMENTS_RECORDED = "tollgate.deployments.recorded";

  /**
   * {@link dev.tollgate.contracts.audit.AuditRecorded}. Producer: gate (GitHub deployment status events and GitLab
   * Deployment Hooks: a deploy that bypassed the gate). Consumers: operators and audit exports; consumers keep the first record per auditId.
   * Key: evaluationId. Kept.
   */
  public static final String AUDIT_RECORDED = "tollgate.audit.recorded";

  /**
   * {@link dev.tollgate.contracts.slack.SlackMessagePosted}: where each evaluation's Slack message lives (channel and
   * ts) and a hash of what it last showed. Producer and consumer: the gate's Slack reporter. Key: evaluationId.
   * Compacted: the latest record per evaluation is the state, so a restarted gate updates the same message.
   */
  public static final String SLACK_MESSAGES_POSTED = "tollgate.slack-messages.posted";

  /**
   * {@link dev.tollgate.contracts.attestation.AttestationSigned}: each verdict revision as a signed in-toto attestation
   * (a DSSE envelope). Producer: the gate's attestation signer (one owner per partition of the verdicts topic).
   * Consumers: every gate, which serves the envelopes. Key: {@code <evaluationId>/<revision>}. Compacted: one record
   * per revision, kept for ever, so every gate serves the same bytes for any revision.
   */
  public static final String ATTESTATIONS_SIGNED = "tollgate.attestations.signed";

  /**
   * {@link dev.tollgate.contracts.attestation.AttestationKeyPublished}: the public keys attestations are signed with.
   * Producer: every gate at start (its configured keys; a tombstone for a revoked key). Consumers: every gate, which
   * serves them as PEM and JWKS. Key: the key id. Compacted: the latest record per key is the state.
   */
  public static final String ATTESTATION_KEYS_PUBLISHED = "tollgate.attestation-keys.published";

  /**
   * {@link dev.tollgate.contracts.lock.LockRequested}: take, release or break an environment's lock. Producer: gate (API,
   * Slack, CLI through the API). Consumer: the environment gate (a Kafka Streams processor in the aggregator's
   * application). Key: {@code tenant|environment} ({@link dev.tollgate.contracts.lock.LockRequested#environmentKey}), so
   * every decision about one environment is taken by the one task that owns its partition. Deleted after 7 days: a
   * command is answered within seconds, nothing is rebuilt from it, and its outcome is an audit record.
   */
  public static final String LOCKS_REQUESTED = "tollgate.locks.requested";

  /**
   * {@link dev.tollgate.contracts.lock.AdmissionRequested}: a GO (or OVERRIDDEN) verdict asking for its environment's
   * turn. Producer: the verdict aggregator. Consumer: the environment gate, which publishes the verdict (admitted) or a
   * held NO_GO (LOCKED, QUEUED). Key: {@code tenant|environment}. Deleted after 7 days: the environment gate reads it
   * at once and keeps each waiting turn in its own store; the verdicts themselves are history.
   */
  public static final String ADMISSIONS_REQUESTED = "tollgate.admissions.requested";

  /**
   * {@link dev.tollgate.contracts.history.DeploymentRecorded} again, re-keyed by {@code tenant|environment} by the
   * aggregator's application so that the end of a deploy reaches the task that owns the environment's queue. Deleted
   * after 7 days: a copy; {@link #DEPLOYMENTS_RECORDED} is the history.
   */
  public static final String DEPLOYMENTS_ROUTED = "tollgate.deployments.routed";

  /**
   * {@link dev.tollgate.contracts.lock.EnvironmentGateChanged}: an environment's locks, deploys in flight and queue.
   * Producer: the environment gate (single writer per environment). Consumers: every gate (API, dashboard, Slack).
   * Key: {@code tenant|environment}. Compacted: the latest record per environment is the state.
   */
  public static final String ENVIRONMENT_GATES_CHANGED = "tollgate.environment-gates.changed";

  /**
   * Records no consumer could read: the original key and value bytes, with {@link HeaderNames#ERROR} and the
   * source topic, partition and offset in headers. Producer: any consumer. Consumer: operators.
   */
  public static final String RECORDS_DEADLETTERED = "tollgate.records.deadlettered";

  /** Every topic above, in dependency order. */
  public static final List<String> ALL = List.of(
      EVALUATIONS_REQUESTED, CHECKS_REQUESTED, PROBES_COMPLETED, VERDICTS_REACHED, OVERRIDES_RECORDED, DEPLOYMENTS_RECORDED,
      AUDIT_RECORDED, SLACK_MESSAGES_POSTED, ATTESTATIONS_SIGNED, ATTESTATION_KEYS_PUBLISHED, LOCKS_REQUESTED,
      ADMISSIONS_REQUESTED, DEPLOYMENTS_ROUTED, ENVIRONMENT_GATES_CHANGED, RECORDS_DEADLETTERED);

  /** Topics that keep the latest record per key for ever (state, not history): log compaction, no time limit. */
  public static final List<String> COMPACTED = List.of(SLACK_MESSAGES_POSTED, ATTESTATIONS_SIGNED, ATTESTATION_KEYS_PUBLISHED,
      ENVIRONMENT_GATES_CHANGED);

  /** Topics whose records are history the views are rebuilt from: never deleted by time in the default setup. */
  public static final List<String> HISTORY = List.of(
      EVALUATIONS_REQUESTED, PROBES_COMPLETED, VERDICTS_REACHED, OVERRIDES_RECORDED, DEPLOYMENTS_RECORDED, AUDIT_RECORDED);

  private static final Pattern NAMESPACE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]{0,100}");
  private static final Topics DEFAULT = new Topics("");

  private final String prefix;

  private Topics(String namespace) {
    this.prefix = namespace.isEmpty() ? "" : namespace + ".";
  }

  /** Topics without a namespace. */
  public static Topics standard() {
    return DEFAULT;
  }

  /**
   * Topics under {@code namespace}; empty means none.
   *
   * @throws IllegalArgumentException when the namespace is not a valid topic-name fragment
   */
  public static Topics namespaced(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    if (namespace.isEmpty()) {
      return DEFAULT;
    }
    if (!NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException("topic namespace: expected letters, digits, '.', '_' or '-', got \"" + namespace + "\"");
    }
    return new Topics(namespace);
  }

  /** The full name of a base topic ({@link #CHECKS_REQUESTED} etc.) in this namespace. */
  public String name(String baseTopic) {
    if (!ALL.contains(baseTopic)) {
      throw new IllegalArgumentException("unknown topic: " + baseTopic);
    }
    return prefix + baseTopic;
  }

  public String evaluationsRequested() {
    return name(EVALUATIONS_REQUESTED);
  }

  public String checksRequested() {
    return name(CHECKS_REQUESTED);
  }

  public String probesCompleted() {
    return name(PROBES_COMPLETED);
  }

  public String verdictsReached() {
    return name(VERDICTS_REACHED);
  }

  public String overridesRecorded() {
    return name(OVERRIDES_RECORDED);
  }

  public String deploymentsRecorded() {
    return name(DEPLOYMENTS_RECORDED);
  }

  public String auditRecorded() {
    return name(AUDIT_RECORDED);
  }

  public String slackMessagesPosted() {
    return name(SLACK_MESSAGES_POSTED);
  }

  public String attestationsSigned() {
    return name(ATTESTATIONS_SIGNED);
  }

  public String attestationKeysPublished() {
    return name(ATTESTATION_KEYS_PUBLISHED);
  }

  public String recordsDeadLettered() {
    return name(RECORDS_DEADLETTERED);
  }

  public String locksRequested() {
    return name(LOCKS_REQUESTED);
  }

  public String admissionsRequested() {
    return name(ADMISSIONS_REQUESTED);
  }

  public String deploymentsRouted() {
    return name(DEPLOYMENTS_ROUTED);
  }

  public String environmentGatesChanged() {
    return name(ENVIRONMENT_GATES_CHANGED);
  }

  /** All topic names in this namespace. */
  public List<String> all() {
    return ALL.stream().map(this::name).toList();
  }

  /** The namespace prefix including its trailing dot, or empty. */
  public String prefix() {
    return prefix;
  }

  @Override
  public String toString() {
    return "Topics[" + (prefix.isEmpty() ? "" : prefix) + "]";
  }
}
