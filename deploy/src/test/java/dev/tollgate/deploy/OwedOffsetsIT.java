package dev.tollgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.check.CheckRequested;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.deploy.testing.LogCapture;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.deploy.testing.TopicReader;
import dev.tollgate.deploy.testing.Waits;
import dev.tollgate.gate.kafka.TopicSetup;
import dev.tollgate.kafka.OwedOffsets;
import dev.tollgate.probes.ProbeWorkers;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.metadata.authorizer.StandardAuthorizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OwedOffsets} (the probe workers' and the attestation signer's commits) against a real broker that refuses
 * them: a KRaft broker of this class's own with Kafka's {@link StandardAuthorizer}, where everything is allowed until a
 * test denies READ on its consumer group, as a missing or revoked ACL does in production. A real {@link KafkaConsumer}
 * (the default, classic one, as the services use) reads real records; the test thread is the consumer loop, polling and
 * committing as the services' loops do. What the group holds is read by an {@link Admin}, never from OwedOffsets.
 *
 * <p>One broker for all methods (starting one takes seconds; the machine has two cores); each method has its own topic
 * and group. The consumer is assigned its partitions ({@code assign}): a denied group would otherwise also refuse its
 * heartbeats, and the commit is what is under test. The last two methods run the real user instead, a probe worker in
 * its group, denied briefly and then for longer than its session. What a real broker cannot make happen on demand
 * stays in {@code OwedOffsetsTest} (kafka-support), which says which and why.
 */
class OwedOffsetsIT {
  /** Every client's principal on a PLAINTEXT listener. */
  private static final String ANONYMOUS = "User:ANONYMOUS";
  private static final String EVENT = "test.commit.failed";
  private static final String CONSEQUENCE = "the next owner reads those records again";
  private static final int RECORDS = 10;

  @TempDir
  static Path dir;
  private static EmbeddedKafka broker;
  private static Admin admin;

