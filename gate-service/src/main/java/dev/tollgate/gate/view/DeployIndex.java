package dev.tollgate.gate.view;

import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.history.CandidateStatus;
import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.history.DeployRecord;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.contracts.history.DeploymentRecorded;
import dev.tollgate.contracts.lock.Identity;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.offheap.OffHeapStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deploy history built from recorded deploys and verdicts: per environment the recent deploys (the rollback
 * target, deploy durations), and per commit where it got a GO and where it was deployed (promotion proof).
 * Written by the views thread only; read from any thread (immutable snapshots per key).
 *
 * <p>A report nobody vouched for ({@link DeploymentRecorded#vouched()}) is kept in the environment's list, for people
 * to see with who made it, and as the untrusted baseline a verdict warns about: it marks no commit deployed (promotion
 * proof, artifact digests), is never the trusted baseline, the rollback target or what runs there, and probes never see
 * it.
 */
final class DeployIndex {
  static final int KEPT_PER_ENVIRONMENT = 50;
  static final int SHOWN_PER_ENVIRONMENT = 20;
  /**
   * Reports nobody vouched for kept per environment, apart from the vouched ones: a flood of them must not push the
   * trusted baseline, the rollback target or what runs there out of the list.
   */
  static final int KEPT_UNVOUCHED_PER_ENVIRONMENT = 20;
  /** GO parties kept per commit and environment, newest first: more GO requesters of one commit than this is unusual. */
  static final int KEPT_GO_PARTIES = 8;

  /** (tenant, repository, environment) → deploys, newest first; a record key, so no two targets share one (a joined string could). */
  private final Map<EnvironmentDeploys.Target, List<DeployRecord>> deploys = new ConcurrentHashMap<>();
  /**
   * tenant|repository|commit → environment → status, off the heap: one per commit that got a GO or was deployed, for as
   * long as the gate runs (a few hundred bytes each on the heap, the largest thing left growing with history).
   */
  private final OffHeapStore commits;
  private static final byte COMMIT = 'c';

  DeployIndex(OffHeapStore store) {
    this.commits = store;
  }

  /**
   * What {@link #commits} keeps per commit.
   *
   * @param goParties per environment, who submitted (or deploys for) its GO and OVERRIDDEN evaluations, in their
   *     namespaces, newest first, at most {@value #KEPT_GO_PARTIES}: a report by one of them stands on its own GO, not
   *     only on the first one (absent in a record written before it was kept: none)
   */
  record Statuses(Map<String, CandidateStatus> byEnvironment, Map<String, List<Identity>> goParties) {
    Statuses {
      goParties = goParties == null ? Map.of() : goParties;
    }
  }

  private static byte[] commitKey(String tenant, String repository, String commit) {
    // Each part length-prefixed: joined with a separator, tenant "a|b" + repository "c" and tenant "a" + repository "b|c"
    // would share one status, and one tenant's GO would make another's commit a trusted baseline.
    return OffHeapStore.key(new byte[] {COMMIT}, OffHeapStore.name(tenant), OffHeapStore.name(repository), OffHeapStore.name(commit));
  }

  private Map<String, CandidateStatus> statuses(String tenant, String repository, String commit) {
    return record(tenant, repository, commit).byEnvironment();
  }

  private Statuses record(String tenant, String repository, String commit) {
    byte[] bytes = commits.get(commitKey(tenant, repository, commit));
    return bytes == null ? new Statuses(Map.of(), Map.of()) : Json.read(bytes, Statuses.class);
  }

  void onDeployment(DeploymentRecorded d) {
    EnvironmentDeploys.Target key = new EnvironmentDeploys.Target(d.tenant(), d.repository(), d.environment());
    Deque<DeployRecord> list = new ArrayDeque<>(deploys.getOrDefault(key, List.of()));
    DeployRecord merged = new DeployRecord(d.commit(), d.status(), d.startedAt(), d.finishedAt(), d.artifactDigest(),
        d.deploymentId(), d.reportedBy(), d.standing());
    // Updates of one deployment (STARTED, then SUCCEEDED) replace the earlier record and keep its start time. Only
    // updates as believed as it: a report without standing naming a vouched deployment's id must not replace (or
    // lend its digest to) it, nor inherit its standing.
    for (Iterator<DeployRecord> it = list.iterator(); it.hasNext(); ) {
      DeployRecord r = it.next();
      if (r.deploymentId() != null && r.deploymentId().equals(d.deploymentId()) && r.vouched() == d.vouched()) {
        merged = new DeployRecord(d.commit(), d.status(), d.startedAt() != null ? d.startedAt() : r.startedAt(),
            d.finishedAt() != null ? d.finishedAt() : r.finishedAt(),
            d.artifactDigest() != null ? d.artifactDigest() : r.artifactDigest(), d.deploymentId(), d.reportedBy(),
            d.standing());
        it.remove();
      }
    }
    list.addFirst(merged);
    deploys.put(key, bounded(list));
    if (d.status() == DeployStatus.SUCCEEDED && d.vouched()) {
      String digest = merged.artifactDigest();
      update(d.tenant(), d.repository(), d.commit(), d.environment(), s -> new CandidateStatus(s.go(), true, s.evaluationId(),
          digest != null ? digest : s.artifactDigest()));
    }
  }

  /**
   * Newest first, at most {@value #KEPT_PER_ENVIRONMENT} records of which at most
   * {@value #KEPT_UNVOUCHED_PER_ENVIRONMENT} nobody vouched for: the oldest unvouched go first, so reports anyone can
   * post never evict the vouched history.
   */
  private static List<DeployRecord> bounded(Deque<DeployRecord> list) {
    List<DeployRecord> kept = new ArrayList<>();
    int unvouched = 0;
    for (DeployRecord r : list) {
      if (!r.vouched() && ++unvouched > KEPT_UNVOUCHED_PER_ENVIRONMENT) {
        continue;
      }
      kept.add(r);
    }
    return List.copyOf(kept.subList(0, Math.min(KEPT_PER_ENVIRONMENT, kept.size())));
  }

  /**
   * A verdict of an evaluation; {@code parties} are its submitter and deployers in their namespaces (empty when the
   * views do not know its request).
   */
  void onVerdict(VerdictReached v, List<Identity> parties) {
    if (v.decision().permitsDeploy()) {
      var t = v.target();
      update(t.tenant(), t.repository(), t.candidate(), t.environment(), s -> new CandidateStatus(true, s.deployed(),
          s.evaluationId() != null ? s.evaluationId() : v.evaluationId(), s.artifactDigest()), parties);
    }
  }

  private void update(String tenant, String repository, String commit, String environment,
      java.util.function.UnaryOperator<CandidateStatus> change) {
    update(tenant, repository, commit, environment, change, List.of());
  }

  private void update(String tenant, String repository, String commit, String environment,
      java.util.function.UnaryOperator<CandidateStatus> change, List<Identity> goParties) {
    // Written by the views thread only: read, change, write back.
    Statuses before = record(tenant, repository, commit);
    Map<String, CandidateStatus> next = new HashMap<>(before.byEnvironment());
    next.put(environment, change.apply(next.getOrDefault(environment, new CandidateStatus(false, false, null))));
    Map<String, List<Identity>> parties = new HashMap<>(before.goParties());
    if (!goParties.isEmpty()) {
      List<Identity> newest = new ArrayList<>(goParties);
      parties.getOrDefault(environment, List.of()).stream().filter(p -> goParties.stream().noneMatch(p::sameAs))
          .forEach(newest::add);
      parties.put(environment, List.copyOf(newest.subList(0, Math.min(KEPT_GO_PARTIES, newest.size()))));
    }
    byte[] bytes = Json.write(new Statuses(next, parties));
    commits.write(b -> b.put(commitKey(tenant, repository, commit), bytes));
  }

  /**
   * Who submitted (or deploys for) the GO and OVERRIDDEN evaluations of {@code commit} in {@code environment}, newest
   * first, at most {@value #KEPT_GO_PARTIES}. One lookup in the off-heap store.
   */
  List<Identity> goParties(String tenant, String repository, String environment, String commit) {
    return record(tenant, repository, commit).goParties().getOrDefault(environment, List.of());
  }

  /**
   * The history to attach to an evaluation of {@code candidate} in {@code environment}: vouched deploys only, so no
   * probe takes a report without standing as the rollback target or a deploy's duration.
   */
  DeployHistory historyFor(String tenant, String repository, String environment, String candidate) {
    return history(tenant, repository, environment, candidate, true);
  }

  /** The history as recorded, reports without standing included (each says so): what people are shown. */
  DeployHistory recordedHistory(String tenant, String repository, String environment, String candidate) {
    return history(tenant, repository, environment, candidate, false);
  }

  private DeployHistory history(String tenant, String repository, String environment, String candidate,
      boolean vouchedOnly) {
    List<DeployRecord> shown = deploys.getOrDefault(new EnvironmentDeploys.Target(tenant, repository, environment), List.of())
        .stream().filter(r -> !vouchedOnly || r.vouched()).limit(SHOWN_PER_ENVIRONMENT).toList();
    return new DeployHistory(shown, statuses(tenant, repository, candidate));
  }

  /**
   * The commit of the newest successful deploy of the environment, trusted or not, vouched for or not: only ever named
   * as the untrusted baseline (a warning on the next verdict; the range starts at {@link #lastTrustedDeploy}), so a
   * report that may be true makes the next evaluation more careful, never less.
   */
  Optional<String> lastDeployed(String tenant, String repository, String environment) {
    return deploys.getOrDefault(new EnvironmentDeploys.Target(tenant, repository, environment), List.of()).stream()
        .filter(r -> r.status() == DeployStatus.SUCCEEDED).map(DeployRecord::commit).findFirst();
  }

  /**
   * What Tollgate knows of {@code commit} in {@code environment}: whether it decided GO (or OVERRIDDEN) for it there,
   * whether a successful deploy was recorded. One lookup in the off-heap store.
   */
  CandidateStatus status(String tenant, String repository, String environment, String commit) {
    CandidateStatus s = statuses(tenant, repository, commit).get(environment);
    return s == null ? new CandidateStatus(false, false, null) : s;
  }

  /**
   * The commit of the newest successful deploy of the environment that Tollgate decided GO or OVERRIDDEN for there:
   * the baseline the gate trusts. A deploy recorded without a GO (a bypass), or reported by nobody who may vouch for
   * it, is skipped, so the next evaluation checks
   * its changes too. Looks at the environment's kept deploys only (at most {@value #KEPT_PER_ENVIRONMENT}).
   */
  Optional<String> lastTrustedDeploy(String tenant, String repository, String environment) {
    for (DeployRecord r : deploys.getOrDefault(new EnvironmentDeploys.Target(tenant, repository, environment), List.of())) {
      if (r.status() == DeployStatus.SUCCEEDED && r.vouched() && status(tenant, repository, environment, r.commit()).go()) {
        return Optional.of(r.commit());
      }
    }
    return Optional.empty();
  }

  /** Recent deploys of every repository and environment (the dashboard's environments page). */
  List<EnvironmentDeploys> all() {
    List<EnvironmentDeploys> out = new ArrayList<>();
    deploys.forEach((t, list) -> out.add(new EnvironmentDeploys(t.tenant(), t.repository(), t.environment(), list)));
    return out;
  }
}
