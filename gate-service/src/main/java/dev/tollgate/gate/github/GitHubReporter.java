package dev.tollgate.gate.github;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.contracts.evaluation.GitHubOrigin;
import dev.tollgate.contracts.evaluation.RepositoryLocation;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.view.EvaluationView;
import dev.tollgate.gate.view.EvaluationViews;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers GitHub for evaluations it cares about: progress notes while probes run, then {@code approved} or
 * {@code rejected} with a comment on the deployment protection rule, and a commit status
 * {@code tollgate/<environment>} on the candidate (also for API-started evaluations of repositories this App is
 * installed on for the same tenant: repositories that use Tollgate without GitHub environments).
 *
 * <p>A Kafka consumer in its own group ({@code <namespace>tollgate-github-reporter}) over the request, result and
 * verdict topics, which are co-partitioned by evaluation id: with several gates exactly one reports each
 * evaluation, in order. The origin of an evaluation comes from the record itself or from this process's
 * {@link EvaluationViews}. Offsets are committed after the calls, so a crash repeats at most the last batch (GitHub
 * refuses a second review, which is logged and skipped). A new group starts a little before this process started,
 * never at the beginning of history: old deployments must not be reviewed again.
 *
 * <p>A held NO_GO (the gate will decide again at {@code retryAt}) is a progress note and a pending status, not a
 * rejection; the later revision decides.
 */