  private String topic;
  private String group;
  private TopicPartition p0;
  private TopicPartition p1;
  private KafkaConsumer<byte[], byte[]> consumer;
  private boolean running = true;
  private OwedOffsets owed;
  private LogCapture logs;

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedKafka.start(dir, 0, Map.of(
        "authorizer.class.name", StandardAuthorizer.class.getName(),
        // Allowed until a test adds an ACL on its group: the other resources (topics, the cluster) never have one.
        "allow.everyone.if.no.acl.found", "true"));
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()));
  }

  @AfterAll
  static void stopBroker() {
    if (admin != null) {
      admin.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  /** A topic of two partitions with {@link #RECORDS} records each, all read by the consumer: what a loop finished. */
  @BeforeEach
  void readRecords(TestInfo test) throws Exception {
    String name = test.getTestMethod().orElseThrow().getName();
    topic = "owed-" + name;
    group = "owed-" + name + "-group";
    p0 = new TopicPartition(topic, 0);
    p1 = new TopicPartition(topic, 1);
    admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        broker.bootstrap(), ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < RECORDS; i++) {
        producer.send(new ProducerRecord<>(topic, 0, null, new byte[] {(byte) i}));
        producer.send(new ProducerRecord<>(topic, 1, null, new byte[] {(byte) i}));
      }
      producer.flush();
    }
    consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
        ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.assign(List.of(p0, p1));
    long deadline = Waits.deadline(Duration.ofSeconds(10));
    int read = 0;
    while (read < 2 * RECORDS) {
      assertTrue(System.nanoTime() < deadline, "read " + read + " of " + 2 * RECORDS + " records");
      read += consumer.poll(Duration.ofMillis(100)).count();
    }
    owed = new OwedOffsets(consumer, OwedOffsets.INTERVAL, () -> running, EVENT, CONSEQUENCE);
    logs = new LogCapture();
  }

  @AfterEach
  void close() throws Exception {
    logs.close();
    consumer.close();
    allow();
  }

  private static Map<TopicPartition, OffsetAndMetadata> at(TopicPartition tp, long offset) {
    return Map.of(tp, new OffsetAndMetadata(offset));
  }

  /** What the group holds, as an operator's tool reads it. */
  private Map<TopicPartition, Long> committed() throws Exception {
    return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  private static ResourcePattern groupPattern(String group) {
    return new ResourcePattern(ResourceType.GROUP, group, PatternType.LITERAL);
  }

  /**
   * The attack (or the operator's mistake): READ on the group denied, so its commits are refused. DESCRIBE stays
   * allowed, so that the test's Admin can still read what the group holds (with an ACL on the group, "no ACL found" no
   * longer allows it). Returns once the broker's authorizer applies them (it answers DescribeAcls).
   */
  private void deny() throws Exception {
    deny(group);
  }

  private static void deny(String group) throws Exception {
    List<AclBinding> acls = List.of(
        new AclBinding(groupPattern(group), new AccessControlEntry(ANONYMOUS, "*", AclOperation.READ, AclPermissionType.DENY)),
        new AclBinding(groupPattern(group), new AccessControlEntry(ANONYMOUS, "*", AclOperation.DESCRIBE, AclPermissionType.ALLOW)));
    admin.createAcls(acls).all().get();
    awaitAcls(group, acls.size());
  }

  /** Removes the group's ACLs (everything allowed again) and returns once the broker applies it. */
  private void allow() throws Exception {
    allow(group);
  }

  private static void allow(String group) throws Exception {
    admin.deleteAcls(List.of(groupAcls(group))).all().get();
    awaitAcls(group, 0);
  }

  private static AclBindingFilter groupAcls(String group) {
    return new AclBindingFilter(new ResourcePatternFilter(ResourceType.GROUP, group, PatternType.LITERAL),
        AccessControlEntryFilter.ANY);
  }

  private static void awaitAcls(String group, int count) throws InterruptedException, ExecutionException {
    long deadline = Waits.deadline(Duration.ofSeconds(5));
    int seen;
    while ((seen = admin.describeAcls(groupAcls(group)).values().get().size()) != count) {
      assertTrue(System.nanoTime() < deadline, "the broker applies the ACLs: " + seen + " of " + count);
      Thread.sleep(20); // a poll of the broker's state, not a wait for something to happen
    }
  }

  /**
   * Runs the consumer loop as the services do (poll up to the next commit, then commit what is due, in the background)
   * until {@code done} holds; the broker's answers to background commits arrive in those polls.
   */
  private void loopUntil(String what, BooleanSupplier done) {
    long deadline = Waits.deadline(Duration.ofSeconds(10));
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("the loop never saw: " + what + "; logged: " + logs.lines());
      }
      assertEquals(0, consumer.poll(owed.pollWait(Duration.ofMillis(100))).count(), "every record was read before");
      if (done.getAsBoolean()) {
        return;
      }
      owed.commitIfDue();
    }
  }

  private List<String> warnings() {
    return logs.containing("event=" + EVENT);
  }

  private BooleanSupplier committedIs(Map<TopicPartition, Long> expected) {
    return () -> {
      try {
        return committed().equals(expected);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
  }

  @Test
  void aDeniedBackgroundCommitStaysOwedAndIsCommittedOnceAllowed() throws Exception {
    owed.owe(at(p0, 4));
    loopUntil("the first commit", committedIs(Map.of(p0, 4L)));
    deny();

    owed.owe(Map.of(p0, new OffsetAndMetadata(RECORDS), p1, new OffsetAndMetadata(RECORDS)));
    loopUntil("three refused background commits", () -> warnings().size() >= 3);
    String warning = warnings().get(0);
    assertTrue(warning.startsWith("WARN ") && warning.contains("GroupAuthorizationException")
        && warning.contains("partitions=2") && warning.contains("owedAgain=2"), warning);
    assertFalse(owed.isEmpty(), "still owed after every refusal");
    assertEquals(Map.of(p0, 4L), committed(), "nothing reached the group while it was denied");

    allow();
    loopUntil("the owed offsets committed", committedIs(Map.of(p0, (long) RECORDS, p1, (long) RECORDS)));
    loopUntil("nothing owed", owed::isEmpty);
    int refused = warnings().size();
    owed.commit(true); // a stop, once allowed: nothing refused
    assertEquals(refused, warnings().size());
    assertEquals(Map.of(p0, (long) RECORDS, p1, (long) RECORDS), committed(), "exactly what was owed, nothing else");
  }

  /**
   * A revocation's or a stop's commit waits for the broker, which refuses it: as OwedOffsets#commit says, logged at WARN
   * and not thrown (an exception would end the loop), and not owed again: the partitions are leaving, so the next owner
   * reads those records again.
   */
  @Test
  void aDeniedCommitOnARevocationOrAStopIsLoggedNotThrownAndLeftToTheNextOwner() throws Exception {
    deny();
    owed.owe(at(p0, 4));
    owed.commit(true); // a revocation: the loop runs on
    running = false;
    owed.owe(at(p1, 6));
    owed.commit(true); // a stop

    List<String> warnings = warnings();
    assertEquals(2, warnings.size(), warnings.toString());
    warnings.forEach(w -> assertTrue(w.startsWith("WARN ") && w.contains("GroupAuthorizationException")
        && w.contains(CONSEQUENCE), w));
    assertTrue(owed.isEmpty(), "left to the next owner");
    assertEquals(Map.of(), committed());
    allow();
    owed.commit(true);
    assertEquals(Map.of(), committed(), "not sent again once allowed");
  }

  /** The refusal comes back after a newer offset was owed: the older one must not replace it. */
  @Test
  void aRefusalIsNotOwedAgainOverANewerOffset() throws Exception {
    deny();
    owed.owe(at(p0, 4));
    owed.commit(false);
    owed.owe(at(p0, 8)); // the broker's answer arrives in a later poll, on this thread
    loopUntil("the refusal", () -> !warnings().isEmpty());
    assertTrue(warnings().get(0).contains("owedAgain=0"), warnings().get(0));
    allow();
    owed.commit(true);
    assertEquals(Map.of(p0, 8L), committed());
  }

  /** Refused for a partition that left meanwhile: no longer this consumer's to commit. */
  @Test
  void aRefusalOnAPartitionNoLongerAssignedIsNotOwedAgain() throws Exception {
    deny();
    owed.owe(Map.of(p0, new OffsetAndMetadata(4), p1, new OffsetAndMetadata(6)));
    owed.commit(false);
    consumer.assign(List.of(p1));
    loopUntil("the refusal", () -> !warnings().isEmpty());
    assertTrue(warnings().get(0).contains("owedAgain=1"), warnings().get(0));
    allow();
    owed.commit(true);
    assertEquals(Map.of(p1, 6L), committed());
  }

  @Test
  void lostPartitionsAreNotCommitted() throws Exception {
    owed.owe(Map.of(p0, new OffsetAndMetadata(4), p1, new OffsetAndMetadata(6)));
    owed.lost(List.of(p0));
    owed.commit(true);
    assertEquals(Map.of(p1, 6L), committed());
  }

  /**
   * A wakeup or an interrupt while the loop runs is a stop the loop must see: thrown. (Whether the commit reached the
   * group is the client's business: it sends the request before it checks for a wakeup.)
   */
  @Test
  void aStopReachesTheLoopWhileItRuns() throws Exception {
    owed.owe(at(p0, 4));
    consumer.wakeup();
    assertThrows(WakeupException.class, () -> owed.commit(true));
    owed.owe(at(p0, 4));
    Thread.currentThread().interrupt();
    assertThrows(InterruptException.class, () -> owed.commit(true));
    assertTrue(Thread.interrupted(), "InterruptException keeps the flag set for the loop; cleared here");
    assertEquals(List.of(), warnings(), "a stop, not a failure");
  }

  /** While stopping, the wakeup is close()'s: the commit is sent once more, and reaches the group. */
  @Test
  void whileStoppingCloseWakeupIsRetriedOnce() throws Exception {
    running = false;
    owed.owe(at(p0, 4));
    consumer.wakeup();
    owed.commit(true);
    assertEquals(Map.of(p0, 4L), committed());
    assertEquals(List.of(), warnings());
  }

  /** A halt is a crash: what is owed never reaches the group. */
  @Test
  void afterAHaltNothingIsCommitted() throws Exception {
    owed.owe(at(p0, 4));
    owed.halt();
    owed.commitIfDue();
    owed.commit(false);
    owed.commit(true);
    assertTrue(owed.isEmpty());
    assertEquals(Map.of(), committed());
    assertEquals(List.of(), warnings());
  }

  /**
   * The production user: a probe worker whose group is denied READ while it runs, only until its first background
   * commit is refused (well within its session: the coordinator still counts it a member). Every check is answered
   * exactly once, its loop runs on, and its offsets reach the end of the checks once allowed.
   */
  @Test
  void aWorkerWhoseCommitsAreRefusedAnswersEachCheckOnceAndCommitsOnceAllowed(@TempDir Path tmp) throws Exception {
    Map<String, List<ProbeCompleted>> answers = runWorkerDenied(tmp, "its first commit refused",
        workers -> !logs.containing("event=worker.commit.failed").isEmpty());
    assertEquals(CHECKS, answers.size(), answers.toString());
    answers.forEach((check, results) -> assertEquals(1, results.size(), check + " answered once: " + results));
  }

  /**
   * Denied for longer than its session: its heartbeats are refused too, and the coordinator removes it from the group
   * with nothing committed. Once allowed it joins again and, as after a crash, runs those checks again (results are
   * idempotent: the same answer under the same check id); nothing is lost and its loop runs on.
   */
  @Test
  void aWorkerRemovedFromItsGroupWhileDeniedRunsItsChecksAgainOnceAllowed(@TempDir Path tmp) throws Exception {
    Map<String, List<ProbeCompleted>> answers = runWorkerDenied(tmp, "the coordinator removed the worker", workers -> {
      try {
        return admin.describeConsumerGroups(List.of(workers)).describedGroups().get(workers).get().members().isEmpty();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    assertEquals(CHECKS, answers.size(), answers.toString());
    answers.forEach((check, results) -> {
      assertTrue(results.size() >= 2, check + " answered before and after: " + results);
      assertEquals(1, results.stream().map(r -> r.status() + " " + r.findings()).distinct().count(), results.toString());
    });
  }

  private static final int CHECKS = 4;

  /**
   * Starts a worker, denies its group, publishes {@link #CHECKS} checks, allows the group again once {@code until}
   * holds, and waits until the group committed every check. Returns the answers published, by check.
   */
  private Map<String, List<ProbeCompleted>> runWorkerDenied(Path tmp, String what,
      java.util.function.Predicate<String> until) throws Exception {
    try (TestInstallation tollgate = new TestInstallation(broker.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS), "tenants: [acme]\nenvironments:\n  staging: {probes: {pass: {}}}\n")) {
      new TopicSetup(tollgate.topics(), TestInstallation.PARTITIONS, (short) 1).ensure(tollgate.kafka());
      String workers = tollgate.topics().prefix() + "tollgate-probe-workers";
      ProbeWorkers worker = tollgate.startWorker("w1");
      assertTrue(worker.awaitAssignment(Waits.budget(Duration.ofSeconds(30))), "assigned");
      deny(workers);
      try {
        FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1");
        DeployTarget target = new DeployTarget("acme", repo.dir().toString(), "staging", repo.head(), null);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrap()), new StringSerializer(), new ByteArraySerializer())) {
          Instant now = Instant.now();
          for (int i = 0; i < CHECKS; i++) {
            CheckRequested check = CheckRequested.of("ev-" + i, "req-" + i, target, ProbeId.of("pass"), now.plusSeconds(600), now,
                DeployHistory.empty());
            producer.send(new ProducerRecord<>(tollgate.topics().checksRequested(), check.evaluationId(), Json.write(check))).get();
          }
        }
        long deadline = Waits.deadline(Duration.ofSeconds(30));
        while (!until.test(workers)) {
          assertTrue(System.nanoTime() < deadline, "never saw: " + what + "; logged: " + logs.lines());
          Thread.sleep(50); // a poll of the worker's state, bounded by the deadline
        }
      } finally {
        allow(workers);
      }
      long deadline = Waits.deadline(Duration.ofSeconds(30));
      while (TopicReader.lag(tollgate.kafka(), workers, tollgate.topics().checksRequested()) != 0) {
        assertTrue(System.nanoTime() < deadline, "the worker's offsets committed once allowed; logged: " + logs.lines());
        Thread.sleep(50); // a poll of the group, bounded by the deadline
      }
      assertTrue(worker.isRunning(), "the loop ran through the denial; logged: " + logs.lines());
      return TopicReader.readAll(tollgate.kafka(), tollgate.topics().probesCompleted(), ProbeCompleted.class).stream()
          .collect(Collectors.groupingBy(ProbeCompleted::checkId));
    }
  }
}
