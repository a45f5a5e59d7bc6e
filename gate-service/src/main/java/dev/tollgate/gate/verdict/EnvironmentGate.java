package dev.tollgate.gate.verdict;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.contracts.evaluation.RepositoryLocation;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.contracts.history.DeploymentRecorded;
import dev.tollgate.contracts.lock.AdmissionRequested;
import dev.tollgate.contracts.lock.EnvironmentGateChanged;
import dev.tollgate.contracts.lock.Identity;
import dev.tollgate.contracts.lock.LockKind;
import dev.tollgate.contracts.lock.LockRequested;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.contracts.verdict.ReasonCode;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.policy.AdmissionPolicy;
import dev.tollgate.gate.report.ReportText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One environment's locks and deploy queue, as a pure function of what happened and the time: no I/O, no clock. The
 * {@link EnvironmentGateProcessor} owns one {@link State} per {@code tenant|environment} and is its only writer.
 *
 * <ul>
 *   <li>A GO (or OVERRIDDEN) verdict asks for its turn: locked for it (a lock of the environment or of its repository,
 *       except a deploy lock of its own submitter) → NO_GO held {@code LOCKED}; a queue with every slot taken, or
 *       others waiting before it → NO_GO held {@code QUEUED}; else the verdict is published and, with a queue, takes
 *       a slot.
 *   <li>Whenever a lock goes, a slot frees or a lock expires, the waiting evaluations are decided again in request
 *       order, each changed one as its next verdict revision.
 * </ul>
 */
final class EnvironmentGate {
  /** How many lock command outcomes the published state keeps (a caller waits for its own). */
  static final int OUTCOMES_KEPT = 20;
  /** How many refused admissions the state keeps, so a redelivered one is answered NO_GO again, never admitted. */
  static final int REFUSALS_KEPT = 100;
  /**
   * The most an environment's stored state may take: half the producer's 1 MB record limit, so its changelog record
   * and the ones around it never fail to send (which would stop the Streams thread).
   */
  static final int MAX_STATE_BYTES = 512 * 1024;

  private EnvironmentGate() {}

