package dev.tollgate.gate.delivery;

import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.history.DeploymentRecorded;
import dev.tollgate.contracts.override.OverrideRecorded;
import dev.tollgate.contracts.probe.CommitRange;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.contracts.verdict.ReasonCode;
import dev.tollgate.contracts.verdict.VerdictReached;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The delivery figures, updated one record at a time and kept per (tenant, environment, repository) and UTC day, so a
 * report over 90 days adds day buckets instead of reading deploys. Fed in any order across topics (a deploy may be
 * read before the results of its evaluation: its lead time waits for them); within one environment's deploys, in
 * the order recorded (one partition). Memory is bounded by what happened in the last {@link #RETAINED_DAYS} days, not
 * by the history: older day buckets are overwritten, older evaluations dropped. Thread-safe (one lock: writes are a
 * few map updates, a report a sum over buckets).
 *
 * <p>The definitions, in words, are in {@code docs/delivery-metrics.md}; each method says which it implements.
 */
public final class DeliveryHistory {
  /** The longest period a report covers, in days (today included). */
  public static final int MAX_DAYS = 90;
  /** Day buckets kept: the longest period plus a day, so a report at any hour of today has its first day. */
  static final int RETAINED_DAYS = MAX_DAYS + 1;
  /** Successful deploys remembered per repository environment: how far back a rollback is recognised. */
  static final int RECENT_DEPLOYS = 50;
  /** Deployment ids remembered per repository environment, to count a redelivered outcome once. */
  static final int KNOWN_IDS = 200;
  static final String ZONE = "UTC";
  /** Where a hold counts while the calendar result that names its window has not been read. */
  static final String WINDOW_NOT_READ = "calendar (window not read)";
  /** Holds of a lock and of the deploy queue, listed beside the calendar windows that held deploys. */
  static final String HELD_BY_LOCK = "deploy lock";
  static final String HELD_BY_QUEUE = "deploy queue";
  private static final long SECONDS_PER_DAY = 86_400;
  /** The calendar probe's finding fingerprints: {@code calendar:<kind>:<region>:<name>:<start instant>}. */
  private static final Pattern CALENDAR_WINDOW = Pattern.compile("calendar:([a-z-]+):([^:]*):(.+?):\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z");

  private final DeliverySettings settings;
  private final Clock clock;
  private final String definitions;
  private final Map<Scope, ScopeState> scopes = new HashMap<>();
  private final Map<String, Eval> evals = new HashMap<>();
  /** tenant|repository|environment|commit → the newest evaluation of that commit there. */
  private final Map<String, String> evalByCandidate = new HashMap<>();
  /** Deploys whose lead time waits for their evaluation's results, by evaluation id and by candidate key. */
  private final Map<String, List<Pending>> pending = new HashMap<>();
  private long prunedOn = Long.MIN_VALUE;
  private volatile boolean caughtUp;

  /**
   * @param definitions where the definitions are published (the API links it)
   */
  public DeliveryHistory(DeliverySettings settings, Clock clock, String definitions) {
    this.settings = settings;
    this.clock = clock;
    this.definitions = definitions;
  }

  /** One repository in one environment of one tenant: the unit every figure is kept for. */
  record Scope(String tenant, String environment, String repository) {}

  /** Marks the history as read to the end of the topics as they were at start. */
  void caughtUp() {
    caughtUp = true;
  }

  // ---------------------------------------------------------------------------------------------- deploys

  /**
   * A deploy started, succeeded, failed or was canceled. A deployment counts once, at its first outcome, on the UTC
   * day it finished (never later than when the gate recorded it: a caller cannot put a deploy in the future). A
   * report nobody vouched for counts in no metric, whatever its status: anyone with a requester token could otherwise
   * inflate deploy frequency, fake a recovery or a change failure, or take a deployment id first so the real report
   * of it is ignored as a repeat.
   */
  public synchronized void onDeployment(DeploymentRecorded d) {
    if (!d.vouched()) {
      return;
    }
    prune();
    Scope scope = new Scope(d.tenant(), d.environment(), d.repository());
    ScopeState st = scopes.computeIfAbsent(scope, k -> new ScopeState());
    String id = d.deploymentId();
    switch (d.status()) {
      case STARTED -> {
        if (st.outcomes.contains(id) || st.started.containsKey(id)) {
          return;
        }
        long day = day(notAfter(d.startedAt() != null ? d.startedAt() : d.recordedAt(), d.recordedAt()));
        DayBucket b = st.bucket(day, today());
        if (b != null) {
          b.unfinished++;
        }
        st.started.put(id, day);
        if (st.started.size() > KNOWN_IDS) {
          Iterator<Map.Entry<String, Long>> it = st.started.entrySet().iterator();
          Map.Entry<String, Long> oldest = it.next();
          it.remove();
          DayBucket ob = st.bucket(oldest.getValue(), today());
          if (ob != null) {
            ob.unfinished--;
          }
        }
      }
      case CANCELED -> {
        if (st.remember(id)) {
          st.finish(id, today());
        }
      }
      case SUCCEEDED, FAILED -> {
        if (!st.remember(id)) {
          return; // the same outcome again (a redelivered webhook), or a second outcome: the first one counts
        }
        st.finish(id, today());
        Instant at = notAfter(d.finishedAt() != null ? d.finishedAt() : d.recordedAt(), d.recordedAt());
        long day = day(at);
        DayBucket b = st.bucket(day, today());
        if (d.status() == dev.tollgate.contracts.history.DeployStatus.FAILED) {
          if (b != null) {
            b.failedDeploys++;
          }
          if (st.failedSince == null) {
            st.failedSince = at;
          }
          return;
        }
        succeeded(scope, st, d, at, day, b);
      }
      default -> {
        // UNKNOWN: a status this version does not know is no deploy
      }
    }
  }

  /** A successful deploy: frequency, rollback or hotfix of earlier deploys, the end of a failure, lead time. */
  private void succeeded(Scope scope, ScopeState st, DeploymentRecorded d, Instant at, long day, DayBucket b) {
    if (b != null) {
      b.deploys++;
    }
    Instant failureStart = st.failedSince;
    Live live = st.recent.peekFirst();
    boolean redeploy = live != null && live.commit.equals(d.commit());
    int target = -1;
    if (!redeploy) {
      int i = 0;
      for (Live l : st.recent) {
        if (l.commit.equals(d.commit())) {
          target = i;
          break;
        }
        i++;
      }
    }
    long window = settings.failureWindow().toSeconds();
    if (target > 0) {
      // A rollback: every deploy after the commit's earlier deploy is undone; those that went out within the window
      // are failed changes, and the failure began when the first of them went out.
      int i = 0;
      for (Live u : st.recent) {
        if (i++ == target) {
          break;
        }
        if (!u.failed && seconds(u.at, at) <= window) {
          u.failed = true;
          DayBucket ub = st.bucket(u.day, today());
          if (ub != null) {
            ub.rolledBack++;
          }
          failureStart = earliest(failureStart, u.at);
        }
      }
    } else if (!redeploy && live != null && settings.isHotfix(d.ref()) && !live.failed && seconds(live.at, at) <= window) {
      live.failed = true;
      DayBucket lb = st.bucket(live.day, today());
      if (lb != null) {
        lb.hotfixed++;
      }
      failureStart = earliest(failureStart, live.at);
    }
    if (failureStart != null) {
      if (b != null) {
        b.restore.add(seconds(failureStart, at));
      }
      st.failedSince = null;
    }
    if (target < 0 && !redeploy) {
      leadTime(scope, d, at, day, b);
    }
    st.recent.addFirst(new Live(d.commit(), at, day));
    if (st.recent.size() > RECENT_DEPLOYS) {
      st.recent.removeLast();
    }
  }

  /**
   * Lead time for changes of one successful deploy: from the author time of the oldest commit of the range its
   * evaluation read to the deploy. The evaluation is the one the deploy names, if it is of the same tenant,
   * repository, environment and commit (a caller cannot borrow another's), else the newest evaluation of that
   * commit there.
   */
  private void leadTime(Scope scope, DeploymentRecorded d, Instant at, long day, DayBucket b) {
    Pending p = new Pending(scope, d.commit(), at, day);
    Eval e = evalFor(p, d.evaluationId());
    if (classify(p, e)) {
      return;
    }
    if (b != null) {
      b.leadUnknown++;
    }
    p.counted = b != null;
    if (d.evaluationId() != null) {
      pending.computeIfAbsent("id:" + d.evaluationId(), k -> new ArrayList<>()).add(p);
    }
    pending.computeIfAbsent(candidateKey(scope, d.commit()), k -> new ArrayList<>()).add(p);
  }

  private Eval evalFor(Pending p, String evaluationId) {
    Eval e = evaluationId == null ? null : evals.get(evaluationId);
    if (e != null && e.matches(p)) {
      return e;
    }
    String id = evalByCandidate.get(candidateKey(p.scope, p.commit));
    e = id == null ? null : evals.get(id);
    return e != null && e.matches(p) ? e : null;
  }

  /** Adds the lead time of a deploy when its evaluation tells it; true when decided (measured or not a change). */
  private boolean classify(Pending p, Eval e) {
    if (e == null) {
      return false;
    }
    if (e.range != null) {
      long lead = seconds(e.range.oldestAuthoredAt(), p.at);
      ScopeState st = scopes.get(p.scope);
      DayBucket b = st == null ? null : st.bucket(p.day, today());
      if (b != null && lead >= 0) {
        b.lead.add(lead);
        if (e.range.truncated()) {
          b.leadLowerBounds++;
        }
      } else if (b != null) {
        b.leadUnknown++; // a commit dated after its deploy: its author's clock or a forged date, not a lead time
      }
      return true;
    }
    // A first deploy ships the whole history and a redeploy nothing: no change waited, no lead time.
    return e.baselineKnown && e.baseline == null || e.noNewCommits;
  }

  private void resolve(String id, Eval e) {
    if (!e.targetKnown || e.range == null && !e.noNewCommits && e.baseline != null) {
      return;
    }
    for (String key : List.of("id:" + id, candidateKey(e.scope(), e.candidate))) {
      List<Pending> waiting = pending.get(key);
      if (waiting == null) {
        continue;
      }
      for (Iterator<Pending> it = waiting.iterator(); it.hasNext(); ) {
        Pending p = it.next();
        if (p.done) {
          it.remove();
          continue;
        }
        if (e.matches(p) && classifyLater(p, e)) {
          it.remove();
        }
      }
      if (waiting.isEmpty()) {
        pending.remove(key);
      }
    }
  }

  private boolean classifyLater(Pending p, Eval e) {
    ScopeState st = scopes.get(p.scope);
    DayBucket b = st == null ? null : st.bucket(p.day, today());
    if (p.counted && b != null) {
      b.leadUnknown--;
    }
    p.done = true;
    if (!classify(p, e) && p.counted && b != null) {
      b.leadUnknown++;
      p.done = false;
      return false;
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------- evaluations

  /**
   * A probe's result: the commit range its worker read (lead time), the rules of its blocking findings (what blocked
   * most) and, for the calendar probe, the windows that blocked.
   */
  public synchronized void onResult(ProbeCompleted p) {
    prune();
    Eval e = eval(p.evaluationId(), p.completedAt());
    Findings f = e.results.get(p.probe());
    if (f == null || p.attempt() >= f.attempt) {
      f = new Findings(p.attempt());
      for (Finding finding : p.findings()) {
        if (finding.severity() == Severity.BLOCK) {
          f.block.add(finding.ruleId());
        } else if (finding.severity() == Severity.WARN) {
          f.warn.add(finding.ruleId());
        }
        if (p.probe().equals(ProbeId.CALENDAR) && finding.severity() == Severity.BLOCK) {
          e.calendarWindows.add(calendarWindow(finding));
        }
      }
      e.results.put(p.probe(), f);
      attributeHolds(e);
    }
    boolean changed = false;
    if (p.range() != null && e.range == null) {
      e.range = p.range();
      changed = true;
    } else if (p.range() == null && p.status() != ProbeStatus.ERROR && e.range == null && !e.noNewCommits) {
      e.noNewCommits = true; // the worker read the repository and found no commit to ship
      changed = true;
    }
    if (changed) {
      resolve(p.evaluationId(), e);
    }
    if (e.revision > 0 && e.blockingProbes.containsKey(p.probe())) {
      countRules(e, p.probe());
    }
  }

  /** Moves holds that ended before the calendar's result was read from {@link #WINDOW_NOT_READ} to its windows. */
  private void attributeHolds(Eval e) {
    if (e.unattributedHolds.isEmpty() || e.calendarWindows.isEmpty() || !e.targetKnown) {
      return;
    }
    ScopeState st = scopes.get(e.scope());
    for (long[] hold : e.unattributedHolds) {
      DayBucket b = st == null ? null : st.bucket(hold[0], today());
      long[] unread = b == null ? null : b.calendars.get(WINDOW_NOT_READ);
      if (unread == null) {
        continue; // that day has left the ring
      }
      if (--unread[0] <= 0) {
        b.calendars.remove(WINDOW_NOT_READ);
      } else {
        unread[1] -= hold[1];
      }
      for (String w : e.calendarWindows) {
        b.calendars.computeIfAbsent(w, k -> new long[2])[0]++;
        b.calendars.get(w)[1] += hold[1];
      }
    }
    e.unattributedHolds.clear();
  }

  /**
   * A verdict revision: the evaluation's latest state (GO, NO_GO, OVERRIDDEN or held) counts on the UTC day it was
   * requested; a hold that ends adds its length on the day it ended; each probe that blocked counts once per evaluation.
   */
  public synchronized void onVerdict(VerdictReached v) {
    prune();
    Eval e = eval(v.evaluationId(), v.requestedAt() != null ? v.requestedAt() : v.decidedAt());
    if (v.revision() <= e.revision) {
      return; // a redelivered or older revision
    }
    boolean first = !e.targetKnown;
    e.revision = v.revision();
    if (first) {
      e.target(v.target(), day(v.requestedAt() != null ? v.requestedAt() : v.decidedAt()));
      String key = candidateKey(e.scope(), e.candidate);
      String previous = evalByCandidate.get(key);
      Eval prev = previous == null ? null : evals.get(previous);
      if (prev == null || prev.requestDay <= e.requestDay) {
        evalByCandidate.put(key, v.evaluationId());
      }
    }
    ScopeState st = scopes.computeIfAbsent(e.scope(), k -> new ScopeState());
    DayBucket requested = st.bucket(e.requestDay, today());
    State state = v.held() ? State.HELD : switch (v.decision()) {
      case GO -> State.GO;
      case OVERRIDDEN -> State.OVERRIDDEN;
      default -> State.NO_GO; // NO_GO, and a decision this version does not know (read as NO_GO)
    };
    if (requested != null) {
      if (e.state != null) {
        requested.verdicts[e.state.ordinal()]--;
      }
      requested.verdicts[state.ordinal()]++;
    }
    if (e.state == State.HELD) {
      st.heldNow--;
    }
    if (state == State.HELD) {
      st.heldNow++;
    }
    e.state = state;
    if (e.heldSince != null) {
      long held = seconds(e.heldSince, v.decidedAt());
      DayBucket ended = st.bucket(day(v.decidedAt()), today());
      if (ended != null && held >= 0) {
        ended.holds++;
        ended.heldSeconds += held;
        if (e.heldBy != null) {
          ended.calendars.computeIfAbsent(e.heldBy, k -> new long[2])[0]++;
          ended.calendars.get(e.heldBy)[1] += held;
        } else if (e.calendarWindows.isEmpty()) {
          // Read from the beginning, topics interleave: the calendar's result may come after the verdict that ended
          // its hold. Counted as unread until then (onResult moves it).
          e.unattributedHolds.add(new long[] {day(v.decidedAt()), held});
        }
        Collection<String> windows = e.heldBy != null ? List.of() : e.calendarWindows.isEmpty() ? List.of(WINDOW_NOT_READ)
            : e.calendarWindows;
        for (String w : windows) {
          ended.calendars.computeIfAbsent(w, k -> new long[2])[0]++;
          ended.calendars.get(w)[1] += held;
        }
      }
      e.heldSince = null;
    }
    if (v.held()) {
      e.heldSince = v.decidedAt();
      // A lock or the queue held it, not a calendar window: counted under its own name.
      ReasonCode why = v.reasons().isEmpty() ? null : v.reasons().get(0).code();
      e.heldBy = why == ReasonCode.LOCKED ? HELD_BY_LOCK : why == ReasonCode.QUEUED ? HELD_BY_QUEUE : null;
    }
    if (v.decision() == Decision.NO_GO) {
      for (Reason r : v.reasons()) {
        if (r.probe() != null && BLOCKING.contains(r.code()) && e.blockingProbes.putIfAbsent(r.probe(), r.code()) == null) {
          if (requested != null) {
            long[] counts = requested.probes.computeIfAbsent(r.probe().value(), k -> new long[3]);
            counts[r.code() == ReasonCode.PROBE_ERRORED || r.code() == ReasonCode.PROBE_STATUS_UNKNOWN ? 1
                : r.code() == ReasonCode.PROBE_TIMED_OUT ? 2 : 0]++;
          }
          countRules(e, r.probe());
        }
      }
    }
    if (first) {
      resolve(v.evaluationId(), e);
    }
  }

  private static final Set<ReasonCode> BLOCKING = Set.of(ReasonCode.PROBE_FAILED, ReasonCode.WARNINGS_BLOCK,
      ReasonCode.PROBE_ERRORED, ReasonCode.PROBE_TIMED_OUT, ReasonCode.PROBE_STATUS_UNKNOWN);

  /** Counts, once per evaluation, the rules whose findings made {@code probe} block it. */
  private void countRules(Eval e, ProbeId probe) {
    Findings f = e.results.get(probe);
    ReasonCode code = e.blockingProbes.get(probe);
    if (f == null || code == null) {
      return;
    }
    ScopeState st = scopes.get(e.scope());
    DayBucket b = st == null ? null : st.bucket(e.requestDay, today());
    Set<String> rules = new LinkedHashSet<>(f.block);
    if (code == ReasonCode.WARNINGS_BLOCK) {
      rules.addAll(f.warn);
    }
    for (String rule : rules) {
      if (e.countedRules.add(rule) && b != null) {
        b.rules.merge(rule, 1L, Long::sum);
      }
    }
  }

  /**
   * An override vote. An approval counts on the UTC day it was recorded, for its approver; a withdrawal takes the
   * voter's approval of that verdict revision back from the day it counted on; a rejection approves nothing.
   */
  public synchronized void onOverride(OverrideRecorded o) {
    prune();
    Eval e = eval(o.evaluationId(), o.recordedAt());
    if (!e.overrideIds.add(o.overrideId())) {
      return;
    }
    DeployTarget t = o.target();
    ScopeState st = scopes.computeIfAbsent(new Scope(t.tenant(), t.environment(), t.repository()), k -> new ScopeState());
    switch (o.decision()) {
      case APPROVE -> {
        long day = day(notAfter(o.recordedAt(), clock.instant()));
        DayBucket b = st.bucket(day, today());
        if (b == null) {
          return;
        }
        for (String approver : o.approvers()) {
          b.overrideVotes++;
          b.approvers.merge(approver, 1L, Long::sum);
          e.approvals.put(approver + "|" + o.revision(), day);
        }
      }
      case WITHDRAW -> {
        for (String voter : o.approvers()) {
          Long day = e.approvals.remove(voter + "|" + o.revision());
          DayBucket b = day == null ? null : st.bucket(day, today(), false);
          if (b != null) {
            b.overrideVotes--;
            b.approvers.computeIfPresent(voter, (k, n) -> n > 1 ? n - 1 : null);
          }
        }
      }
      default -> {} // REJECT approves nothing; UNKNOWN is a vote this version cannot read
    }
  }

  /** {@code <kind> [region]: <name>} from a calendar finding's fingerprint, else its rule id. */
  static String calendarWindow(Finding f) {
    Matcher m = CALENDAR_WINDOW.matcher(f.fingerprint());
    if (!m.matches()) {
      return f.ruleId();
    }
    return m.group(1) + (m.group(2).isEmpty() ? "" : " " + m.group(2)) + ": " + m.group(3);
  }

  // ---------------------------------------------------------------------------------------------- reports

  /**
   * What a report is about.
   *
   * @param canRead the tenants the caller may read
   * @param tenant one tenant, or null for every tenant the caller may read
   * @param environment one environment, or null for each of {@code environments}
   * @param repository one repository, or null for all
   */
  public record Filter(Predicate<String> canRead, String tenant, String environment, String repository) {
    /** Every tenant and repository (operators' gauges). */
    public static Filter all(String environment) {
      return new Filter(t -> true, null, environment, null);
    }

    boolean accepts(Scope s) {
      return canRead.test(s.tenant()) && (tenant == null || tenant.equals(s.tenant()))
          && (environment == null || environment.equals(s.environment()))
          && (repository == null || repository.equals(s.repository()));
    }
  }

  /** The figures of the last {@code days} UTC days (today included), per environment of {@code environments}. */
  public DeliveryReport report(Collection<String> environments, Filter filter, int days) {
    if (days < 1 || days > MAX_DAYS) {
      throw new IllegalArgumentException("days: expected 1-" + MAX_DAYS + ", got " + days);
    }
    Instant now = clock.instant();
    LocalDate to = LocalDate.ofInstant(now, ZoneOffset.UTC);
    LocalDate from = to.minusDays(days - 1L);
    Map<String, Acc> acc = new LinkedHashMap<>();
    for (String env : environments) {
      if (filter.environment() == null || filter.environment().equals(env)) {
        acc.put(env, new Acc(from, to));
      }
    }
    synchronized (this) {
      long today = to.toEpochDay();
      for (Map.Entry<Scope, ScopeState> entry : scopes.entrySet()) {
        Acc a = acc.get(entry.getKey().environment());
        if (a == null || !filter.accepts(entry.getKey())) {
          continue;
        }
        ScopeState st = entry.getValue();
        a.heldNow += st.heldNow;
        a.openFailures += st.failedSince != null ? 1 : 0;
        for (long d = from.toEpochDay(); d <= today; d++) {
          DayBucket b = st.bucket(d, today, false);
          if (b != null) {
            a.add(b);
          }
        }
      }
    }
    List<DeliveryReport.EnvironmentFigures> out = new ArrayList<>();
    acc.forEach((env, a) -> out.add(a.figures(env, days)));
    return new DeliveryReport(now, from, to, days, ZONE, settings.failureWindow().toSeconds(), caughtUp, definitions, out);
  }

  /** The settings the figures were computed under. */
  public DeliverySettings settings() {
    return settings;
  }

  // ---------------------------------------------------------------------------------------------- state

  private enum State { GO, NO_GO, OVERRIDDEN, HELD }

  /** Counters of one scope's UTC day. */
  static final class DayBucket {
    final long day;
    long deploys;
    long failedDeploys;
    long unfinished;
    long rolledBack;
    long hotfixed;
    final LogHistogram lead = new LogHistogram();
    long leadLowerBounds;
    long leadUnknown;
    final LogHistogram restore = new LogHistogram();
    final long[] verdicts = new long[State.values().length];
    /** probe → {failed, errored, timed out}. */
    final Map<String, long[]> probes = new HashMap<>(4);
    final Map<String, Long> rules = new HashMap<>(4);
    long holds;
    long heldSeconds;
    /** window → {holds, seconds}. */
    final Map<String, long[]> calendars = new HashMap<>(2);
    long overrideVotes;
    final Map<String, Long> approvers = new HashMap<>(2);

    DayBucket(long day) {
      this.day = day;
    }

    long changeFailures() {
      return failedDeploys + rolledBack + hotfixed;
    }
  }

  /** One repository environment: its day buckets (a ring: a day older than the retention is overwritten) and deploys. */
  private static final class ScopeState {
    final DayBucket[] days = new DayBucket[RETAINED_DAYS + 2];
    /** Successful deploys, newest first. */
    final Deque<Live> recent = new ArrayDeque<>();
    /** Deployment ids with an outcome (or canceled), oldest first. */
    final LinkedHashSet<String> outcomes = new LinkedHashSet<>();
    /** Started deployments without an outcome yet → the day they started. */
    final LinkedHashMap<String, Long> started = new LinkedHashMap<>();
    Instant failedSince;
    int heldNow;

    DayBucket bucket(long day, long today) {
      return bucket(day, today, true);
    }

    /** The bucket of {@code day}, made when {@code create}; null outside the retained days (too old, or future). */
    DayBucket bucket(long day, long today, boolean create) {
      if (day <= today - RETAINED_DAYS || day > today + 1) {
        return null;
      }
      int i = (int) Math.floorMod(day, (long) days.length);
      DayBucket b = days[i];
      if (b == null || b.day != day) {
        if (!create) {
          return null;
        }
        b = new DayBucket(day);
        days[i] = b;
      }
      return b;
    }

    /** True the first time {@code id} gets an outcome. */
    boolean remember(String id) {
      if (!outcomes.add(id)) {
        return false;
      }
      if (outcomes.size() > KNOWN_IDS) {
        Iterator<String> it = outcomes.iterator();
        it.next();
        it.remove();
      }
      return true;
    }

    /** A started deployment got its outcome: no longer unfinished. */
    void finish(String id, long today) {
      Long day = started.remove(id);
      if (day != null) {
        DayBucket b = bucket(day, today, false);
        if (b != null) {
          b.unfinished--;
        }
      }
    }
  }

  /** A successful deploy still remembered: what a rollback or hotfix can undo. */
  private static final class Live {
    final String commit;
    final Instant at;
    final long day;
    boolean failed;

    Live(String commit, Instant at, long day) {
      this.commit = commit;
      this.at = at;
      this.day = day;
    }
  }

  /** A successful deploy whose lead time waits for its evaluation's results. */
  private static final class Pending {
    final Scope scope;
    final String commit;
    final Instant at;
    final long day;
    boolean counted;
    boolean done;

    Pending(Scope scope, String commit, Instant at, long day) {
      this.scope = scope;
      this.commit = commit;
      this.at = at;
      this.day = day;
    }
  }

  /** A probe's blocking and warning rules of its latest attempt. */
  private static final class Findings {
    final int attempt;
    final Set<String> block = new HashSet<>(2);
    final Set<String> warn = new HashSet<>(2);

    Findings(int attempt) {
      this.attempt = attempt;
    }
  }

  /** What the figures need of one evaluation (not its findings' text). */
  private static final class Eval {
    final Instant seen;
    boolean targetKnown;
    boolean baselineKnown;
    String tenant;
    String environment;
    String repository;
    String candidate;
    String baseline;
    long requestDay;
    int revision;
    State state;
    Instant heldSince;
    /** What held it, when not the calendar: a lock or the deploy queue (issue 21), else null. */
    String heldBy;
    CommitRange range;
    boolean noNewCommits;
    final Map<ProbeId, Findings> results = new HashMap<>(4);
    final Map<ProbeId, ReasonCode> blockingProbes = new HashMap<>(2);
    final Set<String> countedRules = new HashSet<>(2);
    final Set<String> calendarWindows = new LinkedHashSet<>(1);
    /** {UTC day, seconds} of holds that ended before the calendar's result was read. */
    final List<long[]> unattributedHolds = new ArrayList<>(0);
    final Set<String> overrideIds = new HashSet<>(1);
    /** voter|revision → the UTC day their standing approval counts on (a withdrawal takes it back from there). */
    final Map<String, Long> approvals = new HashMap<>(1);

    Eval(Instant seen) {
      this.seen = seen;
    }

    void target(DeployTarget t, long day) {
      targetKnown = true;
      baselineKnown = true;
      tenant = t.tenant();
      environment = t.environment();
      repository = t.repository();
      candidate = t.candidate();
      baseline = t.baseline();
      requestDay = day;
    }

    Scope scope() {
      return new Scope(tenant, environment, repository);
    }

    boolean matches(Pending p) {
      return targetKnown && p.scope.equals(scope()) && p.commit.equals(candidate);
    }
  }

  private Eval eval(String id, Instant seen) {
    return evals.computeIfAbsent(id, k -> new Eval(seen == null ? clock.instant() : seen));
  }

  /** Sums of the buckets of one environment over a period. */
  private static final class Acc {
    final LocalDate from;
    final LocalDate to;
    long deploys;
    long failedDeploys;
    long unfinished;
    long rolledBack;
    long hotfixed;
    final long[] lead = new long[LogHistogram.BINS];
    long leadLowerBounds;
    long leadUnknown;
    final long[] restore = new long[LogHistogram.BINS];
    final long[] verdicts = new long[State.values().length];
    final Map<String, long[]> probes = new TreeMap<>();
    final Map<String, Long> rules = new TreeMap<>();
    long holds;
    long heldSeconds;
    final Map<String, long[]> calendars = new TreeMap<>();
    long overrideVotes;
    final Map<String, Long> approvers = new TreeMap<>();
    long heldNow;
    long openFailures;
    final Map<Long, DayBucket> daily = new TreeMap<>();
    final Map<LocalDate, WeekAcc> weekly = new TreeMap<>();

    Acc(LocalDate from, LocalDate to) {
      this.from = from;
      this.to = to;
      for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
        daily.put(d.toEpochDay(), new DayBucket(d.toEpochDay()));
        weekly.computeIfAbsent(d.with(DayOfWeek.MONDAY), WeekAcc::new).days++;
      }
    }

    void add(DayBucket b) {
      deploys += b.deploys;
      failedDeploys += b.failedDeploys;
      unfinished += b.unfinished;
      rolledBack += b.rolledBack;
      hotfixed += b.hotfixed;
      b.lead.addTo(lead);
      leadLowerBounds += b.leadLowerBounds;
      leadUnknown += b.leadUnknown;
      b.restore.addTo(restore);
      for (int i = 0; i < verdicts.length; i++) {
        verdicts[i] += b.verdicts[i];
      }
      b.probes.forEach((p, c) -> {
        long[] sum = probes.computeIfAbsent(p, k -> new long[3]);
        for (int i = 0; i < 3; i++) {
          sum[i] += c[i];
        }
      });
      b.rules.forEach((r, n) -> rules.merge(r, n, Long::sum));
      holds += b.holds;
      heldSeconds += b.heldSeconds;
      b.calendars.forEach((w, c) -> {
        long[] sum = calendars.computeIfAbsent(w, k -> new long[2]);
        sum[0] += c[0];
        sum[1] += c[1];
      });
      overrideVotes += b.overrideVotes;
      b.approvers.forEach((a, n) -> approvers.merge(a, n, Long::sum));
      DayBucket day = daily.get(b.day);
      day.deploys += b.deploys;
      day.failedDeploys += b.failedDeploys;
      day.rolledBack += b.rolledBack;
      day.hotfixed += b.hotfixed;
      for (int i = 0; i < verdicts.length; i++) {
        day.verdicts[i] += b.verdicts[i];
      }
      WeekAcc w = weekly.get(LocalDate.ofEpochDay(b.day).with(DayOfWeek.MONDAY));
      b.lead.addTo(w.lead);
      b.restore.addTo(w.restore);
    }

    DeliveryReport.EnvironmentFigures figures(String env, int days) {
      long attempts = deploys + failedDeploys;
      long failures = failedDeploys + rolledBack + hotfixed;
      var deployments = new DeliveryReport.Deployments(deploys, failedDeploys, unfinished, round((double) deploys / days),
          round(deploys * 7.0 / days));
      var leadTime = new DeliveryReport.LeadTime(sum(lead), LogHistogram.quantile(lead, 0.5),
          LogHistogram.quantile(lead, 0.9), leadLowerBounds, leadUnknown);
      var cfr = new DeliveryReport.ChangeFailures(attempts, failures, attempts == 0 ? null : round((double) failures / attempts),
          failedDeploys, rolledBack, hotfixed);
      var ttr = new DeliveryReport.Restore(sum(restore), LogHistogram.quantile(restore, 0.5),
          LogHistogram.quantile(restore, 0.9), openFailures);
      List<DeliveryReport.ProbeCount> probeCounts = new ArrayList<>();
      probes.forEach((p, c) -> probeCounts.add(new DeliveryReport.ProbeCount(p, c[0] + c[1] + c[2], c[0], c[1], c[2])));
      probeCounts.sort(Comparator.comparingLong(DeliveryReport.ProbeCount::blocked).reversed()
          .thenComparing(DeliveryReport.ProbeCount::probe));
      List<DeliveryReport.RuleCount> ruleCounts = new ArrayList<>();
      rules.forEach((r, n) -> ruleCounts.add(new DeliveryReport.RuleCount(r, n)));
      ruleCounts.sort(Comparator.comparingLong(DeliveryReport.RuleCount::blocked).reversed()
          .thenComparing(DeliveryReport.RuleCount::ruleId));
      List<DeliveryReport.CalendarHold> windows = new ArrayList<>();
      calendars.forEach((w, c) -> windows.add(new DeliveryReport.CalendarHold(w, c[0], c[1])));
      windows.sort(Comparator.comparingLong(DeliveryReport.CalendarHold::seconds).reversed()
          .thenComparing(DeliveryReport.CalendarHold::calendar));
      List<DeliveryReport.ApproverVotes> votes = new ArrayList<>();
      approvers.forEach((a, n) -> votes.add(new DeliveryReport.ApproverVotes(a, n)));
      votes.sort(Comparator.comparingLong(DeliveryReport.ApproverVotes::votes).reversed()
          .thenComparing(DeliveryReport.ApproverVotes::approver));
      var gate = new DeliveryReport.Gate(verdicts[State.GO.ordinal()], verdicts[State.NO_GO.ordinal()],
          verdicts[State.OVERRIDDEN.ordinal()], verdicts[State.HELD.ordinal()], heldNow, probeCounts,
          ruleCounts.subList(0, Math.min(20, ruleCounts.size())), new DeliveryReport.Holds(holds, heldSeconds, windows),
          new DeliveryReport.Overrides(overrideVotes, votes));
      List<DeliveryReport.Day> dayList = new ArrayList<>();
      for (DayBucket d : daily.values()) {
        dayList.add(new DeliveryReport.Day(LocalDate.ofEpochDay(d.day), d.deploys, d.failedDeploys, d.changeFailures(),
            d.verdicts[0], d.verdicts[1], d.verdicts[2], d.verdicts[3]));
        WeekAcc w = weekly.get(LocalDate.ofEpochDay(d.day).with(DayOfWeek.MONDAY));
        w.deploys += d.deploys;
        w.failedDeploys += d.failedDeploys;
        w.changeFailures += d.changeFailures();
        for (int i = 0; i < w.verdicts.length; i++) {
          w.verdicts[i] += d.verdicts[i];
        }
      }
      List<DeliveryReport.Week> weeks = new ArrayList<>();
      for (WeekAcc w : weekly.values()) {
        long tries = w.deploys + w.failedDeploys;
        weeks.add(new DeliveryReport.Week(w.start.get(IsoFields.WEEK_BASED_YEAR) + "-W"
            + String.format(java.util.Locale.ROOT, "%02d", w.start.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)), w.start, w.days,
            w.deploys, w.failedDeploys, w.changeFailures, tries == 0 ? null : round((double) w.changeFailures / tries),
            LogHistogram.quantile(w.lead, 0.5), LogHistogram.quantile(w.restore, 0.5), w.verdicts[0], w.verdicts[1],
            w.verdicts[2], w.verdicts[3]));
      }
      return new DeliveryReport.EnvironmentFigures(env, deployments, leadTime, cfr, ttr, gate, dayList, weeks);
    }

    private static long sum(long[] dense) {
      long n = 0;
      for (long c : dense) {
        n += c;
      }
      return n;
    }

    private static double round(double v) {
      return Math.round(v * 10_000) / 10_000.0;
    }
  }

  private static final class WeekAcc {
    final LocalDate start;
    int days;
    long deploys;
    long failedDeploys;
    long changeFailures;
    final long[] verdicts = new long[State.values().length];
    final long[] lead = new long[LogHistogram.BINS];
    final long[] restore = new long[LogHistogram.BINS];

    WeekAcc(LocalDate start) {
      this.start = start;
    }
  }

  // ---------------------------------------------------------------------------------------------- time

  /** Once a UTC day: forgets evaluations and waiting deploys older than the retained days (and the failure window). */
  private void prune() {
    long today = today();
    if (today == prunedOn) {
      return;
    }
    prunedOn = today;
    Instant horizon = clock.instant().minus(Duration.ofDays(RETAINED_DAYS)).minus(settings.failureWindow());
    for (Iterator<Map.Entry<String, Eval>> it = evals.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Eval> entry = it.next();
      Eval e = entry.getValue();
      if (e.seen.isBefore(horizon)) {
        it.remove();
        if (e.targetKnown) {
          evalByCandidate.remove(candidateKey(e.scope(), e.candidate), entry.getKey());
          if (e.state == State.HELD) {
            ScopeState st = scopes.get(e.scope());
            if (st != null) {
              st.heldNow--;
            }
          }
        }
      }
    }
    long oldest = today - RETAINED_DAYS;
    pending.values().removeIf(list -> {
      list.removeIf(p -> p.done || p.day <= oldest);
      return list.isEmpty();
    });
  }

  private long today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toEpochDay();
  }

  private static long day(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), SECONDS_PER_DAY);
  }

  private static Instant notAfter(Instant at, Instant limit) {
    return at.isAfter(limit) ? limit : at;
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null || b.isBefore(a) ? b : a;
  }

  private static long seconds(Instant from, Instant to) {
    return Duration.between(from, to).toSeconds();
  }

  private static String candidateKey(Scope s, String commit) {
    return s.tenant() + "|" + s.repository() + "|" + s.environment() + "|" + commit;
  }
}
