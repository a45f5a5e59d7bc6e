package dev.tollgate.gate.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.contracts.history.DeploymentRecorded;
import dev.tollgate.contracts.history.ReporterStanding;
import dev.tollgate.contracts.lock.AdmissionRequested;
import dev.tollgate.contracts.lock.EnvironmentGateChanged;
import dev.tollgate.contracts.lock.Identity;
import dev.tollgate.contracts.lock.LockKind;
import dev.tollgate.contracts.lock.LockRequested;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.ReasonCode;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.auth.Role;
import dev.tollgate.gate.policy.AdmissionPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of one environment's locks and queue, without Kafka: the time is given, nothing sleeps. */
class EnvironmentGateTest {
  static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  static final AdmissionPolicy NO_QUEUE = AdmissionPolicy.DEFAULT;
  static final AdmissionPolicy QUEUE_1 = new AdmissionPolicy(Role.APPROVER, Duration.ofHours(4), Duration.ofHours(24), 1,
      Duration.ofMinutes(30), false, AdmissionPolicy.MAX_WAITING);
  static final AdmissionPolicy SUPERSEDE = new AdmissionPolicy(Role.APPROVER, Duration.ofHours(4), Duration.ofHours(24), 1,
      Duration.ofMinutes(30), true, AdmissionPolicy.MAX_WAITING);

  /** Lock-only admission (no slots) with at most {@code maxWaiting} evaluations waiting per environment. */
  static AdmissionPolicy withMaxWaiting(int maxWaiting) {
    return new AdmissionPolicy(Role.APPROVER, Duration.ofHours(4), Duration.ofHours(24), 0, Duration.ofHours(1), false,
        maxWaiting);
  }

  int ids;

  AdmissionRequested go(String repo, String by, Instant requestedAt) {
    String sha = String.format("%040x", ++ids);
    VerdictReached v = VerdictReached.of("e" + ids, "r" + ids, new DeployTarget("acme", repo, "production", sha, null),
        Decision.GO, List.of(), List.of(), "server:x", requestedAt, requestedAt.plusSeconds(1), 1, null, false);
    return admission(v, by, Identity.token(by));
  }

  static AdmissionRequested admission(VerdictReached v, String by, Identity... parties) {
    return AdmissionRequested.of(v, by, List.of(), List.of(parties));
  }

  /** A command from the API token {@code by}. */
  LockRequested lock(LockRequested.Action action, String by, LockKind kind, Instant expires) {
    return lock(action, by, Identity.token(by), kind, expires, null);
  }

  LockRequested lock(LockRequested.Action action, String by, Identity actor, LockKind kind, Instant expires, String lockId) {
    return new LockRequested(LockRequested.SCHEMA_VERSION, "c" + (++ids), "r", action, "acme", "production", null, kind, by,
        action == LockRequested.Action.UNLOCK ? null : "a reason long enough", expires, Source.API, T0, actor, lockId);
  }

  EnvironmentGate.State empty() {
    return EnvironmentGate.State.empty("acme", "production");
  }

  @Test
  void aFreezeLockHoldsEveryonesGoAndItsEndPublishesTheNextRevision() {
    var s = EnvironmentGate.command(empty(), lock(LockRequested.Action.LOCK, "alice", LockKind.FREEZE, T0.plusSeconds(3600)),
        NO_QUEUE, T0).state();
    var held = EnvironmentGate.admit(s, go("shop", "alice", T0), NO_QUEUE, T0);
    VerdictReached v = held.verdicts().get(0);
    assertEquals(Decision.NO_GO, v.decision());
    assertTrue(v.held());
    assertEquals(ReasonCode.LOCKED, v.reasons().get(0).code());
    assertEquals("locked by alice: a reason long enough, until 2026-12-07T11:00:00Z", v.reasons().get(0).message());
    assertEquals(1, v.revision());
    var unlocked = EnvironmentGate.command(held.state(), lock(LockRequested.Action.UNLOCK, "alice", null, null), NO_QUEUE,
        T0.plusSeconds(60));
    assertEquals(Decision.GO, unlocked.verdicts().get(0).decision());
    assertEquals(2, unlocked.verdicts().get(0).revision());
    assertTrue(unlocked.state().waiting().isEmpty());
  }

  @Test
  void passesTheHoldersOwnDeployUnderADeployLock() {
    // Safe: a deploy lock says "I am deploying"; the holder's own deploy is the one it protects.
    var s = EnvironmentGate.command(empty(), lock(LockRequested.Action.LOCK, "alice", LockKind.DEPLOY, T0.plusSeconds(3600)),
        NO_QUEUE, T0).state();
    assertEquals(Decision.GO, EnvironmentGate.admit(s, go("shop", "alice", T0), NO_QUEUE, T0).verdicts().get(0).decision());
    assertEquals(ReasonCode.LOCKED, EnvironmentGate.admit(s, go("shop", "bob", T0), NO_QUEUE, T0).verdicts().get(0)
        .reasons().get(0).code());
  }

