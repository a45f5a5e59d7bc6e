package dev.tollgate.gate;

import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.attestation.AttestationKeyPublished;
import dev.tollgate.contracts.attestation.AttestationSigned;
import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.contracts.check.CheckRequested;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.contracts.history.DeploymentRecorded;
import dev.tollgate.contracts.lock.AdmissionRequested;
import dev.tollgate.contracts.lock.EnvironmentGateChanged;
import dev.tollgate.contracts.lock.Identity;
import dev.tollgate.contracts.lock.LockKind;
import dev.tollgate.contracts.lock.LockRequested;
import dev.tollgate.contracts.override.OverrideRecorded;
import dev.tollgate.contracts.override.VoteDecision;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.RepoPolicy;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.contracts.slack.SlackMessagePosted;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.contracts.warmup.JitQueue;
import dev.tollgate.contracts.warmup.JsonWarmup;
import dev.tollgate.contracts.warmup.WarmupLoop;
import dev.tollgate.contracts.warmup.WarmupThread;
import dev.tollgate.gate.attestation.AttestationKey;
import dev.tollgate.gate.attestation.Dsse;
import dev.tollgate.gate.attestation.VerdictStatement;
import dev.tollgate.gate.policy.EnvironmentPolicy;
import dev.tollgate.gate.policy.ServerPolicy;
import dev.tollgate.gate.verdict.VerdictPolicy;
import dev.tollgate.gate.view.EvaluationView;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms the gate's own path before it reports ready, with nothing written anywhere: evaluations that exist only in
 * this class's memory are decided by the aggregator's policy ({@link VerdictPolicy#decideOffline}), rendered as the API
 * renders them ({@link EvaluationView}), signed and verified with a throwaway key of the configured kind (never the
 * gate's), and every message the gate reads or writes is round-tripped as JSON. It begins with the gate's start, so it
 * overlaps the start of Kafka's clients, the views and the aggregator. Repeated until the cost of one such evaluation
 * stops falling ({@link WarmupLoop}) or the budget is spent. No HTTP: the gate may listen on any address (a pod IP,
 * IPv6), and requests would be measured as part of the unit whose cost must level.
 *
 * <p>Not through the real topics: a synthetic evaluation there would show in the views, the audit log, the delivery
 * figures, the reporters (GitHub, GitLab, Slack) and the attestations users read (docs/bench/load.md, round 2).
 */
public final class GateWarmup {
  /**
   * {@code gate.warmup} unless configured: the loop's budget, then at most half of it (5 s at most) waiting for C2's
   * queue ({@link JitQueue#bound}); {@code 0s} turns it off.
   */
  public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(3);
  /**
   * How long past its budget and its wait for C2's queue the gate waits for its warm-up before it reports ready cold
   * (its last batch runs over the budget).
   */
  static final Duration OVERRUN = Duration.ofSeconds(10);
  private static final String TENANT = "tollgate-warmup";
  private static final String REPOSITORY = "https://warmup.tollgate.invalid/warmup.git";

  private final ServerPolicy policy;
  private final AttestationKey throwaway;
  private final Clock clock;
  private int evaluations;

  /**
   * @param signingKind the kind of the gate's signing key (a throwaway key of it is generated), or null: signs nothing
   */
  public GateWarmup(ServerPolicy policy, AttestationKey.Kind signingKind, Clock clock) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.throwaway = signingKind == null ? null : AttestationKey.generate(signingKind);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * What a warm-up did: the loop's batches and costs, evaluations decided in memory, and the wait for C2's queue after
   * the loop ({@link JitQueue#drain}, at most half the budget).
   */
  public record Report(WarmupLoop.Report loop, int evaluations, JitQueue.Report drain) {}

  /** The process's warm-up, once begun: class loading and the JIT are the process's, not a gate's. */
  private static final AtomicReference<CompletableFuture<Void>> STARTED = new AtomicReference<>();
  /** Its thread while it runs, for {@link #cancel}. */
  private static final WarmupThread.Running RUNNING = new WarmupThread.Running();
  private static final Logger LOG = LoggerFactory.getLogger(GateWarmup.class);

  /**
   * Runs a warm-up ({@code warmup} is called only if this process has not begun one: a second gate in it, a gate
   * restarted by a test, would gain nothing) with {@code budget} on a thread of its own; logs {@code gate.warmed} and
   * records {@code tollgate.gate.warmup}. The returned stage never fails, and completes at the latest {@link #OVERRUN}
   * after the budget and its wait for C2's queue ({@link #readinessWait}; the warm-up's daemon thread may run on; the
   * gate is then ready cold).
   */
  public static CompletableFuture<Void> begin(Supplier<GateWarmup> warmup, Duration budget, MeterRegistry meters) {
    return begin(warmup, budget, meters, STARTED, OVERRUN);
  }

  static CompletableFuture<Void> begin(Supplier<GateWarmup> warmup, Duration budget, MeterRegistry meters,
      AtomicReference<CompletableFuture<Void>> slot, Duration overrun) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    long wait = readinessWait(budget, overrun).toMillis();
    CompletableFuture<Void> bounded = done.copy().completeOnTimeout(null, wait, TimeUnit.MILLISECONDS);
    if (budget.isZero() || !slot.compareAndSet(null, bounded)) {
      CompletableFuture<Void> earlier = slot.get();
      return earlier == null ? CompletableFuture.completedFuture(null) : earlier;
    }
    RUNNING.start("gate-warmup", () -> {
      Report r = warmup.get().run(budget);
      meters.timer("tollgate.gate.warmup").record(r.loop().took().plus(r.drain().waited()));
      LOG.atInfo().addKeyValue("event", "gate.warmed").addKeyValue("evaluations", r.evaluations())
          .addKeyValue("stoppedBy", r.loop().stoppedBy().name())
          .addKeyValue("firstUs", r.loop().firstNanosPerUnit() / 1000).addKeyValue("lastUs", r.loop().lastNanosPerUnit() / 1000)
          .addKeyValue("tookMs", r.loop().took().toMillis())
          .addKeyValue("jitDrain", r.drain().stoppedBy().name()).addKeyValue("jitDrainMs", r.drain().waited().toMillis())
          .addKeyValue("c2Queued", r.drain().queuedAtStart() + "->" + r.drain().queuedAtEnd())
          .log("gate warmed up: {} in-memory evaluations in {} ms (stopped by {}; {} µs each at first, {} µs at last); "
              + "waited {} ms for C2's queue ({}: {} -> {} methods)", r.evaluations(), r.loop().took().toMillis(),
              r.loop().stoppedBy(), r.loop().firstNanosPerUnit() / 1000, r.loop().lastNanosPerUnit() / 1000,
              r.drain().waited().toMillis(), r.drain().stoppedBy(), r.drain().queuedAtStart(), r.drain().queuedAtEnd());
    }, e -> LOG.atWarn().addKeyValue("event", "gate.warmup.failed").log("gate warm-up failed, starting cold: {}", e.toString()),
        done);
    bounded.thenRun(() -> {
      if (!done.isDone()) {
        LOG.atWarn().addKeyValue("event", "gate.warmup.timedout").addKeyValue("waitedMs", wait)
            .log("gate warm-up did not finish within {} ms, starting cold", wait);
      }
    });
    return bounded;
  }

  /** The longest ready waits for a warm-up of {@code budget}: the loop's budget, its wait for C2's queue, the overrun. */
  static Duration readinessWait(Duration budget, Duration overrun) {
    return budget.plus(JitQueue.bound(budget)).plus(overrun);
  }

  /**
   * Stops the process's warm-up if it still runs (the gate closes): its loop ends at the next batch, its wait for C2
   * at once. A gate still starting in this process is then ready cold, slower but not wrong.
   */
  public static void cancel() {
    RUNNING.cancel();
  }

  /**
   * Decides in-memory evaluations until their cost plateaus or {@code budget} is spent, then waits (at most half the
   * budget) until C2 compiled what they queued; nothing when zero.
   */
  public Report run(Duration budget) {
    return run(budget, JitQueue.bound(budget));
  }

  /** {@link #run(Duration)} with the wait for C2's queue bounded by {@code drain} ({@code 0}: none; benchmarks). */
  public Report run(Duration budget, Duration drain) {
    return run(budget, drain, JitQueue::c2Queued);
  }

  /** {@link #run(Duration, Duration)} with C2's queue read from {@code c2Queued} (tests). */
  Report run(Duration budget, Duration drain, Supplier<OptionalInt> c2Queued) {
    if (policy.environments().isEmpty()) {
      return new Report(WarmupLoop.Report.NONE, 0, JitQueue.Report.NONE);
    }
    WarmupLoop.Report loop = WarmupLoop.run(this::evaluation, budget, c2Queued);
    return new Report(loop, evaluations,
        loop.stoppedBy() == WarmupLoop.Stop.CANCELLED ? JitQueue.Report.NONE : JitQueue.drain(drain, c2Queued));
  }

  /**
   * One evaluation, end to end in memory: request, checks, results (a pass and a blocking finding in turn), verdict,
   * view, signature, and the JSON of every message around it. Throws if anything reads back different.
   */
  void evaluation() {
    int n = ++evaluations;
    List<String> environments = new ArrayList<>(policy.environments().keySet());
    EnvironmentPolicy env = policy.environments().get(environments.get(n % environments.size()));
    Instant at = clock.instant();
    String id = "warmup-" + n;
    String commit = String.format("%040x", n);
    DeployTarget target = new DeployTarget(TENANT, REPOSITORY, env.name(), commit, String.format("%040x", n + 1_000_000));
    EvaluationRequested request = EvaluationRequested.of(id, "req-" + id, target, Source.API, "warm-up", null, null, null,
        List.of(), at, DeployHistory.empty());
    Map<ProbeId, CheckRequested> checks = new LinkedHashMap<>();
    Map<ProbeId, ProbeCompleted> results = new LinkedHashMap<>();
    int i = 0;
    for (ProbeId probe : env.probes().keySet()) {
      CheckRequested check = CheckRequested.of(id, request.requestId(), target, probe, at.plusSeconds(30), at, DeployHistory.empty());
      boolean fail = (n + i++) % 3 == 0;
      List<Finding> findings = fail ? List.of(new Finding(probe.value() + "/warm-up", Severity.BLOCK, "src/Warm" + n + ".java",
          n % 200 + 1, "a finding of the warm-up", "nothing to fix", "warm-up:" + n, commit)) : List.of();
      checks.put(probe, check);
      results.put(probe, ProbeCompleted.of(id, check.checkId(), request.requestId(), probe, fail ? ProbeStatus.FAIL : ProbeStatus.PASS,
          fail ? "1 blocking finding" : null, findings, false, RepoPolicy.none(), "warm-up", at, at.plusMillis(40), null));
    }
    VerdictReached verdict = VerdictPolicy.decideOffline(request, env, policy.version(), List.copyOf(results.values()), at,
        at.plusSeconds(1));
    String view = Json.writeString(EvaluationView.of(id, request, checks, results, verdict));
    if (!view.contains(id)) {
      throw new IllegalStateException("the evaluation's view does not name it");
    }
    List<Object> messages = new ArrayList<>(List.of(request, verdict));
    messages.addAll(checks.values());
    messages.addAll(results.values());
    if (throwaway != null) {
      VerdictStatement.Signed signed = VerdictStatement.sign(verdict, throwaway);
      Dsse.Envelope envelope = Dsse.parse(signed.envelope());
      if (!throwaway.verify(envelope.pae(), envelope.signatures().get(0).sig())) {
        throw new IllegalStateException("a signature of the warm-up did not verify");
      }
      messages.add(AttestationSigned.of(id, request.requestId(), verdict.revision(), TENANT, verdict.decision(), signed.keyId(),
          VerdictStatement.text(signed.envelope()), signed.sha256()));
      messages.add(AttestationKeyPublished.of(throwaway.keyId(), throwaway.kind().label(),
          Base64.getEncoder().encodeToString(throwaway.publicKey().getEncoded())));
    }
    messages.addAll(records(n, id, request, verdict, target, at));
    JsonWarmup.roundTrip(messages);
  }

  /** The audit, lock, queue, override, deployment and Slack records of the evaluation, as the gate writes them. */
  private static List<Object> records(int n, String id, EvaluationRequested request, VerdictReached verdict, DeployTarget target,
      Instant at) {
    String env = target.environment();
    Identity who = Identity.token("warm-up");
    EnvironmentGateChanged.Entry entry = new EnvironmentGateChanged.Entry(id, REPOSITORY, target.candidate(), "warm-up", at, at);
    return List.of(
        new AuditRecorded(AuditRecorded.SCHEMA_VERSION, id, request.requestId(), "audit-" + n, AuditKind.LOCK_TAKEN, TENANT,
            REPOSITORY, env, target.candidate(), Source.API, "warm-up", null, "locked for the warm-up", at, at),
        new LockRequested(LockRequested.SCHEMA_VERSION, "cmd-" + n, request.requestId(), LockRequested.Action.LOCK, TENANT, env,
            REPOSITORY, LockKind.DEPLOY, "warm-up", "the warm-up", at.plusSeconds(60), Source.API, at, who, null),
        new EnvironmentGateChanged(EnvironmentGateChanged.SCHEMA_VERSION, TENANT, env,
            List.of(new EnvironmentGateChanged.Lock("lock-" + n, REPOSITORY, LockKind.DEPLOY, "warm-up", "the warm-up", at,
                at.plusSeconds(60), who)),
            List.of(entry), List.of(entry), List.of(), List.of(new EnvironmentGateChanged.Outcome("cmd-" + n, true, "locked")), at),
        AdmissionRequested.of(verdict, "warm-up", List.of("warm-up"), List.of(who)),
        OverrideRecorded.vote(id, request.requestId(), "ovr-" + n, target, "warm-up", VoteDecision.APPROVE, "the warm-up",
            verdict.revision(), at.plusSeconds(3600), at),
        new DeploymentRecorded(DeploymentRecorded.SCHEMA_VERSION, id, request.requestId(), "dep-" + n, TENANT, REPOSITORY, env,
            target.candidate(), DeployStatus.SUCCEEDED, null, Source.API, at, at.plusSeconds(30), at.plusSeconds(31)),
        SlackMessagePosted.of(id, request.requestId(), "C0WARMUP", "1700000000." + n, "hash-" + n, at));
  }
}
