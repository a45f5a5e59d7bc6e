package dev.tollgate.gate.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.override.OverrideRecorded;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.slack.SlackMessagePosted;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.kafka.EventPublisher;
import dev.tollgate.gate.policy.EnvironmentPolicy;
import dev.tollgate.gate.policy.OverridePolicy;
import dev.tollgate.gate.policy.ServerPolicy;
import dev.tollgate.gate.view.EvaluationView;
import dev.tollgate.gate.view.EvaluationViews;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one Slack message per evaluation current in its environment's channel: posted when the evaluation is
 * requested, updated as probes answer, votes are recorded and verdicts (and later revisions: held → GO, NO_GO →
 * OVERRIDDEN) arrive.
 *
 * <p><b>Exactly one gate reports each evaluation.</b> A Kafka consumer in its own group
 * ({@code <namespace>tollgate-slack-reporter}) over the request, result, verdict and override topics, which are
 * co-partitioned by evaluation id. A new group starts 15 minutes before this process started, never at the beginning
 * of history (old evaluations must not be posted again).
 *
 * <p><b>State, not events.</b> Every record only marks its evaluation "to deliver"; a delivery renders the whole
 * message from the {@link EvaluationViews} (after they reflect that record) and sends it. So a burst of probe results
 * becomes one update, a failed update is superseded by the next render, and a render identical to the last one
 * delivered is not sent again.
 *
 * <p><b>Never lose an update.</b> Rate limits (429, {@code Retry-After}) pause the channel; transient failures
 * (5xx, timeouts, {@code ok:false} errors that are Slack's own) back off from 1 s to 5 min and keep trying for a day.
 * The consumer commits offsets only below the oldest record whose delivery is still open, so a gate that stops with
 * deliveries open leaves them to the next owner of the partition, which reads them again.
 *
 * <p><b>Where each message is</b> (channel and {@code ts}) is published to the compacted topic
 * {@link Topics#SLACK_MESSAGES_POSTED}, with a hash of what it last showed, before the records that caused it are
 * committed. When this reporter gets partitions it reads that topic to its end first, so a restarted gate (or the
 * next owner) calls {@code chat.update} on the same message instead of posting a second one. A message someone
 * deleted is posted again.
 *
 * <p>Errors Slack will not take back ({@code channel_not_found}, {@code not_in_channel}, {@code invalid_auth}) are
 * logged at ERROR, naming the environment and channel, and that delivery is dropped: a human must act.
 */
public final class SlackReporter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SlackReporter.class);
  static final Duration NEW_GROUP_LOOKBACK = Duration.ofMinutes(15);
  /** How long a delivery waits for the views to reflect the record that caused it, before rendering what they show. */
  static final Duration VIEW_WAIT = Duration.ofSeconds(10);
  /** Results that arrive together become one update. */
  static final Duration DEBOUNCE = Duration.ofMillis(250);
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  /** Transient failures this long: the delivery is dropped with an ERROR (Slack has been down for a day). */
  static final Duration GIVE_UP_AFTER = Duration.ofDays(1);
  /** Time spent calling Slack between two polls (each call may take its 10 s timeout when Slack is unreachable). */
  static final Duration DELIVERY_BUDGET = Duration.ofSeconds(30);
  /** {@code chat.update} errors meaning the message is gone: post it again. */
  static final Set<String> MESSAGE_GONE = Set.of("message_not_found", "cant_update_message", "edit_window_closed");

  private final Topics topics;
  private final Map<String, Object> kafka;
  private final String groupId;
  private final EvaluationViews views;
  private final ServerPolicy policy;
  private final SlackSettings settings;
  private final SlackApi api;
  private final EventPublisher publisher;
  private final Clock clock;
  private final MeterRegistry meters;
  /** Evaluation id → where its message is. Written by the reporter thread only. */
  private final Cache<String, Posted> posted;
  /** Deliveries still open, oldest first. Reporter thread only. */
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  /** Channel → until when Slack asked us to wait (429). Reporter thread only. */
  private final Map<String, Instant> channelWait = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private final Set<String> pendingIds = ConcurrentHashMap.newKeySet();
  private final CountDownLatch assigned = new CountDownLatch(1);
  private volatile boolean running;
  private volatile Instant lastPoll = Instant.EPOCH;
  private Instant startedAt;
  private Thread thread;
  private KafkaConsumer<String, byte[]> consumer;
  private KafkaConsumer<String, byte[]> messages;

  /** Where an evaluation's message is and what it last showed; {@code saved} once it is on the topic. */
  private record Posted(String channel, String ts, String hash, boolean saved) {}

  /** One open delivery. */
  private static final class Pending {
    final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    final List<Predicate<EvaluationView>> expected = new ArrayList<>();
    final Instant since;
    String requestId;
    Instant next;
    Duration backoff = FIRST_BACKOFF;
    int failures;
    boolean repostTried;

    Pending(Instant since) {
      this.since = since;
      this.next = since;
    }
  }

  public SlackReporter(Topics topics, Map<String, Object> kafka, EvaluationViews views, ServerPolicy policy,
      SlackSettings settings, SlackApi api, EventPublisher publisher, Clock clock, MeterRegistry meters) {
    this.topics = topics;
    this.kafka = Map.copyOf(kafka);
    this.groupId = topics.prefix() + "tollgate-slack-reporter";
    this.views = views;
    this.policy = policy;
    this.settings = settings;
    this.api = api;
    this.publisher = publisher;
    this.clock = clock;
    this.meters = meters;
    this.posted = Caffeine.newBuilder().maximumSize(200_000).recordStats().build();
    CaffeineCacheMetrics.monitor(meters, posted, "tollgate.slack.reporter.messages");
    Gauge.builder("tollgate.slack.deliveries.open", pendingIds, Set::size)
        .description("Slack deliveries not done yet (rate limited, failing, or waiting for the views)").register(meters);
  }

  /** Joins the group and starts reporting on its own thread. */
  public synchronized void start() {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "gate-slack-reporter");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
    p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Duration.ofMinutes(5).toMillis());
    consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    Map<String, Object> m = new HashMap<>(kafka);
    m.put(ConsumerConfig.CLIENT_ID_CONFIG, "gate-slack-messages");
    m.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    messages = new KafkaConsumer<>(m, new StringDeserializer(), new ByteArrayDeserializer());
    startedAt = clock.instant();
    running = true;
    thread = new Thread(this::run, "slack-reporter");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo info : messages.partitionsFor(topics.slackMessagesPosted(), Duration.ofSeconds(30))) {
        parts.add(new TopicPartition(info.topic(), info.partition()));
      }
      messages.assign(parts);
      messages.seekToBeginning(parts);
      views.awaitCaughtUp(Duration.ofSeconds(60)); // messages are rendered from the views: let them read the history
      consumer.subscribe(List.of(topics.evaluationsRequested(), topics.probesCompleted(), topics.verdictsReached(),
          topics.overridesRecorded()), new Rebalance());
      while (running) {
        var batch = consumer.poll(pending.isEmpty() ? Duration.ofMillis(200) : Duration.ofMillis(50));
        lastPoll = Instant.now();
        for (ConsumerRecord<String, byte[]> record : batch) {
          track(record);
        }
        deliverDue();
        commitSafe();
      }
    } catch (WakeupException e) {
      // closing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.atError().addKeyValue("event", "slack.reporter.failed").setCause(e).log("Slack reporter stopped");
    } finally {
      running = false;
      try {
        commitSafe();
      } catch (RuntimeException e) {
        // the next owner reads the uncommitted records again: nothing is lost
      }
      consumer.close();
      messages.close();
    }
  }

  /** New groups start a little before this process; on every assignment the message map is read to its end first. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> known = consumer.committed(new HashSet<>(partitions));
      Map<TopicPartition, Long> fresh = new HashMap<>();
      for (TopicPartition tp : partitions) {
        OffsetAndMetadata o = known.get(tp);
        if (o == null) {
          fresh.put(tp, startedAt.minus(NEW_GROUP_LOOKBACK).toEpochMilli());
        } else {
          committed.put(tp, o.offset());
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
      readMessages();
      assigned.countDown();
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      commitSafe();
      // The next owner reads these partitions again from the committed offsets: their open deliveries are its own now.
      pending.entrySet().removeIf(e -> {
        boolean theirs = e.getValue().firstOffsets.keySet().stream().anyMatch(partitions::contains);
        if (theirs) {
          pendingIds.remove(e.getKey());
        }
        return theirs;
      });
      partitions.forEach(committed::remove);
    }
  }

  /** Reads the message map to its current end (every gate's posts, including our own before a restart). */
  private void readMessages() {
    Map<TopicPartition, Long> end = messages.endOffsets(messages.assignment(), Duration.ofSeconds(30));
    int read = 0;
    while (end.entrySet().stream().anyMatch(e -> messages.position(e.getKey()) < e.getValue())) {
      for (ConsumerRecord<String, byte[]> r : messages.poll(Duration.ofMillis(200))) {
        if (r.key() == null) {
          continue;
        }
        if (r.value() == null) {
          posted.invalidate(r.key()); // a tombstone
          continue;
        }
        try {
          SlackMessagePosted m = Json.read(r.value(), SlackMessagePosted.class);
          posted.put(m.evaluationId(), new Posted(m.channel(), m.ts(), m.contentHash(), true));
          read++;
        } catch (Json.MalformedMessageException e) {
          log.atWarn().addKeyValue("event", "slack.message-record.unreadable").addKeyValue("evaluationId", r.key())
              .log("unreadable record on {}; skipped (its message may be posted again)", r.topic());
        }
      }
    }
    log.atDebug().addKeyValue("event", "slack.messages.read").addKeyValue("records", read).log("Slack message map read");
  }

  private void track(ConsumerRecord<String, byte[]> record) {
    String id = record.key();
    if (id == null) {
      return;
    }
    Instant now = clock.instant();
    Pending p = pending.computeIfAbsent(id, k -> {
      pendingIds.add(k);
      return new Pending(now);
    });
    p.firstOffsets.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
    p.next = now.plus(DEBOUNCE);
    try {
      String topic = record.topic();
      if (topic.equals(topics.probesCompleted())) {
        ProbeCompleted r = Json.read(record.value(), ProbeCompleted.class);
        p.requestId = r.requestId();
        String probe = r.probe().value();
        p.expected.add(v -> v.verdict() != null
            || v.probes().stream().anyMatch(pv -> pv.probe().equals(probe) && !pv.status().equals("PENDING")));
      } else if (topic.equals(topics.verdictsReached())) {
        VerdictReached r = Json.read(record.value(), VerdictReached.class);
        p.requestId = r.requestId();
        p.next = now; // the verdict is what people wait for
        int revision = r.revision();
        p.expected.add(v -> v.verdict() != null && v.verdict().revision() >= revision);
      } else if (topic.equals(topics.overridesRecorded())) {
        OverrideRecorded r = Json.read(record.value(), OverrideRecorded.class);
        p.requestId = r.requestId();
        p.expected.add(v -> v.overrides().stream().anyMatch(o -> r.approvers().contains(o.approver())
            && o.recordedAt().equals(r.recordedAt())));
      } else {
        p.expected.add(v -> true);
      }
    } catch (Json.MalformedMessageException e) {
      // the aggregator dead-letters unreadable records; the message shows what the views know
    }
  }

  private void deliverDue() {
    Instant now = clock.instant();
    long budgetEnds = System.nanoTime() + DELIVERY_BUDGET.toNanos();
    for (Map.Entry<String, Pending> e : new ArrayList<>(pending.entrySet())) {
      if (!running || System.nanoTime() > budgetEnds) {
        return; // poll again in time to stay in the group; the rest are still due next round
      }
      if (!e.getValue().next.isAfter(now)) {
        deliver(e.getKey(), e.getValue(), now);
      }
    }
  }

  private void deliver(String id, Pending p, Instant now) {
    Optional<EvaluationView> found = views.get(id);
    boolean current = found.isPresent() && p.expected.stream().allMatch(x -> x.test(found.get()));
    if (!current && Duration.between(p.since, now).compareTo(VIEW_WAIT) < 0) {
      p.next = now.plusMillis(100);
      return;
    }
    if (found.isEmpty()) {
      log.atDebug().addKeyValue("event", "slack.report.unknown-evaluation").addKeyValue("evaluationId", id)
          .log("evaluation not in the views; not reported to Slack");
      done(id);
      return;
    }
    EvaluationView view = found.get();
    Optional<String> configured = settings.serves(view.tenant()) ? settings.channelFor(view.environment()) : Optional.empty();
    if (configured.isEmpty()) {
      done(id); // this environment has no channel, or the workspace does not serve this tenant
      return;
    }
    String channel = configured.get();
    Instant wait = channelWait.get(channel);
    if (wait != null && wait.isAfter(now)) {
      p.next = wait;
      return;
    }
    String requestId = p.requestId != null ? p.requestId : view.requestId();
    OverridePolicy overrides = policy.environment(view.environment()).map(EnvironmentPolicy::overrides).orElse(null);
    ObjectNode message = VerdictMessage.render(view, overrides, settings.evaluationLink(id), true);
    String hash = sha256(message.toString());
    Posted before = posted.getIfPresent(id);
    if (before != null && !before.channel().equals(channel)) {
      before = null; // the environment's channel changed: post in the new one
    }
    if (before != null && before.hash().equals(hash)) {
      if (before.saved() || save(id, requestId, before)) {
        count("unchanged");
        done(id);
      } else {
        retryLater(id, p, now, "message map not saved");
      }
      return;
    }
    SlackApi.Result r = before == null ? api.postMessage(channel, message, requestId)
        : api.update(channel, before.ts(), message, requestId);
    switch (r.outcome()) {
      case OK -> {
        String ts = before == null ? r.ts() : before.ts();
        if (ts == null) {
          retryLater(id, p, now, "Slack answered without a message ts");
          return;
        }
        Posted now2 = new Posted(channel, ts, hash, false);
        posted.put(id, now2);
        count(before == null ? "posted" : "updated");
        log.atInfo().addKeyValue("event", before == null ? "slack.message.posted" : "slack.message.updated")
            .addKeyValue("requestId", requestId).addKeyValue("evaluationId", id).addKeyValue("channel", channel)
            .log("Slack message {} for {}", before == null ? "posted" : "updated",
                view.verdict() == null ? "a running evaluation" : view.verdict().decision());
        if (save(id, requestId, now2)) {
          done(id);
        } else {
          retryLater(id, p, now, "message map not saved");
        }
      }
      case RATE_LIMITED -> {
        Duration after = r.retryAfter() == null ? FIRST_BACKOFF : r.retryAfter();
        channelWait.put(channel, now.plus(after));
        p.next = now.plus(after);
        p.failures++;
        count("rate_limited");
        log.atInfo().addKeyValue("event", "slack.rate-limited").addKeyValue("requestId", requestId)
            .addKeyValue("evaluationId", id).addKeyValue("channel", channel)
            .log("Slack rate limit: retrying in {} s", after.toSeconds());
      }
      case TRANSIENT -> retryLater(id, p, now, r.error());
      case REFUSED -> {
        if (before != null && MESSAGE_GONE.contains(r.error()) && !p.repostTried) {
          // Someone deleted the message (or it can no longer be edited): post the current state again.
          p.repostTried = true;
          posted.invalidate(id);
          p.next = now;
          return;
        }
        count("refused");
        log.atError().addKeyValue("event", "slack.call.refused").addKeyValue("requestId", requestId)
            .addKeyValue("evaluationId", id).addKeyValue("environment", view.environment()).addKeyValue("channel", channel)
            .addKeyValue("error", r.error())
            .log("Slack refused the message for {} ({}): check the bot token, that the app is in the channel, and "
                + "slack.channels", view.environment(), r.error());
        done(id);
      }
      default -> throw new IllegalStateException("unexpected outcome " + r.outcome());
    }
  }

  private void retryLater(String id, Pending p, Instant now, String problem) {
    p.failures++;
    if (Duration.between(p.since, now).compareTo(GIVE_UP_AFTER) > 0) {
      count("gave_up");
      log.atError().addKeyValue("event", "slack.delivery.abandoned").addKeyValue("requestId", p.requestId)
          .addKeyValue("evaluationId", id).log("Slack message not delivered for {}; last problem: {}", GIVE_UP_AFTER, problem);
      done(id);
      return;
    }
    if (p.failures == 1 || p.failures % 10 == 0) {
      log.atWarn().addKeyValue("event", "slack.delivery.retrying").addKeyValue("requestId", p.requestId)
          .addKeyValue("evaluationId", id).addKeyValue("attempts", p.failures)
          .log("Slack delivery failed ({}); retrying in {} ms", problem, p.backoff.toMillis());
    }
    count("retried");
    p.next = now.plus(p.backoff);
    p.backoff = p.backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : p.backoff.multipliedBy(2);
  }

  /** Publishes where the message is; true once Kafka has it. */
  private boolean save(String id, String requestId, Posted m) {
    try {
      publisher.publish(topics.slackMessagesPosted(), SlackMessagePosted.of(id, requestId == null ? id : requestId, m.channel(),
          m.ts(), m.hash(), clock.instant())).await(10, TimeUnit.SECONDS);
      posted.put(id, new Posted(m.channel(), m.ts(), m.hash(), true));
      return true;
    } catch (Exception e) {
      log.atWarn().addKeyValue("event", "slack.message-record.failed").addKeyValue("evaluationId", id)
          .log("could not record where the Slack message is: {}", e.toString());
      return false;
    }
  }

  private void done(String id) {
    pending.remove(id);
    pendingIds.remove(id);
  }

  /**
   * Commits, per partition, the position — or the offset of the oldest record whose delivery is still open, so a
   * restart reads it again.
   */
  private void commitSafe() {
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    for (TopicPartition tp : consumer.assignment()) {
      long safe = consumer.position(tp);
      for (Pending p : pending.values()) {
        Long first = p.firstOffsets.get(tp);
        if (first != null && first < safe) {
          safe = first;
        }
      }
      if (!Long.valueOf(safe).equals(committed.get(tp))) {
        commits.put(tp, new OffsetAndMetadata(safe));
      }
    }
    if (!commits.isEmpty()) {
      consumer.commitSync(commits);
      commits.forEach((tp, o) -> committed.put(tp, o.offset()));
    }
  }

  private void count(String outcome) {
    Counter.builder("tollgate.slack.messages").description("Slack message deliveries by outcome").tag("outcome", outcome)
        .register(meters).increment();
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
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