  @Test
  void aGitHubOrSlackUserNamedLikeTheHoldersTokenNeitherPassesNorReleasesTheLock() {
    // The attack: the token "alice" holds a deploy lock; a GitHub user who chose the login "alice" deploys through it
    // and unlocks it; a Slack member mapped to "alice" unlocks it too. Names match, identities do not.
    var s = EnvironmentGate.command(empty(), lock(LockRequested.Action.LOCK, "alice", LockKind.DEPLOY, T0.plusSeconds(3600)),
        NO_QUEUE, T0).state();
    var github = go("shop", "alice", T0);
    github = admission(github.verdict(), "alice", new Identity(Identity.Kind.GITHUB, "alice"));
    var viaGitHub = EnvironmentGate.admit(s, github, NO_QUEUE, T0).verdicts().get(0);
    assertEquals(Decision.NO_GO, viaGitHub.decision(), "a GitHub login equal to the token's name is not the holder");
    assertEquals(ReasonCode.LOCKED, viaGitHub.reasons().get(0).code());
    var gitlabDeployer = go("shop", "ci", T0);
    gitlabDeployer = admission(gitlabDeployer.verdict(), "ci", new Identity(Identity.Kind.GITLAB, "ci"),
        new Identity(Identity.Kind.GITLAB, "alice"));
    assertEquals(ReasonCode.LOCKED, EnvironmentGate.admit(s, gitlabDeployer, NO_QUEUE, T0).verdicts().get(0).reasons().get(0)
        .code(), "nor is a GitLab deployer of that name");
    var legacy = AdmissionRequested.of(go("shop", "alice", T0).verdict(), "alice", List.of(), List.of());
    assertEquals(ReasonCode.LOCKED, EnvironmentGate.admit(s, legacy, NO_QUEUE, T0).verdicts().get(0).reasons().get(0).code(),
        "an admission that does not say who submitted it is nobody's");
    for (Identity impostor : List.of(new Identity(Identity.Kind.GITHUB, "alice"), new Identity(Identity.Kind.SLACK, "alice"),
        new Identity(Identity.Kind.UNKNOWN, "alice"))) {
      var unlock = EnvironmentGate.command(s, lock(LockRequested.Action.UNLOCK, "alice", impostor, null, null, null), NO_QUEUE, T0);
      assertFalse(unlock.state().outcomes().get(1).accepted(), impostor + " may not unlock token:alice's lock");
      assertEquals(1, unlock.state().locks().size());
      var renew = EnvironmentGate.command(s, lock(LockRequested.Action.LOCK, "alice", impostor, LockKind.FREEZE,
          T0.plusSeconds(7200), null), NO_QUEUE, T0);
      assertFalse(renew.state().outcomes().get(1).accepted(), impostor + " may not renew (take over) token:alice's lock");
      assertEquals(LockKind.DEPLOY, renew.state().locks().get(0).kind());
    }
    // The holder's own: the token itself deploys through and unlocks.
    assertEquals(Decision.GO, EnvironmentGate.admit(s, go("shop", "alice", T0), NO_QUEUE, T0).verdicts().get(0).decision());
    assertTrue(EnvironmentGate.command(s, lock(LockRequested.Action.UNLOCK, "alice", null, null), NO_QUEUE, T0).state()
        .locks().isEmpty());
  }

  @Test
  void platformLoginsCompareCaseInsensitivelyTokensAndSlackIdsExactly() {
    assertTrue(new Identity(Identity.Kind.GITHUB, "Alice").sameAs(new Identity(Identity.Kind.GITHUB, "alice")));
    assertFalse(Identity.token("Alice").sameAs(Identity.token("alice")));
    assertFalse(new Identity(Identity.Kind.SLACK, "U01").sameAs(new Identity(Identity.Kind.SLACK, "u01")));
    assertFalse(new Identity(Identity.Kind.UNKNOWN, "x").sameAs(new Identity(Identity.Kind.UNKNOWN, "x")));
    // Only ASCII folds: a dotless ı or a Kelvin sign is another login, not the holder's.
    assertFalse(new Identity(Identity.Kind.GITHUB, "al\u0131ce").sameAs(new Identity(Identity.Kind.GITHUB, "alice")));
    assertFalse(new Identity(Identity.Kind.GITLAB, "\u212Aate").sameAs(new Identity(Identity.Kind.GITLAB, "kate")));
    assertTrue(new Identity(Identity.Kind.GITLAB, "Kate.B-1").sameAs(new Identity(Identity.Kind.GITLAB, "kate.b-1")));
    assertEquals(Identity.Kind.TOKEN, Identity.of(Source.CLI, "ci").kind());
    assertEquals(Identity.Kind.GITHUB, Identity.of(Source.GITHUB, "alice").kind());
    assertEquals(Identity.Kind.UNKNOWN, Identity.of(null, "alice").kind());
  }

  @Test
  void aLockFromAnUnknownKindOfActorIsRefusedNobodyCouldUnlockIt() {
    var step = EnvironmentGate.command(empty(), lock(LockRequested.Action.LOCK, "alice",
        new Identity(Identity.Kind.UNKNOWN, "alice"), LockKind.FREEZE, T0.plusSeconds(3600), null), NO_QUEUE, T0);
    assertTrue(step.state().locks().isEmpty());
    assertFalse(step.state().outcomes().get(0).accepted());
    assertEquals(AuditKind.LOCK_REFUSED, step.audits().get(0).kind());
  }

  @Test
  void aStaleUnlockOrBreakNeverEndsALockTakenSince() {
    // Alice locks, unlocks, and her client retries the unlock; meanwhile bob took a new lock. An admin's break typed
    // against the page that showed alice's lock arrives after bob's too.
    var first = EnvironmentGate.command(empty(), lock(LockRequested.Action.LOCK, "alice", LockKind.FREEZE, T0.plusSeconds(3600)),
        NO_QUEUE, T0).state();
    String alices = first.locks().get(0).lockId();
    var released = EnvironmentGate.command(first, lock(LockRequested.Action.UNLOCK, "alice", Identity.token("alice"), null, null,
        alices), NO_QUEUE, T0).state();
    assertTrue(released.locks().isEmpty());
    var bobs = EnvironmentGate.command(released, lock(LockRequested.Action.LOCK, "bob", LockKind.FREEZE, T0.plusSeconds(3600)),
        NO_QUEUE, T0.plusSeconds(1)).state();
    String bobsId = bobs.locks().get(0).lockId();
    var retried = EnvironmentGate.command(bobs, lock(LockRequested.Action.UNLOCK, "alice", Identity.token("alice"), null, null,
        alices), NO_QUEUE, T0.plusSeconds(2));
    assertFalse(retried.state().outcomes().get(retried.state().outcomes().size() - 1).accepted());
    assertEquals(AuditKind.LOCK_REFUSED, retried.audits().get(0).kind());
    var staleBreak = EnvironmentGate.command(retried.state(), lock(LockRequested.Action.BREAK, "root", Identity.token("root"),
        null, null, alices), NO_QUEUE, T0.plusSeconds(3));
    assertEquals(List.of(bobsId), staleBreak.state().locks().stream().map(l -> l.lockId()).toList(),
        "bob's lock stands after a stale unlock and a stale break");
    assertTrue(staleBreak.state().outcomes().get(staleBreak.state().outcomes().size() - 1).message()
        .contains("no longer in force"));
    var blindBreak = EnvironmentGate.command(staleBreak.state(), lock(LockRequested.Action.BREAK, "root",
        Identity.token("root"), null, null, null), NO_QUEUE, T0.plusSeconds(4));
    assertEquals(1, blindBreak.state().locks().size(), "a break that names no lock breaks nothing");
    var broken = EnvironmentGate.command(blindBreak.state(), lock(LockRequested.Action.BREAK, "root", Identity.token("root"),
        null, null, bobsId), NO_QUEUE, T0.plusSeconds(5));
    assertTrue(broken.state().locks().isEmpty());
    assertEquals(AuditKind.LOCK_BROKEN, broken.audits().get(0).kind());
  }