  /**
   * An evaluation waiting for its turn, or in flight.
   *
   * @param published the last revision published for it (0: none yet)
   * @param status the reason code of its last held revision (LOCKED, QUEUED), or null when admitted
   * @param since when it asked (waiting) or was admitted (in flight)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Turn(AdmissionRequested admission, int published, ReasonCode status, Instant since) {
    VerdictReached verdict() {
      return admission.verdict();
    }

    String evaluationId() {
      return verdict().evaluationId();
    }

    EnvironmentGateChanged.Entry entry() {
      VerdictReached v = verdict();
      return new EnvironmentGateChanged.Entry(v.evaluationId(), v.target().repository(), v.target().candidate(),
          admission.submittedBy(), v.requestedAt(), since);
    }
  }

  /** An admission refused QUEUE_FULL: its evaluation and revision, and the reason it was given. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Refusal(String evaluationId, int revision, String reason) {}

  /** What the processor stores per environment (and publishes, without the verdicts, as {@link EnvironmentGateChanged}). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record State(String tenant, String environment, List<EnvironmentGateChanged.Lock> locks, List<Turn> inFlight,
      List<Turn> waiting, List<EnvironmentGateChanged.Outcome> outcomes, List<Refusal> refusals) {
    State {
      locks = locks == null ? List.of() : List.copyOf(locks);
      inFlight = inFlight == null ? List.of() : List.copyOf(inFlight);
      waiting = waiting == null ? List.of() : List.copyOf(waiting);
      outcomes = outcomes == null ? List.of() : List.copyOf(outcomes);
      refusals = refusals == null ? List.of() : List.copyOf(refusals);
    }

    static State empty(String tenant, String environment) {
      return new State(tenant, environment, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    EnvironmentGateChanged published(Instant now) {
      return new EnvironmentGateChanged(EnvironmentGateChanged.SCHEMA_VERSION, tenant, environment, locks,
          inFlight.stream().map(Turn::entry).toList(),
          waiting.stream().filter(t -> t.status() == ReasonCode.QUEUED).map(Turn::entry).toList(),
          waiting.stream().filter(t -> t.status() == ReasonCode.LOCKED).map(Turn::entry).toList(), outcomes, now);
    }

    /** The earliest time the tick must act here: a lock's expiry or a slot's timeout; null when none. */
    Instant dueAt(AdmissionPolicy policy) {
      Instant due = null;
      for (var l : locks) {
        due = due == null || l.expiresAt().isBefore(due) ? l.expiresAt() : due;
      }
      for (Turn t : inFlight) {
        Instant end = t.since().plus(policy.slotTimeout());
        due = due == null || end.isBefore(due) ? end : due;
      }
      return due;
    }
  }

  /**
   * The next state, the verdict revisions to publish and the audit records to write.
   *
   * @param stateBytes the state as stored, when measuring it against {@link #MAX_STATE_BYTES} already wrote it; else null
   */
  record Step(State state, List<VerdictReached> verdicts, List<AuditRecorded> audits, boolean changed, byte[] stateBytes) {
    Step(State state, List<VerdictReached> verdicts, List<AuditRecorded> audits, boolean changed) {
      this(state, verdicts, audits, changed, null);
    }
  }

  /**
   * A GO asks for its turn. A duplicate (the aggregator replayed it) changes nothing; one refused before is answered
   * with the same NO_GO again, never admitted (its QUEUE_FULL revision was published: a GO of that revision would be
   * dropped by the reporters, yet take a slot).
   */
  static Step admit(State state, AdmissionRequested admission, AdmissionPolicy policy, Instant now) {
    String id = admission.verdict().evaluationId();
    if (state.inFlight().stream().anyMatch(t -> t.evaluationId().equals(id))
        || state.waiting().stream().anyMatch(t -> t.evaluationId().equals(id))) {
      return new Step(state, List.of(), List.of(), false);
    }
    Refusal before = state.refusals().stream()
        .filter(r -> r.evaluationId().equals(id) && r.revision() == admission.verdict().revision()).findFirst().orElse(null);
    if (before != null) {
      return new Step(state, List.of(queueFull(admission.verdict(), before.reason())), List.of(), true);
    }
    List<VerdictReached> verdicts = new ArrayList<>();
    List<AuditRecorded> audits = new ArrayList<>();
    List<Turn> waiting = new ArrayList<>(state.waiting());
    Turn turn = new Turn(admission, 0, null, now);
    if (policy.supersede()) {
      // A newer commit of the same repository, however spelled, replaces the older ones still waiting (never one in flight).
      String repo = admission.verdict().target().repository();
      for (Turn older : List.copyOf(waiting)) {
        if (RepositoryLocation.sameRepository(older.verdict().target().repository(), repo) && isBefore(older, turn)) {
          waiting.remove(older);
          verdicts.add(superseded(older, turn, now));
        }
      }
      Turn newer = waiting.stream()
          .filter(t -> RepositoryLocation.sameRepository(t.verdict().target().repository(), repo) && isBefore(turn, t))
          .findFirst().orElse(null);
      if (newer != null) {
        verdicts.add(superseded(turn, newer, now));
        return new Step(new State(state.tenant(), state.environment(), state.locks(), state.inFlight(), waiting,
            state.outcomes(), state.refusals()), verdicts, audits, true);
      }
    }
    waiting.add(turn);
    State next = new State(state.tenant(), state.environment(), state.locks(), state.inFlight(), waiting, state.outcomes(),
        state.refusals());
    Step settled = settle(next, policy, now);
    boolean waits = settled.state().waiting().stream().anyMatch(t -> t.evaluationId().equals(id));
    // Measured whether it waits or took a slot (an in-flight turn keeps its whole verdict too); not when the state
    // does not keep it at all (published straight through, no queue).
    byte[] bytes = waits || settled.state().inFlight().stream().anyMatch(t -> t.evaluationId().equals(id))
        ? Json.write(settled.state()) : null;
    String reason = waits && settled.state().waiting().size() > policy.maxWaiting()
        ? "queue full: " + state.waiting().size() + " evaluations already wait in " + state.environment() + " (at most "
            + policy.maxWaiting() + ", held by a lock or queued); ask again when the lock or the queue has moved"
        : bytes != null && bytes.length > MAX_STATE_BYTES
            ? "queue full: the state of " + state.environment() + " would exceed its size limit (" + MAX_STATE_BYTES
                + " bytes) with this verdict; ask again when the lock or the queue has moved"
            : null;
    if (reason != null) {
      // Fail closed and keep the state bounded: refused (audited), never dropped. Nothing else changes: the others
      // keep their turns, and older turns a supersede would have replaced keep theirs.
      VerdictReached v = turn.verdict();
      AuditRecorded audit = audit(state, v.evaluationId(), v.requestId(), "queue:" + v.evaluationId() + ":refused:"
          + v.revision(), AuditKind.QUEUE_REFUSED, v.target().repository(), v.target().candidate(), Source.SERVER,
          admission.submittedBy(), reason, now, now);
      List<Refusal> refusals = new ArrayList<>(state.refusals());
      refusals.add(new Refusal(id, v.revision(), reason));
      while (refusals.size() > REFUSALS_KEPT) {
        refusals.remove(0);
      }
      return new Step(new State(state.tenant(), state.environment(), state.locks(), state.inFlight(), state.waiting(),
          state.outcomes(), refusals), List.of(queueFull(v, reason)), List.of(audit), true);
    }
    verdicts.addAll(settled.verdicts());
    audits.addAll(settled.audits());
    return new Step(settled.state(), verdicts, audits, true, bytes);
  }

  private static VerdictReached queueFull(VerdictReached v, String why) {
    List<Reason> reasons = new ArrayList<>(List.of(new Reason(ReasonCode.QUEUE_FULL, null, why)));
    reasons.addAll(v.reasons());
    return new VerdictReached(v.schemaVersion(), v.evaluationId(), v.requestId(), v.target(), Decision.NO_GO, reasons,
        v.probes(), v.policyVersion(), v.requestedAt(), v.decidedAt(), v.revision(), null, false, List.of(),
        v.artifactDigests());
  }

  /** A lock command: LOCK, UNLOCK or BREAK, against the current locks. A command seen before changes nothing. */
  static Step command(State state, LockRequested cmd, AdmissionPolicy policy, Instant now) {
    if (state.outcomes().stream().anyMatch(o -> o.commandId().equals(cmd.commandId()))) {
      return new Step(state, List.of(), List.of(), false);
    }
    List<EnvironmentGateChanged.Lock> locks = new ArrayList<>(state.locks());
    // One lock per scope, however its repository is spelled (a second spelling is not a second, separate lock).
    EnvironmentGateChanged.Lock current = EnvironmentGateChanged.lockOf(locks, cmd.repository(), cmd.lockId(), cmd.actor())
        .orElse(null);
    String scope = cmd.repository() == null ? cmd.environment() : cmd.repository() + " in " + cmd.environment();
    boolean accepted;
    String message;
    AuditKind kind;
    switch (cmd.action()) {
      case LOCK -> {
        if (cmd.expiresAt() != null && !now.isBefore(cmd.expiresAt())) {
          // A command read again long after it was sent (a replay, a restart past the outcomes kept) locks nothing.
          accepted = false;
          kind = AuditKind.LOCK_REFUSED;
          message = "the lock of " + scope + " asked by " + cmd.by() + " would have ended at " + ReportText.time(cmd.expiresAt());
        } else if (cmd.actor() == null || cmd.actor().kind() == Identity.Kind.UNKNOWN) {
          // Written by a version that did not say who sent it (or in a namespace this one does not know): such a lock
          // would be nobody's to release.
          accepted = false;
          kind = AuditKind.LOCK_REFUSED;
          message = "the lock of " + scope + " asked by " + cmd.by() + " does not say who sent it; ask again";
        } else if (current != null && !current.heldBy(cmd.actor())) {
          accepted = false;
          kind = AuditKind.LOCK_REFUSED;
          message = scope + " is already locked by " + current.holder() + " since " + ReportText.time(current.since())
              + " until " + ReportText.time(current.expiresAt());
        } else {
          locks.remove(current);
          // The holder may renew their own lock: same holder, new reason and expiry, the first "since" kept.
          locks.add(new EnvironmentGateChanged.Lock(current == null ? cmd.commandId() : current.lockId(), cmd.repository(),
              cmd.kind(), cmd.by(), cmd.reason(), current == null ? now : current.since(), cmd.expiresAt(), cmd.actor()));
          accepted = true;
          kind = AuditKind.LOCK_TAKEN;
          message = scope + " locked by " + cmd.by() + " (" + cmd.kind().name().toLowerCase(java.util.Locale.ROOT)
              + " lock) until " + ReportText.time(cmd.expiresAt()) + ": " + cmd.reason();
        }
      }
      case UNLOCK, BREAK -> {
        boolean unlock = cmd.action() == LockRequested.Action.UNLOCK;
        if (current == null) {
          accepted = false;
          kind = AuditKind.LOCK_REFUSED;
          message = scope + " is not locked";
        } else if (cmd.lockId() != null && !cmd.lockId().equals(current.lockId())) {
          // A stale command (retried, or sent from an old page) never ends a lock taken since.
          accepted = false;
          kind = AuditKind.LOCK_REFUSED;
          message = "the lock " + cmd.lockId() + " of " + scope + " is no longer in force: " + current.holder()
              + " locked it since " + ReportText.time(current.since()) + " (lock " + current.lockId() + ")";
        } else if (!unlock && cmd.lockId() == null) {
          accepted = false;
          kind = AuditKind.LOCK_REFUSED;
          message = "a break of " + scope + " must name the lock it breaks (its lockId)";
        } else if (unlock && !current.heldBy(cmd.actor())) {
          accepted = false;
          kind = AuditKind.LOCK_REFUSED;
          message = scope + " is locked by " + current.holder() + ": only they can unlock it; an administrator may break it";
        } else {
          locks.remove(current);
          accepted = true;
          kind = unlock ? AuditKind.LOCK_RELEASED : AuditKind.LOCK_BROKEN;
          message = unlock ? scope + " unlocked by " + cmd.by()
              : current.holder() + "'s lock of " + scope + " broken by " + cmd.by() + ": " + cmd.reason();
        }
      }
      default -> {
        accepted = false;
        kind = AuditKind.LOCK_REFUSED;
        message = "unknown lock action";
      }
    }
    Step settled = settle(withOutcome(state, locks, cmd, accepted, message), policy, now);
    byte[] bytes = null;
    if (accepted && cmd.action() == LockRequested.Action.LOCK) {
      bytes = Json.write(settled.state());
      if (bytes.length > MAX_STATE_BYTES) {
        // Fail closed: a lock the store cannot keep is refused (a changelog record past the limit stops the task).
        accepted = false;
        kind = AuditKind.LOCK_REFUSED;
        message = "the lock of " + scope + " asked by " + cmd.by() + " is refused: the state of " + cmd.environment()
            + " would exceed its size limit (" + MAX_STATE_BYTES + " bytes)";
        bytes = null;
        settled = settle(withOutcome(state, state.locks(), cmd, false, message), policy, now);
      }
    }
    AuditRecorded audit = audit(state, "lock:" + cmd.commandId(), cmd.requestId(), "lock:" + cmd.commandId() + ":" + kind,
        kind, cmd.repository(), null, cmd.source(), cmd.by(), message, cmd.requestedAt(), now);
    List<AuditRecorded> audits = new ArrayList<>(List.of(audit));
    audits.addAll(settled.audits());
    return new Step(settled.state(), settled.verdicts(), audits, true, bytes);
  }

  private static State withOutcome(State state, List<EnvironmentGateChanged.Lock> locks, LockRequested cmd, boolean accepted,
      String message) {
    List<EnvironmentGateChanged.Outcome> outcomes = new ArrayList<>(state.outcomes());
    outcomes.add(new EnvironmentGateChanged.Outcome(cmd.commandId(), accepted, message));
    while (outcomes.size() > OUTCOMES_KEPT) {
      outcomes.remove(0);
    }
    return new State(state.tenant(), state.environment(), locks, state.inFlight(), state.waiting(), outcomes,
        state.refusals());
  }

  /**
   * A deploy reported its end (or start): a finished deploy frees its slot. Only a deploy of the slot's own repository
   * does: an evaluation id is shown to every viewer of the queue, and a record of another repository naming it would
   * otherwise free a slot still deploying and let the next GO through. Its spelling does not matter (a webhook's
   * clone_url ends in .git where the evaluation's URL did not): a record the slot did not recognise would hold the
   * queue until the slot's timeout.
   *
   * <p>And only a report that may end it ({@link #mayEnd}): anyone with a requester token can report any commit's
   * deploy, and a false end would free a slot still deploying and admit the reporter's own queued GO. A refused end is
   * audited {@link AuditKind#QUEUE_RELEASE_REFUSED}; the slot stays until a real end or its timeout.
   */
  static Step deployed(State state, DeploymentRecorded deploy, AdmissionPolicy policy, Instant now) {
    if (deploy.status() == DeployStatus.STARTED || deploy.status() == DeployStatus.UNKNOWN) {
      return new Step(state, List.of(), List.of(), false);
    }
    List<Turn> slots = state.inFlight().stream()
        .filter(t -> RepositoryLocation.sameRepository(t.verdict().target().repository(), deploy.repository())
        && (t.evaluationId().equals(deploy.evaluationId()) || t.verdict().target().candidate().equals(deploy.commit())))
        .toList();
    if (slots.isEmpty()) {
      return new Step(state, List.of(), List.of(), false);
    }
    String what = "deploy " + deploy.status().name().toLowerCase(java.util.Locale.ROOT);
    String reporter = deploy.reportedBy() == null ? null : deploy.reportedBy().toString();
    Turn done = slots.stream().filter(t -> mayEnd(t, deploy)).findFirst().orElse(null);
    if (done == null) {
      Turn slot = slots.get(0);
      VerdictReached v = slot.verdict();
      AuditRecorded refused = audit(state, v.evaluationId(), deploy.requestId(), "queue:" + v.evaluationId()
          + ":release-refused:" + deploy.deploymentId() + ":" + deploy.status(), AuditKind.QUEUE_RELEASE_REFUSED,
          v.target().repository(), v.target().candidate(), deploy.source(), reporter == null ? "unknown" : reporter,
          "slot in " + state.environment() + " of " + slot.admission().submittedBy() + " kept: " + what + " reported by "
              + (reporter == null ? "an unknown reporter" : reporter) + " (standing " + deploy.standing() + "), who may not"
              + " end it; the platform's webhook, an admin, a deployReporter token or the slot's own requester may",
          deploy.recordedAt(), now);
      return new Step(state, List.of(), List.of(refused), true);
    }
    return release(state, done, what + (reporter == null ? "" : ", reported by " + reporter), deploy.source(),
        reporter == null ? done.admission().submittedBy() : reporter, policy, now);
  }

  /**
   * True when {@code deploy}'s report may end {@code slot}: one of the slot's own parties (its submitter or deployers,
   * compared by namespace and id) always may, whatever standing the views gave the report (the gate's own state knows
   * who holds the slot: an honest pipeline's end counts even when the views lagged or someone else got the commit's
   * first GO); anyone else only with the platform's standing, an admin's or a deploy reporter's. The requester of
   * another evaluation of the same commit may not, nor a reporter without standing. A record written before reporters
   * were judged (no standing) ends it as it did then.
   */
  static boolean mayEnd(Turn slot, DeploymentRecorded deploy) {
    if (deploy.standing() == null || slot.admission().parties().stream().anyMatch(p -> p.sameAs(deploy.reportedBy()))) {
      return true;
    }
    return switch (deploy.standing()) {
      case PLATFORM, ADMIN, DEPLOY_REPORTER -> true;
      default -> false;
    };
  }

  /** Time passed: expired locks end, slots held past the timeout are freed. */
  static Step tick(State state, AdmissionPolicy policy, Instant now) {
    List<AuditRecorded> audits = new ArrayList<>();
    List<EnvironmentGateChanged.Lock> locks = new ArrayList<>();
    for (var l : state.locks()) {
      if (now.isBefore(l.expiresAt())) {
        locks.add(l);
      } else {
        audits.add(audit(state, "lock:" + l.lockId(), "lock:" + l.lockId(), "lock:" + l.lockId() + ":LOCK_EXPIRED",
            AuditKind.LOCK_EXPIRED, l.repository(), null, Source.SERVER, l.holder(),
            (l.repository() == null ? state.environment() : l.repository() + " in " + state.environment())
                + ": " + l.holder() + "'s lock expired at " + ReportText.time(l.expiresAt()), l.expiresAt(), now));
      }
    }
    State next = new State(state.tenant(), state.environment(), locks, state.inFlight(), state.waiting(), state.outcomes(),
        state.refusals());
    List<VerdictReached> verdicts = new ArrayList<>();
    for (Turn t : state.inFlight()) {
      if (!now.isBefore(t.since().plus(policy.slotTimeout()))) {
        Step released = release(next, t, "no end reported within " + dev.tollgate.contracts.Durations.format(policy.slotTimeout()),
            Source.SERVER, t.admission().submittedBy(), policy, now);
        next = released.state();
        verdicts.addAll(released.verdicts());
        audits.addAll(released.audits());
      }
    }
    if (audits.isEmpty()) {
      return new Step(state, List.of(), List.of(), false);
    }
    Step settled = settle(next, policy, now);
    verdicts.addAll(settled.verdicts());
    audits.addAll(settled.audits());
    return new Step(settled.state(), verdicts, audits, true);
  }

  /** Frees {@code done}'s slot; the audit record names {@code actor} (who reported the end) and the slot's owner. */
  private static Step release(State state, Turn done, String why, Source source, String actor, AdmissionPolicy policy,
      Instant now) {
    List<Turn> inFlight = new ArrayList<>(state.inFlight());
    inFlight.remove(done);
    VerdictReached v = done.verdict();
    AuditRecorded audit = audit(state, v.evaluationId(), v.requestId(), "queue:" + v.evaluationId() + ":released",
        AuditKind.QUEUE_RELEASED, v.target().repository(), v.target().candidate(), source, actor,
        "slot in " + state.environment() + " of " + done.admission().submittedBy() + " freed: " + why, now, now);
    Step settled = settle(new State(state.tenant(), state.environment(), state.locks(), inFlight, state.waiting(),
        state.outcomes(), state.refusals()), policy, now);
    List<AuditRecorded> audits = new ArrayList<>(List.of(audit));
    audits.addAll(settled.audits());
    return new Step(settled.state(), settled.verdicts(), audits, true);
  }

  /**
   * Decides every waiting evaluation again, in request order: admitted while slots are free, else held by a lock or
   * queued. Only a change of status is published (a new revision); a queue position moving up is not.
   */
  static Step settle(State state, AdmissionPolicy policy, Instant now) {
    List<Turn> waiting = new ArrayList<>(state.waiting());
    waiting.sort(Comparator.comparing((Turn t) -> t.verdict().requestedAt()).thenComparing(Turn::evaluationId));
    List<Turn> inFlight = new ArrayList<>(state.inFlight());
    List<Turn> stillWaiting = new ArrayList<>();
    List<VerdictReached> verdicts = new ArrayList<>();
    List<AuditRecorded> audits = new ArrayList<>();
    int queued = 0;
    for (Turn t : waiting) {
      EnvironmentGateChanged.Lock lock = lockFor(state.locks(), t);
      int revision = t.published() == 0 ? t.verdict().revision() : t.published() + 1;
      if (lock != null) {
        if (t.status() != ReasonCode.LOCKED) {
          verdicts.add(held(t, revision, new Reason(ReasonCode.LOCKED, null, lockText(lock)), lock.expiresAt(), now));
          t = new Turn(t.admission(), revision, ReasonCode.LOCKED, t.since());
        }
        stillWaiting.add(t);
      } else if (!policy.queued() || (inFlight.size() < policy.maxInFlight() && queued == 0)) {
        VerdictReached v = t.verdict();
        verdicts.add(new VerdictReached(v.schemaVersion(), v.evaluationId(), v.requestId(), v.target(), v.decision(),
            v.reasons(), v.probes(), v.policyVersion(), v.requestedAt(), t.published() == 0 ? v.decidedAt() : now, revision,
            null, false, v.overrides(), v.artifactDigests()));
        if (policy.queued()) {
          inFlight.add(new Turn(t.admission(), revision, null, now));
        }
      } else {
        queued++;
        if (t.status() != ReasonCode.QUEUED) {
          String text = "queued, " + ordinal(queued) + " in " + state.environment() + ": " + inFlight.size()
              + " deploy" + (inFlight.size() == 1 ? "" : "s") + " in flight";
          verdicts.add(held(t, revision, new Reason(ReasonCode.QUEUED, null, text), null, now));
          VerdictReached v = t.verdict();
          audits.add(audit(state, v.evaluationId(), v.requestId(), "queue:" + v.evaluationId() + ":entered:" + revision,
              AuditKind.QUEUE_ENTERED, v.target().repository(), v.target().candidate(), Source.SERVER,
              t.admission().submittedBy(), text, now, now));
          t = new Turn(t.admission(), revision, ReasonCode.QUEUED, t.since());
        }
        stillWaiting.add(t);
      }
    }
    return new Step(new State(state.tenant(), state.environment(), state.locks(), inFlight, stillWaiting, state.outcomes(),
        state.refusals()),
        verdicts, audits, !verdicts.isEmpty());
  }

  /**
   * The lock that holds {@code t}, or null: the environment's lock or its repository's, unless it is a deploy lock
   * and the deploy is its holder's own (its authenticated submitter or a platform deployer is the holder's identity).
   */
  static EnvironmentGateChanged.Lock lockFor(List<EnvironmentGateChanged.Lock> locks, Turn t) {
    for (var l : locks) {
      if (l.repository() != null && !RepositoryLocation.sameRepository(l.repository(), t.verdict().target().repository())) {
        continue;
      }
      // The holder's own deploy: the same namespace and id, never a name alone (a GitHub user called like the
      // holder's token is someone else).
      if (l.kind() == LockKind.DEPLOY && t.admission().parties().stream().anyMatch(l::heldBy)) {
        continue;
      }
      return l;
    }
    return null;
  }

  /** "locked by alice: <reason>, until <time>": what every platform shows of a lock (reporters bound and neutralise it). */
  static String lockText(EnvironmentGateChanged.Lock l) {
    return "locked by " + l.holder() + ": " + l.reason() + ", until " + ReportText.time(l.expiresAt());
  }

  private static VerdictReached held(Turn t, int revision, Reason why, Instant retryAt, Instant now) {
    VerdictReached v = t.verdict();
    List<Reason> reasons = new ArrayList<>(List.of(why));
    reasons.addAll(v.reasons());
    return new VerdictReached(v.schemaVersion(), v.evaluationId(), v.requestId(), v.target(), Decision.NO_GO, reasons,
        v.probes(), v.policyVersion(), v.requestedAt(), t.published() == 0 ? v.decidedAt() : now, revision, retryAt, true,
        List.of(), v.artifactDigests());
  }

  private static VerdictReached superseded(Turn older, Turn newer, Instant now) {
    VerdictReached v = older.verdict();
    int revision = older.published() == 0 ? v.revision() : older.published() + 1;
    List<Reason> reasons = new ArrayList<>(List.of(new Reason(ReasonCode.SUPERSEDED, null, "superseded by "
        + newer.verdict().target().candidate().substring(0, 12) + ", a newer commit of the same repository (evaluation "
        + newer.evaluationId() + ")")));
    return new VerdictReached(v.schemaVersion(), v.evaluationId(), v.requestId(), v.target(), Decision.NO_GO, reasons,
        v.probes(), v.policyVersion(), v.requestedAt(), now, revision, null, false, List.of(), v.artifactDigests());
  }

  private static boolean isBefore(Turn a, Turn b) {
    return a.verdict().requestedAt().isBefore(b.verdict().requestedAt());
  }

  static String ordinal(int n) {
    int mod100 = n % 100;
    String suffix = mod100 >= 11 && mod100 <= 13 ? "th" : switch (n % 10) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    };
    return n + suffix;
  }

  private static AuditRecorded audit(State state, String evaluationId, String requestId, String auditId, AuditKind kind,
      String repository, String commit, Source source, String actor, String detail, Instant occurredAt, Instant now) {
    return new AuditRecorded(AuditRecorded.SCHEMA_VERSION, evaluationId, requestId, auditId, kind, state.tenant(),
        repository == null ? "*" : repository, state.environment(), commit, source, actor, null, detail, occurredAt, now);
  }
}