public final class GitHubReporter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GitHubReporter.class);
  /** GitHub accepts at most 10 progress reports per deployment (protocols §1.5). */
  static final int MAX_NOTES = 10;
  /** Probe notes stop here, so held notes of later revisions still fit. */
  static final int MAX_PROBE_NOTES = 7;
  /** How far back a brand-new group starts: verdicts published while this gate was starting are still reported. */
  static final Duration NEW_GROUP_LOOKBACK = Duration.ofMinutes(15);

  private final Topics topics;
  private final Map<String, Object> kafka;
  private final String groupId;
  private final EvaluationViews views;
  private final GitHubApi api;
  private final GitHubSettings settings;
  private final InstallationTokens tokens;
  private final Clock clock;
  private final Duration viewWait;
  /** The normalized web URL repositories of this App live under ({@code https://github.com}). */
  private final String webBase;
  /** What was reported per evaluation. Touched by the reporter thread only. */
  private final Cache<String, Progress> progress;
  /** Progress notes sent per deployment callback (GitHub's limit is per deployment). */
  private final Cache<String, Integer> notes;
  private final CountDownLatch assigned = new CountDownLatch(1);
  private volatile boolean running;
  private volatile Instant lastPoll = Instant.EPOCH;
  private Instant startedAt;
  private Thread thread;
  private KafkaConsumer<String, byte[]> consumer;

  /** Where and how one evaluation is reported; resolved once per evaluation. */
  private record Reporting(GitHubOrigin origin, long installationId, String ownerRepo, String environment) {
    boolean hasCallback() {
      return origin != null && origin.hasCallback();
    }
  }

  private static final class Progress {
    Reporting reporting;
    boolean resolved;
    boolean started;
    int revision;
    boolean decided;
    final Set<String> probes = new HashSet<>();
  }

  public GitHubReporter(Topics topics, Map<String, Object> kafka, EvaluationViews views, GitHubApi api, GitHubSettings settings,
      InstallationTokens tokens, Clock clock, MeterRegistry meters) {
    this(topics, kafka, topics.prefix() + "tollgate-github-reporter", views, api, settings, tokens, clock, meters,
        Duration.ofSeconds(5));
  }

  GitHubReporter(Topics topics, Map<String, Object> kafka, String groupId, EvaluationViews views, GitHubApi api,
      GitHubSettings settings, InstallationTokens tokens, Clock clock, MeterRegistry meters, Duration viewWait) {
    this.topics = topics;
    this.kafka = Map.copyOf(kafka);
    this.groupId = groupId;
    this.views = views;
    this.api = api;
    this.settings = settings;
    this.tokens = tokens;
    this.clock = clock;
    this.viewWait = viewWait;
    String probe = RepositoryLocation.parse(settings.webUrl() + "/x").value();
    this.webBase = probe.substring(0, probe.length() - 2);
    this.progress = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofDays(31)).recordStats().build();
    this.notes = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofDays(31)).recordStats().build();
    CaffeineCacheMetrics.monitor(meters, progress, "tollgate.github.reporter.evaluations");
    CaffeineCacheMetrics.monitor(meters, notes, "tollgate.github.reporter.notes");
  }

  /** Joins the group and starts reporting on its own thread. */
  public synchronized void start() {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "gate-github-reporter");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    // Each record may wait for GitHub (bounded retries): small batches and a long poll interval keep the group stable.
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
    p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Duration.ofMinutes(10).toMillis());
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    startedAt = clock.instant();
    running = true;
    thread = new Thread(this::run, "github-reporter");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      consumer.subscribe(List.of(topics.evaluationsRequested(), topics.probesCompleted(), topics.verdictsReached()),
          new StartNewGroupsRecently());
      views.awaitCaughtUp(Duration.ofSeconds(60)); // origins come from the views: let them read the history first
      while (running) {
        var batch = consumer.poll(Duration.ofMillis(200));
        lastPoll = Instant.now();
        for (ConsumerRecord<String, byte[]> record : batch) {
          handle(record);
        }
        if (!batch.isEmpty()) {
          consumer.commitSync();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.atError().addKeyValue("event", "github.reporter.failed").setCause(e).log("GitHub reporter stopped");
    } finally {
      running = false;
      consumer.close();
    }
  }

  /** A new group starts {@link #NEW_GROUP_LOOKBACK} before this process started; a known group where it stopped. */
  private final class StartNewGroupsRecently implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
      Map<TopicPartition, Long> fresh = new HashMap<>();
      for (TopicPartition tp : partitions) {
        if (committed.get(tp) == null) {
          fresh.put(tp, startedAt.minus(NEW_GROUP_LOOKBACK).toEpochMilli());
        }
      }
      if (!fresh.isEmpty()) {
        Map<TopicPartition, OffsetAndTimestamp> at = consumer.offsetsForTimes(fresh);
        for (TopicPartition tp : fresh.keySet()) {
          OffsetAndTimestamp o = at.get(tp);
          if (o != null) {
            consumer.seek(tp, o.offset());
          } else {
            consumer.seekToEnd(List.of(tp));
          }
        }
      }
      assigned.countDown();
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // offsets are committed after each batch
    }
  }

  private void handle(ConsumerRecord<String, byte[]> record) {
    String id = record.key();
    if (id == null) {
      return;
    }
    try {
      String topic = record.topic();
      if (topic.equals(topics.evaluationsRequested())) {
        onRequested(Json.read(record.value(), EvaluationRequested.class));
      } else if (topic.equals(topics.probesCompleted())) {
        onProbe(Json.read(record.value(), ProbeCompleted.class));
      } else if (topic.equals(topics.verdictsReached())) {
        onVerdict(Json.read(record.value(), VerdictReached.class));
      }
    } catch (Json.MalformedMessageException e) {
      // the aggregator dead-letters unreadable records; nothing to report for them
    } catch (RuntimeException e) {
      log.atWarn().addKeyValue("event", "github.report.failed").addKeyValue("evaluationId", id).setCause(e)
          .log("could not report to GitHub");
    }
  }

  private void onRequested(EvaluationRequested r) {
    Progress p = progress.get(r.evaluationId(), k -> new Progress());
    Reporting reporting = resolve(p, r);
    if (reporting == null || p.started) {
      return;
    }
    p.started = true;
    String link = settings.evaluationLink(r.evaluationId());
    if (reporting.hasCallback()) {
      note(reporting.origin(), VerdictComment.started(r.target().environment(), r.target().candidate(), r.evaluationId(), link),
          MAX_PROBE_NOTES, r.requestId());
    }
    api.commitStatus(reporting.installationId(), reporting.ownerRepo(), r.target().candidate(), "pending",
        "Tollgate is checking this deploy to " + r.target().environment(), link, context(r.target().environment()), r.requestId());
  }

  private void onProbe(ProbeCompleted result) {
    Progress p = progress.get(result.evaluationId(), k -> new Progress());
    if (p.decided) {
      return; // a late result of a decided evaluation
    }
    Reporting reporting = resolve(p, result.evaluationId());
    if (reporting == null || !reporting.hasCallback() || !p.probes.add(result.probe().value() + "#" + result.attempt())) {
      return;
    }
    Optional<EvaluationView> view = views.get(result.evaluationId());
    int total = view.map(v -> v.probes().size()).orElse(0);
    int answered = view.map(v -> (int) v.probes().stream().filter(pv -> !pv.status().equals("PENDING")
        || pv.probe().equals(result.probe().value())).count()).orElse(0);
    note(reporting.origin(), VerdictComment.probe(result, answered, total), MAX_PROBE_NOTES, result.requestId());
  }

  private void onVerdict(VerdictReached v) {
    Progress p = progress.get(v.evaluationId(), k -> new Progress());
    if (v.revision() <= p.revision) {
      return; // a duplicate, or an older revision read late
    }
    Reporting reporting = resolve(p, v.evaluationId());
    if (reporting == null) {
      return;
    }
    p.revision = v.revision();
    String link = settings.evaluationLink(v.evaluationId());
    String context = context(v.target().environment());
    String sha = v.target().candidate();
    if (v.decision() == Decision.NO_GO && v.held()) {
      if (reporting.hasCallback()) {
        note(reporting.origin(), VerdictComment.held(v, link), MAX_NOTES, v.requestId());
      }
      api.commitStatus(reporting.installationId(), reporting.ownerRepo(), sha, "pending", VerdictComment.statusDescription(v),
          link, context, v.requestId());
      logVerdict(v, "held");
      return;
    }
    p.decided = true;
    boolean go = v.decision().permitsDeploy(); // UNKNOWN is treated as NO_GO: fail closed
    if (reporting.hasCallback()) {
      EvaluationView view = awaitView(v.evaluationId(), e -> e.verdict() != null && e.verdict().revision() >= v.revision())
          .orElse(views.get(v.evaluationId()).orElse(null));
      GitHubApi.Result r = api.reviewDeployment(reporting.origin(), go ? "approved" : "rejected",
          VerdictComment.verdict(v, view, link), v.requestId());
      logVerdict(v, (go ? "approved" : "rejected") + (r == GitHubApi.Result.OK ? "" : " (" + r.name().toLowerCase(java.util.Locale.ROOT) + ")"));
    }
    api.commitStatus(reporting.installationId(), reporting.ownerRepo(), sha, go ? "success" : "failure",
        VerdictComment.statusDescription(v), link, context, v.requestId());
  }

  private void note(GitHubOrigin origin, String text, int limit, String requestId) {
    int sent = notes.asMap().getOrDefault(origin.callbackUrl(), 0);
    if (sent >= limit) {
      log.atDebug().addKeyValue("event", "github.note.skipped").addKeyValue("requestId", requestId)
          .log("progress note skipped: {} already sent for this deployment", sent);
      return;
    }
    notes.put(origin.callbackUrl(), sent + 1);
    api.reviewDeployment(origin, null, text, requestId);
  }

  private Reporting resolve(Progress p, String evaluationId) {
    if (p.resolved) {
      return p.reporting;
    }
    Optional<EvaluationRequested> request = views.request(evaluationId);
    if (request.isEmpty()) {
      request = awaitView(evaluationId, v -> true).flatMap(v -> views.request(evaluationId));
    }
    if (request.isEmpty()) {
      log.atWarn().addKeyValue("event", "github.report.unknown-evaluation").addKeyValue("evaluationId", evaluationId)
          .log("evaluation not in the views within {}; not reported to GitHub", viewWait);
      return null; // not marked resolved: a later record may find it
    }
    return resolve(p, request.get());
  }

  private Reporting resolve(Progress p, EvaluationRequested r) {
    if (p.resolved) {
      return p.reporting;
    }
    GitHubOrigin origin = r.github();
    Reporting reporting = null;
    if (origin != null) {
      reporting = new Reporting(origin, origin.installationId(), origin.repository(), r.target().environment());
    } else {
      String ownerRepo = ownerRepo(r.target().repository());
      if (ownerRepo != null) {
        // An API-started evaluation of a repository this App is installed on for the same tenant: a commit status
        // is the only place GitHub users see it (no environment protection rule involved).
        Optional<Long> installation = tokens.installationFor(r.target().tenant(), r.target().repository());
        if (installation.isPresent()) {
          reporting = new Reporting(null, installation.get(), ownerRepo, r.target().environment());
        }
      }
    }
    p.reporting = reporting;
    p.resolved = true;
    return reporting;
  }

  /** {@code owner/name} of a repository URL on the configured GitHub host, else null. */
  String ownerRepo(String repositoryUrl) {
    RepositoryLocation location;
    try {
      location = RepositoryLocation.parse(repositoryUrl);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (location.isLocal() || !location.isUnder(webBase)) {
      return null;
    }
    String[] parts = location.identity().substring(webBase.length() + 1).split("/");
    return parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty() ? parts[0] + "/" + parts[1] : null;
  }

  private Optional<EvaluationView> awaitView(String id, Predicate<EvaluationView> ready) {
    long deadline = System.nanoTime() + viewWait.toNanos();
    while (true) {
      Optional<EvaluationView> v = views.get(id);
      if (v.isPresent() && ready.test(v.get())) {
        return v;
      }
      if (System.nanoTime() > deadline || !running) {
        return Optional.empty();
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }

  private static String context(String environment) {
    return "tollgate/" + environment;
  }

  private static void logVerdict(VerdictReached v, String outcome) {
    log.atInfo().addKeyValue("event", "github.verdict.reported").addKeyValue("requestId", v.requestId())
        .addKeyValue("evaluationId", v.evaluationId()).addKeyValue("revision", v.revision()).addKeyValue("outcome", outcome)
        .log("verdict reported to GitHub: {}", outcome);
  }

  /** True while the consumer polls. */
  public boolean isRunning() {
    return running && Duration.between(lastPoll, Instant.now()).compareTo(Duration.ofSeconds(30)) < 0;
  }

  /** Waits until the group gave this reporter its partitions (tests). */
  public boolean awaitAssignment(Duration timeout) throws InterruptedException {
    return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