  @Test
  void anUnlockWithoutAnIdReleasesTheCurrentLockOnlyForItsHolder() {
    var s = EnvironmentGate.command(empty(), lock(LockRequested.Action.LOCK, "bob", LockKind.FREEZE, T0.plusSeconds(3600)),
        NO_QUEUE, T0).state();
    assertEquals(1, EnvironmentGate.command(s, lock(LockRequested.Action.UNLOCK, "alice", null, null), NO_QUEUE, T0).state()
        .locks().size());
    assertTrue(EnvironmentGate.command(s, lock(LockRequested.Action.UNLOCK, "bob", null, null), NO_QUEUE, T0).state()
        .locks().isEmpty());
  }

  @Test
  void aGoBeyondTheCapIsANoGoQueueFullAuditedWhileTheOthersKeepTheirTurns() {
    AdmissionPolicy cap3 = withMaxWaiting(3);
    var s = EnvironmentGate.command(empty(), lock(LockRequested.Action.LOCK, "alice", LockKind.FREEZE, T0.plusSeconds(3600)),
        cap3, T0).state();
    for (int i = 0; i < 3; i++) {
      s = EnvironmentGate.admit(s, go("shop", "bob", T0.plusSeconds(i)), cap3, T0.plusSeconds(i)).state();
    }
    assertEquals(3, s.waiting().size());
    var fourth = go("shop", "bob", T0.plusSeconds(10));
    var refused = EnvironmentGate.admit(s, fourth, cap3, T0.plusSeconds(10));
    VerdictReached v = refused.verdicts().get(0);
    assertEquals(Decision.NO_GO, v.decision());
    assertFalse(v.held(), "refused, not held: nothing would ever publish its turn");
    assertEquals(ReasonCode.QUEUE_FULL, v.reasons().get(0).code());
    assertTrue(v.reasons().get(0).message().startsWith("queue full: 3 evaluations already wait in production"),
        v.reasons().get(0).message());
    assertEquals(AuditKind.QUEUE_REFUSED, refused.audits().get(0).kind());
    assertEquals(fourth.verdict().evaluationId(), refused.audits().get(0).evaluationId());
    assertEquals(3, refused.state().waiting().size());
    // When the lock goes, the three that waited are published.
    var unlockedRepo = EnvironmentGate.command(refused.state(), lock(LockRequested.Action.UNLOCK, "alice", null, null), cap3,
        T0.plusSeconds(11));
    assertEquals(3, unlockedRepo.verdicts().stream().filter(r -> r.decision() == Decision.GO).count(),
        "the three that waited are published when the lock goes");
  }

  @Test
  void passesAGoTheRepositoryLockDoesNotHoldWhileTheQueueIsFull() {
    // Safe: the lock is shop's; a GO of another repository is not held, so it never waits and takes no room.
    AdmissionPolicy cap1 = withMaxWaiting(1);
    var shopLock = new LockRequested(LockRequested.SCHEMA_VERSION, "c-shop", "r", LockRequested.Action.LOCK, "acme",
        "production", "shop", LockKind.FREEZE, "alice", "a reason long enough", T0.plusSeconds(3600), Source.API, T0,
        Identity.token("alice"), null);
    var s = EnvironmentGate.command(empty(), shopLock, cap1, T0).state();
    s = EnvironmentGate.admit(s, go("shop", "bob", T0), cap1, T0).state();
    assertEquals(ReasonCode.QUEUE_FULL, EnvironmentGate.admit(s, go("shop", "bob", T0.plusSeconds(1)), cap1,
        T0.plusSeconds(1)).verdicts().get(0).reasons().get(0).code(), "the queue is full for shop");
    var other = EnvironmentGate.admit(s, go("billing", "bob", T0.plusSeconds(2)), cap1, T0.plusSeconds(2));
    assertEquals(List.of(Decision.GO), other.verdicts().stream().map(VerdictReached::decision).toList());
    assertEquals(1, other.state().waiting().size());
  }

  @Test
  void aRefusedAdmissionRedeliveredAfterTheQueueMovedIsRefusedAgainNeverAdmitted() {
    // The gate is at-least-once: a refused GO read again after a crash, once the lock has gone, must not take a slot
    // with the revision its QUEUE_FULL already used (reporters would drop that GO as already seen).
    AdmissionPolicy cap1 = withMaxWaiting(1);
    var s = EnvironmentGate.command(empty(), lock(LockRequested.Action.LOCK, "alice", LockKind.FREEZE, T0.plusSeconds(3600)),
        cap1, T0).state();
    s = EnvironmentGate.admit(s, go("shop", "bob", T0), cap1, T0).state();
    var second = go("shop", "bob", T0.plusSeconds(1));
    var refused = EnvironmentGate.admit(s, second, cap1, T0.plusSeconds(1));
    assertEquals(ReasonCode.QUEUE_FULL, refused.verdicts().get(0).reasons().get(0).code());
    var moved = EnvironmentGate.command(refused.state(), lock(LockRequested.Action.UNLOCK, "alice", null, null), cap1,
        T0.plusSeconds(2)).state();
    assertTrue(moved.waiting().isEmpty());
    var again = EnvironmentGate.admit(moved, second, cap1, T0.plusSeconds(3));
    assertEquals(List.of(refused.verdicts().get(0).reasons().get(0)), again.verdicts().stream()
        .map(v -> v.reasons().get(0)).toList(), "the same NO_GO again, no GO");
    assertEquals(Decision.NO_GO, again.verdicts().get(0).decision());
    assertTrue(again.state().waiting().isEmpty() && again.state().inFlight().isEmpty());
  }

  @Test
  void theDefaultCapKeepsABusyFreezeWellUnderTheRecordLimitAndTheByteBudgetRefusesFirst() {
    var s = EnvironmentGate.command(empty(), lock(LockRequested.Action.LOCK, "alice", LockKind.FREEZE, T0.plusSeconds(3600)),
        NO_QUEUE, T0).state();
    for (int i = 0; i < AdmissionPolicy.MAX_WAITING + 5; i++) {
      s = EnvironmentGate.admit(s, richGo(i, 200), NO_QUEUE, T0.plusSeconds(i)).state();
    }
    assertEquals(AdmissionPolicy.MAX_WAITING, s.waiting().size());
    int bytes = dev.tollgate.contracts.Json.write(s).length;
    assertTrue(bytes < EnvironmentGate.MAX_STATE_BYTES, bytes + " bytes for " + s.waiting().size() + " waiting");
    // With a cap raised to the limit, verdicts carrying long reasons hit the byte budget before the count.
    AdmissionPolicy big = withMaxWaiting(1000);
    var t = EnvironmentGate.command(empty(), lock(LockRequested.Action.LOCK, "alice", LockKind.FREEZE, T0.plusSeconds(3600)),
        big, T0).state();
    EnvironmentGate.Step last = null;
    for (int i = 0; i < 1000 && (last == null || last.state().waiting().size() == i); i++) {
      last = EnvironmentGate.admit(t, richGo(i, 4000), big, T0.plusSeconds(i));
      t = last.state();
    }
    assertEquals(ReasonCode.QUEUE_FULL, last.verdicts().get(0).reasons().get(0).code());
    assertTrue(t.waiting().size() < 1000);
    assertTrue(dev.tollgate.contracts.Json.write(t).length <= EnvironmentGate.MAX_STATE_BYTES);
  }

  @Test
  void aVerdictTooBigForTheStateIsRefusedEvenWhenASlotIsFree() {
    // A slot keeps the whole verdict: stored, the state would pass the budget and its changelog record the limit.
    var big = richGo(0, EnvironmentGate.MAX_STATE_BYTES);
    var step = EnvironmentGate.admit(empty(), big, QUEUE_1, T0);
    VerdictReached v = step.verdicts().get(0);
    assertEquals(Decision.NO_GO, v.decision());
    assertEquals(ReasonCode.QUEUE_FULL, v.reasons().get(0).code());
    assertTrue(v.reasons().get(0).message().contains("would exceed its size limit"), v.reasons().get(0).message());
    assertTrue(step.state().inFlight().isEmpty());
    assertTrue(dev.tollgate.contracts.Json.write(step.state()).length <= EnvironmentGate.MAX_STATE_BYTES);
    // A small one takes the free slot, and the bytes measured are the ones stored.
    var small = EnvironmentGate.admit(empty(), go("shop", "bob", T0), QUEUE_1, T0);
    assertEquals(Decision.GO, small.verdicts().get(0).decision());
    assertEquals(new String(dev.tollgate.contracts.Json.write(small.state()), java.nio.charset.StandardCharsets.UTF_8),
        new String(small.stateBytes(), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void aLockThatWouldPushTheStatePastItsBudgetIsRefused() {
    // An in-flight verdict leaves the state 100 bytes under the budget: a lock (and its outcome) does not fit.
    int probe = 1000;
    int size = dev.tollgate.contracts.Json.write(EnvironmentGate.admit(empty(), richGo(0, probe), QUEUE_1, T0).state()).length;
    var s = EnvironmentGate.admit(empty(), richGo(0, probe + EnvironmentGate.MAX_STATE_BYTES - 100 - size), QUEUE_1, T0)
        .state();
    assertEquals(1, s.inFlight().size());
    int before = dev.tollgate.contracts.Json.write(s).length;
    assertTrue(before <= EnvironmentGate.MAX_STATE_BYTES && before > EnvironmentGate.MAX_STATE_BYTES - 200, "" + before);
    var locked = EnvironmentGate.command(s, lock(LockRequested.Action.LOCK, "alice", LockKind.FREEZE, T0.plusSeconds(3600)),
        QUEUE_1, T0);
    assertTrue(locked.state().locks().isEmpty());
    var outcome = locked.state().outcomes().get(0);
    assertFalse(outcome.accepted());
    assertTrue(outcome.message().contains("would exceed its size limit"), outcome.message());
    assertEquals(AuditKind.LOCK_REFUSED, locked.audits().get(0).kind());
  }

  /** A GO as a real one looks: five probe summaries with rule ids, a warning reason of {@code reasonChars}. */
  AdmissionRequested richGo(int i, int reasonChars) {
    String sha = String.format("%040x", ++ids);
    var probes = dev.tollgate.contracts.probe.ProbeId.KNOWN.stream()
        .map(p -> new dev.tollgate.contracts.verdict.ProbeSummary(p, true, dev.tollgate.contracts.probe.ProbeStatus.PASS,
            null, Duration.ofMinutes(2), 2, 0, List.of(p.value() + "/some-rule", p.value() + "/another-rule"), false)).toList();
    var reasons = List.of(new dev.tollgate.contracts.verdict.Reason(ReasonCode.PROBE_FAILED, null, "w".repeat(reasonChars)));
    VerdictReached v = VerdictReached.of("eval-" + i + "-" + ids, "req-" + ids, new DeployTarget("acme",
        "https://github.com/acme/shop.git", "production", sha, String.format("%040x", ids + 1_000_000)), Decision.GO, reasons,
        probes, "server:9f86d081884c7d65", T0.plusSeconds(i), T0.plusSeconds(i + 1), 1, null, false);
    return go(v, "ci-shop");
  }

  static AdmissionRequested go(VerdictReached v, String by) {
    return admission(v, by, Identity.token(by));
  }

  @Test
  void refusesSomeoneElsesLockAndAnUnlockByAnyoneButTheHolderAndAuditsBoth() {
    var s = EnvironmentGate.command(empty(), lock(LockRequested.Action.LOCK, "alice", LockKind.FREEZE, T0.plusSeconds(60)),
        NO_QUEUE, T0).state();
    var bob = EnvironmentGate.command(s, lock(LockRequested.Action.LOCK, "bob", LockKind.FREEZE, T0.plusSeconds(60)), NO_QUEUE, T0);
    assertFalse(bob.state().outcomes().get(1).accepted());
    assertEquals(AuditKind.LOCK_REFUSED, bob.audits().get(0).kind());
    var unlock = EnvironmentGate.command(bob.state(), lock(LockRequested.Action.UNLOCK, "bob", null, null), NO_QUEUE, T0);
    assertFalse(unlock.state().outcomes().get(2).accepted());
    assertEquals(1, unlock.state().locks().size());
    String lockId = unlock.state().locks().get(0).lockId();
    var broken = EnvironmentGate.command(unlock.state(), lock(LockRequested.Action.BREAK, "root", Identity.token("root"), null,
        null, lockId), NO_QUEUE, T0);
    assertEquals(AuditKind.LOCK_BROKEN, broken.audits().get(0).kind());
    assertTrue(broken.state().locks().isEmpty());
  }

  @Test
  void aRepositoryLockHoldsOnlyThatRepositoryAndSitsBesideAnotherRepositorysLock() {
    var lockShop = new LockRequested(LockRequested.SCHEMA_VERSION, "c-shop", "r", LockRequested.Action.LOCK, "acme", "production",
        "shop", LockKind.FREEZE, "alice", "a reason long enough", T0.plusSeconds(3600), Source.API, T0, Identity.token("alice"),
        null);
    var s = EnvironmentGate.command(empty(), lockShop, NO_QUEUE, T0).state();
    var shop = EnvironmentGate.admit(s, go("shop", "bob", T0), NO_QUEUE, T0).verdicts().get(0);
    assertEquals(Decision.NO_GO, shop.decision());
    assertEquals(ReasonCode.LOCKED, shop.reasons().get(0).code());
    assertEquals(Decision.GO, EnvironmentGate.admit(s, go("billing", "bob", T0), NO_QUEUE, T0).verdicts().get(0).decision(),
        "a lock of one repository leaves the others in the environment alone");
    // Another repository's lock by someone else is a lock of its own, not a refused second lock of the environment.
    var lockBilling = new LockRequested(LockRequested.SCHEMA_VERSION, "c-billing", "r", LockRequested.Action.LOCK, "acme",
        "production", "billing", LockKind.FREEZE, "carol", "a reason long enough", T0.plusSeconds(3600), Source.API, T0,
        Identity.token("carol"), null);
    var both = EnvironmentGate.command(s, lockBilling, NO_QUEUE, T0);
    assertTrue(both.state().outcomes().get(1).accepted());
    assertEquals(2, both.state().locks().size());
    // Alice's unlock of the environment is not an unlock of her repository lock: nothing changes.
    var wrongScope = EnvironmentGate.command(both.state(), lock(LockRequested.Action.UNLOCK, "alice", null, null), NO_QUEUE, T0);
    assertEquals(2, wrongScope.state().locks().size());
    var unlockShop = new LockRequested(LockRequested.SCHEMA_VERSION, "c-unshop", "r", LockRequested.Action.UNLOCK, "acme",
        "production", "shop", null, "alice", null, null, Source.API, T0, Identity.token("alice"), null);
    var after = EnvironmentGate.command(wrongScope.state(), unlockShop, NO_QUEUE, T0).state();
    assertEquals(1, after.locks().size());
    assertEquals(Decision.GO, EnvironmentGate.admit(after, go("shop", "bob", T0), NO_QUEUE, T0).verdicts().get(0).decision());
    assertEquals(Decision.NO_GO, EnvironmentGate.admit(after, go("billing", "bob", T0), NO_QUEUE, T0).verdicts().get(0).decision());
  }

  /**
   * Attack: a repository lock taken as one spelling of the repository, a deploy requested as another (a GitHub
   * webhook's clone_url ends in .git, a developer's API call may change the case of a GitHub path). Every spelling
   * the platform serves as the same repository is held.
   */
  @Test
  void aRepositoryLockHoldsEverySpellingOfItsRepository() {
    var lockShop = new LockRequested(LockRequested.SCHEMA_VERSION, "c-shop", "r", LockRequested.Action.LOCK, "acme", "production",
        "https://github.com/acme/shop", LockKind.FREEZE, "alice", "a reason long enough", T0.plusSeconds(3600), Source.API, T0,
        Identity.token("alice"), null);
    var s = EnvironmentGate.command(empty(), lockShop, NO_QUEUE, T0).state();
    for (String spelling : List.of("https://github.com/acme/shop.git", "https://github.com/Acme/Shop",
        "https://github.com/ACME/shop.git", "https://github.com//acme//shop", "https://github.com/acme/shop.GIT",
        "http://github.com/acme/shop", "https://github.com:443/acme/shop", "https://github.com./acme/shop")) {
      var v = EnvironmentGate.admit(s, go(spelling, "bob", T0), NO_QUEUE, T0).verdicts().get(0);
      assertEquals(Decision.NO_GO, v.decision(), spelling);
      assertEquals(ReasonCode.LOCKED, v.reasons().get(0).code(), spelling);
    }
    assertEquals(Decision.GO, EnvironmentGate.admit(s, go("https://github.com/acme/shop-admin", "bob", T0), NO_QUEUE, T0)
        .verdicts().get(0).decision(), "another repository is not held");
    // A second lock of the same repository by someone else, in another spelling, is refused: there is one lock of it.
    var lockAgain = new LockRequested(LockRequested.SCHEMA_VERSION, "c-shop2", "r", LockRequested.Action.LOCK, "acme",
        "production", "https://github.com/acme/shop.git", LockKind.FREEZE, "carol", "a reason long enough",
        T0.plusSeconds(3600), Source.API, T0, Identity.token("carol"), null);
    var again = EnvironmentGate.command(s, lockAgain, NO_QUEUE, T0).state();
    assertFalse(again.outcomes().get(1).accepted());
    assertEquals(1, again.locks().size());
  }

  /**
   * Bug: before every spelling was one scope, alice locked .../shop and bob .../shop.git: the state holds both. Bob's
   * unlock and an administrator's break of bob's lock by its id must reach bob's lock, not the first one found.
   */
  @Test
  void twoLocksOfOneRepositoryFromBeforeTheUpgradeEachCanBeUnlockedByItsHolderAndBrokenByItsId() {
    var alices = new EnvironmentGateChanged.Lock("l-alice", "https://github.com/acme/shop", LockKind.FREEZE, "alice",
        "a reason long enough", T0, T0.plusSeconds(3600), Identity.token("alice"));
    var bobs = new EnvironmentGateChanged.Lock("l-bob", "https://github.com/acme/shop.git", LockKind.FREEZE, "bob",
        "a reason long enough", T0, T0.plusSeconds(3600), Identity.token("bob"));
    var s = new EnvironmentGate.State("acme", "production", List.of(alices, bobs), List.of(), List.of(), List.of(), List.of());
    var unlock = new LockRequested(LockRequested.SCHEMA_VERSION, "c-unlock", "r", LockRequested.Action.UNLOCK, "acme",
        "production", "https://github.com/acme/shop", null, "bob", null, null, Source.API, T0, Identity.token("bob"), null);
    var unlocked = EnvironmentGate.command(s, unlock, NO_QUEUE, T0);
    assertTrue(unlocked.state().outcomes().get(0).accepted(), unlocked.state().outcomes().toString());
    assertEquals(List.of("l-alice"), unlocked.state().locks().stream().map(EnvironmentGateChanged.Lock::lockId).toList());
    var brk = new LockRequested(LockRequested.SCHEMA_VERSION, "c-break", "r", LockRequested.Action.BREAK, "acme",
        "production", "https://github.com/acme/shop", null, "root", "bob is on leave, releasing", null, Source.API, T0,
        Identity.token("root"), "l-bob");
    var broken = EnvironmentGate.command(s, brk, NO_QUEUE, T0);
    assertTrue(broken.state().outcomes().get(0).accepted(), broken.state().outcomes().toString());
    assertEquals(List.of("l-alice"), broken.state().locks().stream().map(EnvironmentGateChanged.Lock::lockId).toList());
    var aliceUnlocks = new LockRequested(LockRequested.SCHEMA_VERSION, "c-alice", "r", LockRequested.Action.UNLOCK, "acme",
        "production", "https://github.com/acme/shop.git", null, "alice", null, null, Source.API, T0, Identity.token("alice"),
        null);
    assertEquals(List.of("l-bob"), EnvironmentGate.command(s, aliceUnlocks, NO_QUEUE, T0).state().locks().stream()
        .map(EnvironmentGateChanged.Lock::lockId).toList(), "alice's own, under bob's spelling");
    var mallory = new LockRequested(LockRequested.SCHEMA_VERSION, "c-mallory", "r", LockRequested.Action.UNLOCK, "acme",
        "production", "https://github.com/acme/shop.git", null, "mallory", null, null, Source.API, T0,
        Identity.token("mallory"), null);
    assertFalse(EnvironmentGate.command(s, mallory, NO_QUEUE, T0).state().outcomes().get(0).accepted(), "nobody else's");
  }

  @Test
  void aLockCommandReadAfterItsExpiryLocksNothing() {
    var stale = EnvironmentGate.command(empty(), lock(LockRequested.Action.LOCK, "alice", LockKind.FREEZE, T0.plusSeconds(60)),
        NO_QUEUE, T0.plusSeconds(60));
    assertTrue(stale.state().locks().isEmpty());
    assertFalse(stale.state().outcomes().get(0).accepted());
    assertEquals(AuditKind.LOCK_REFUSED, stale.audits().get(0).kind());
    assertEquals(Decision.GO, EnvironmentGate.admit(stale.state(), go("shop", "bob", T0.plusSeconds(61)), NO_QUEUE,
        T0.plusSeconds(61)).verdicts().get(0).decision());
  }

  @Test
  void aLockEndsAtItsExpiryOnTheTick() {
    var s = EnvironmentGate.command(empty(), lock(LockRequested.Action.LOCK, "alice", LockKind.FREEZE, T0.plusSeconds(60)),
        NO_QUEUE, T0).state();
    s = EnvironmentGate.admit(s, go("shop", "bob", T0), NO_QUEUE, T0).state();
    assertFalse(EnvironmentGate.tick(s, NO_QUEUE, T0.plusSeconds(59)).changed());
    var expired = EnvironmentGate.tick(s, NO_QUEUE, T0.plusSeconds(60));
    assertEquals(AuditKind.LOCK_EXPIRED, expired.audits().get(0).kind());
    assertEquals(Decision.GO, expired.verdicts().get(0).decision());
  }

  @Test
  void aQueueAdmitsOneAndReleasesTheNextInRequestOrderWhenADeployEnds() {
    var a = go("a", "ci", T0);
    var b = go("b", "ci", T0.plusSeconds(1));
    var c = go("c", "ci", T0.plusSeconds(2));
    var s1 = EnvironmentGate.admit(empty(), a, QUEUE_1, T0);
    assertEquals(Decision.GO, s1.verdicts().get(0).decision());
    var s2 = EnvironmentGate.admit(s1.state(), c, QUEUE_1, T0);
    var s3 = EnvironmentGate.admit(s2.state(), b, QUEUE_1, T0);
    assertTrue(s2.verdicts().get(0).reasons().get(0).message().startsWith("queued, 1st in production"));
    assertEquals(AuditKind.QUEUE_ENTERED, s3.audits().get(0).kind());
    assertEquals(List.of("e2", "e3"), s3.state().published(T0).queue().stream().map(e -> e.evaluationId()).toList(),
        "request order, not arrival order");
    var done = EnvironmentGate.deployed(s3.state(), deploy(a, DeployStatus.SUCCEEDED), QUEUE_1, T0.plusSeconds(30));
    assertEquals("e2", done.verdicts().get(0).evaluationId());
    assertEquals(Decision.GO, done.verdicts().get(0).decision());
    assertEquals(2, done.verdicts().get(0).revision());
    assertEquals(AuditKind.QUEUE_RELEASED, done.audits().get(0).kind());
  }

  @Test
  void passesOverADeployStartWithoutFreeingItsSlot() {
    // Safe: a start is not an end; the slot is freed by the end (or the timeout).
    var a = go("a", "ci", T0);
    var s = EnvironmentGate.admit(empty(), a, QUEUE_1, T0).state();
    assertFalse(EnvironmentGate.deployed(s, deploy(a, DeployStatus.STARTED), QUEUE_1, T0).changed());
    var timedOut = EnvironmentGate.tick(s, QUEUE_1, T0.plus(Duration.ofMinutes(30)));
    assertTrue(timedOut.audits().get(0).detail().contains("no end reported within 30m"), timedOut.audits().toString());
    assertTrue(timedOut.state().inFlight().isEmpty());
  }

  @Test
  void aNewerCommitOfTheSameRepositorySupersedesTheQueuedOne() {
    var s = EnvironmentGate.admit(empty(), go("a", "ci", T0), SUPERSEDE, T0).state();
    s = EnvironmentGate.admit(s, go("b", "ci", T0.plusSeconds(1)), SUPERSEDE, T0).state();
    var newer = EnvironmentGate.admit(s, go("b", "ci", T0.plusSeconds(2)), SUPERSEDE, T0);
    VerdictReached superseded = newer.verdicts().get(0);
    assertEquals("e2", superseded.evaluationId());
    assertEquals(ReasonCode.SUPERSEDED, superseded.reasons().get(0).code());
    assertFalse(superseded.held());
    assertEquals(List.of("e3"), newer.state().published(T0).queue().stream().map(e -> e.evaluationId()).toList());
  }

  @Test
  void aReplayedAdmissionOrCommandChangesNothing() {
    var a = go("a", "ci", T0);
    var s = EnvironmentGate.admit(empty(), a, QUEUE_1, T0).state();
    assertFalse(EnvironmentGate.admit(s, a, QUEUE_1, T0).changed());
    var cmd = lock(LockRequested.Action.LOCK, "alice", LockKind.FREEZE, T0.plusSeconds(60));
    var locked = EnvironmentGate.command(s, cmd, QUEUE_1, T0).state();
    assertFalse(EnvironmentGate.command(locked, cmd, QUEUE_1, T0).changed());
  }

  @Test
  void aDeployOfAnotherRepositoryNamingTheEvaluationInFlightDoesNotFreeItsSlot() {
    var shop = go("shop", "alice", T0);
    var next = go("billing", "mallory", T0.plusSeconds(1));
    var s = EnvironmentGate.admit(EnvironmentGate.admit(empty(), shop, QUEUE_1, T0).state(), next, QUEUE_1, T0).state();
    var t = next.verdict().target();
    var forged = new DeploymentRecorded(DeploymentRecorded.SCHEMA_VERSION, shop.verdict().evaluationId(), "r", "d-forged",
        t.tenant(), "billing", t.environment(), t.candidate(), DeployStatus.FAILED, null, Source.API, T0, T0, T0);
    var step = EnvironmentGate.deployed(s, forged, QUEUE_1, T0.plusSeconds(5));
    assertFalse(step.changed(), "billing's record frees nothing of shop's deploy");
    assertTrue(step.verdicts().isEmpty());
    assertEquals(Decision.GO, EnvironmentGate.deployed(s, deploy(shop, DeployStatus.FAILED), QUEUE_1, T0.plusSeconds(5))
        .verdicts().get(0).decision(), "shop's own record does free it, and the queued GO goes");
  }

  /**
   * Bug: GitHub's deployment webhook names the repository by its clone_url (with .git) where the evaluation named it
   * without: the record must free the slot, or the queue stalls until the slot's timeout.
   */
  @Test
  void aDeployRecordedUnderAnotherSpellingOfTheRepositoryFreesItsSlot() {
    var shop = go("https://github.com/acme/shop", "ci", T0);
    var next = go("https://github.com/acme/billing", "ci", T0.plusSeconds(1));
    var s = EnvironmentGate.admit(EnvironmentGate.admit(empty(), shop, QUEUE_1, T0).state(), next, QUEUE_1, T0).state();
    var t = shop.verdict().target();
    var cloneUrl = new DeploymentRecorded(DeploymentRecorded.SCHEMA_VERSION, "not-an-evaluation", "r", "d-1", t.tenant(),
        "https://github.com/Acme/Shop.git", t.environment(), t.candidate(), DeployStatus.SUCCEEDED, null, Source.GITHUB, T0,
        T0, T0);
    var step = EnvironmentGate.deployed(s, cloneUrl, QUEUE_1, T0.plusSeconds(5));
    assertEquals(List.of("e2"), step.verdicts().stream().map(VerdictReached::evaluationId).toList(),
        "the commit's deploy under the clone_url freed shop's slot and billing's GO went");
    assertEquals(Decision.GO, step.verdicts().get(0).decision());
  }

  /** Bug: a newer commit requested under another spelling of the repository must supersede the older one waiting. */
  @Test
  void aNewerCommitUnderAnotherSpellingSupersedesTheQueuedOneAndAnOlderOneIsSuperseded() {
    var s = EnvironmentGate.admit(empty(), go("https://github.com/acme/web", "ci", T0), SUPERSEDE, T0).state();
    s = EnvironmentGate.admit(s, go("https://github.com/acme/shop", "ci", T0.plusSeconds(1)), SUPERSEDE, T0).state();
    var newer = EnvironmentGate.admit(s, go("https://github.com/acme/shop.git", "ci", T0.plusSeconds(3)), SUPERSEDE, T0);
    assertEquals("e2", newer.verdicts().get(0).evaluationId());
    assertEquals(ReasonCode.SUPERSEDED, newer.verdicts().get(0).reasons().get(0).code());
    assertEquals(List.of("e3"), newer.state().published(T0).queue().stream().map(e -> e.evaluationId()).toList());
    var older = EnvironmentGate.admit(newer.state(), go("https://github.com/ACME/shop", "ci", T0.plusSeconds(2)), SUPERSEDE, T0);
    assertEquals("e4", older.verdicts().get(0).evaluationId(), "an older commit arriving late is superseded by the newer");
    assertEquals(ReasonCode.SUPERSEDED, older.verdicts().get(0).reasons().get(0).code());
    assertEquals(List.of("e3"), older.state().published(T0).queue().stream().map(e -> e.evaluationId()).toList());
  }

  /**
   * The queue jump: any requester could report the end of someone else's deploy still in flight and so admit their own
   * queued GO. A report nobody vouches for, or one by the requester of another evaluation of the same commit, keeps the
   * slot and is audited naming who reported and whose slot it is.
   */
  @Test
  void anEndReportedWithoutStandingOrByAnotherEvaluationsRequesterKeepsTheSlotAndIsAudited() {
    var ci = go("shop", "ci", T0);
    var mallorys = go("billing", "mallory", T0.plusSeconds(1));
    var s = EnvironmentGate.admit(EnvironmentGate.admit(empty(), ci, QUEUE_1, T0).state(), mallorys, QUEUE_1, T0).state();
    for (var standing : List.of(ReporterStanding.NONE, ReporterStanding.UNKNOWN, ReporterStanding.REQUESTER)) {
      var forged = deploy(ci, DeployStatus.SUCCEEDED).withReporter(Identity.token("mallory"), standing);
      var step = EnvironmentGate.deployed(s, forged, QUEUE_1, T0.plusSeconds(5));
      assertTrue(step.verdicts().isEmpty(), standing + ": mallory's queued GO is not admitted");
      assertEquals(List.of("e1"), step.state().inFlight().stream().map(EnvironmentGate.Turn::evaluationId).toList(),
          standing + ": ci's slot is still taken");
      assertEquals(List.of("e2"), step.state().published(T0).queue().stream().map(e -> e.evaluationId()).toList());
      AuditRecorded refused = step.audits().get(0);
      assertEquals(AuditKind.QUEUE_RELEASE_REFUSED, refused.kind());
      assertEquals("token:mallory", refused.actor());
      assertEquals("e1", refused.evaluationId());
      assertTrue(refused.detail().contains("of ci kept") && refused.detail().contains("token:mallory"), refused.detail());
    }
    // A GitHub user named like the slot's token is someone else: a REQUESTER standing of theirs does not end it.
    var namesake = deploy(ci, DeployStatus.SUCCEEDED).withReporter(new Identity(Identity.Kind.GITHUB, "ci"),
        ReporterStanding.REQUESTER);
    assertEquals(AuditKind.QUEUE_RELEASE_REFUSED, EnvironmentGate.deployed(s, namesake, QUEUE_1, T0).audits().get(0).kind());
  }

  @Test
  void anEndFromThePlatformAnAdminADeployReporterOrTheSlotsOwnRequesterFreesItNamingTheReporter() {
    var ci = go("shop", "ci", T0);
    var next = go("billing", "mallory", T0.plusSeconds(1));
    var s = EnvironmentGate.admit(EnvironmentGate.admit(empty(), ci, QUEUE_1, T0).state(), next, QUEUE_1, T0).state();
    record Reporter(Identity who, ReporterStanding standing) {}
    for (var r : List.of(new Reporter(new Identity(Identity.Kind.GITHUB, "octocat"), ReporterStanding.PLATFORM),
        new Reporter(Identity.token("root"), ReporterStanding.ADMIN),
        new Reporter(Identity.token("argo"), ReporterStanding.DEPLOY_REPORTER),
        new Reporter(Identity.token("ci"), ReporterStanding.REQUESTER))) {
      var end = deploy(ci, DeployStatus.FAILED).withReporter(r.who(), r.standing());
      var step = EnvironmentGate.deployed(s, end, QUEUE_1, T0.plusSeconds(5));
      assertEquals(List.of("e2"), step.verdicts().stream().map(VerdictReached::evaluationId).toList(), r.toString());
      assertEquals(Decision.GO, step.verdicts().get(0).decision());
      AuditRecorded released = step.audits().get(0);
      assertEquals(AuditKind.QUEUE_RELEASED, released.kind());
      assertEquals(r.who().toString(), released.actor(), "names who reported the end");
      assertTrue(released.detail().contains("of ci freed"), released.detail());
    }
  }

  /**
   * The slot's own party ends its slot whatever standing the views gave its report: the views may have lagged (the GO
   * not read yet) or kept someone else's first GO of the commit, and the honest pipeline's queue must still move.
   */
  @Test
  void theSlotsOwnPartyEndsItWhateverTheStandingTheViewsGaveItsReport() {
    var ci = go("shop", "ci", T0);
    var next = go("billing", "mallory", T0.plusSeconds(1));
    var s = EnvironmentGate.admit(EnvironmentGate.admit(empty(), ci, QUEUE_1, T0).state(), next, QUEUE_1, T0).state();
    for (var standing : List.of(ReporterStanding.NONE, ReporterStanding.UNKNOWN)) {
      var end = deploy(ci, DeployStatus.SUCCEEDED).withReporter(Identity.token("ci"), standing);
      var step = EnvironmentGate.deployed(s, end, QUEUE_1, T0.plusSeconds(5));
      assertEquals(List.of("e2"), step.verdicts().stream().map(VerdictReached::evaluationId).toList(), standing.name());
      assertEquals(AuditKind.QUEUE_RELEASED, step.audits().get(0).kind());
      assertEquals("token:ci", step.audits().get(0).actor());
    }
  }

  static DeploymentRecorded deploy(AdmissionRequested a, DeployStatus status) {
    var t = a.verdict().target();
    return new DeploymentRecorded(DeploymentRecorded.SCHEMA_VERSION, a.verdict().evaluationId(), "r", "d-" + t.candidate(),
        t.tenant(), t.repository(), t.environment(), t.candidate(), status, null, Source.API, T0, T0, T0);
  }

  @Test
  void ordinalsReadAsPeopleSayThem() {
    assertEquals(List.of("1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd"),
        List.of(1, 2, 3, 4, 11, 12, 13, 21, 22).stream().map(EnvironmentGate::ordinal).toList());
  }
}
