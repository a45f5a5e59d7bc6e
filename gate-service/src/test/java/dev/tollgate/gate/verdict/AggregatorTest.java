package dev.tollgate.gate.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.check.CheckRequested;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.lock.AdmissionRequested;
import dev.tollgate.contracts.lock.Identity;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.RepoPolicy;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.ReasonCode;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.policy.EnvironmentPolicy;
import dev.tollgate.gate.policy.OverridePolicy;
import dev.tollgate.gate.policy.ProbeRequirement;
import dev.tollgate.gate.policy.ServerPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The aggregator's topology on a test clock (no broker): the wall-clock tick acts on what is due — a passed
 * deadline, the end of a hold, an expired decision — and reads nothing else, however much history the store holds.
 */
class AggregatorTest {
  static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  static final ProbeId CHECK = ProbeId.of("check");
  static final ProbeId WINDOW = ProbeId.of("window");
  static final Duration DEADLINE = Duration.ofSeconds(30);

  final Topics topics = Topics.standard();
  final TestClock clock = new TestClock(T0);
  final CountingStore store = new CountingStore(Aggregator.STORE);
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  TopologyTestDriver driver;
  TestInputTopic<String, byte[]> requests;
  TestInputTopic<String, byte[]> results;
  TestOutputTopic<String, byte[]> checks;
  TestOutputTopic<String, byte[]> verdicts;

  /** A clock the test moves (the aggregator reads "now" from it; the driver's wall clock moves with it). */
  static final class TestClock extends Clock {
    private Instant now;

    TestClock(Instant start) {
      this.now = start;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  static Properties props() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregator-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put("processing.exception.handler.global.enabled", true);
    return props;
  }

  static ServerPolicy policy() {
    EnvironmentPolicy staging = new EnvironmentPolicy("staging", Map.of(CHECK, new ProbeRequirement(true, DEADLINE)),
        Duration.ofSeconds(60), false, Duration.ofDays(7), OverridePolicy.NONE);
    EnvironmentPolicy production = new EnvironmentPolicy("production", Map.of(WINDOW, new ProbeRequirement(true, DEADLINE)),
        Duration.ofSeconds(60), false, Duration.ofDays(7), OverridePolicy.NONE);
    return new ServerPolicy(Map.of("staging", staging, "production", production), "test");
  }

  @BeforeEach
  void start() {
    Properties props = props();
    driver = new TopologyTestDriver(VerdictService.topology(new TopologyConfig(new StreamsConfig(props)), topics, policy(), clock,
        meters, store), props, T0);
    requests = driver.createInputTopic(topics.evaluationsRequested(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
    results = driver.createInputTopic(topics.probesCompleted(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
    checks = driver.createOutputTopic(topics.checksRequested(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    verdicts = driver.createOutputTopic(topics.verdictsReached(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  void request(String id, String environment) {
    DeployTarget target = new DeployTarget("acme", "/repo", environment, "3f2c9a1b8e7d6c5b4a39281706f5e4d3c2b1a098", null);
    requests.pipeInput(id, Json.write(EvaluationRequested.of(id, "req-" + id, target, Source.API, "ci", null, null, null,
        List.of(), clock.instant(), null)));
  }

  void answer(String id, ProbeId probe, ProbeStatus status, Instant retryAt, int attempt) {
    results.pipeInput(id, Json.write(ProbeCompleted.of(id, id + "/" + probe, "req-" + id, probe, status, status + " reason",
        List.of(), false, RepoPolicy.none(), "w", clock.instant(), clock.instant(), retryAt).forAttempt(attempt)));
  }

  /** Moves the clock and lets the driver's wall-clock punctuation (the tick) run once. */
  void tickAfter(Duration d) {
    clock.advance(d);
    driver.advanceWallClockTime(d);
  }

  double visited() {
    return meters.counter("tollgate.aggregator.tick.visited").count();
  }

  List<VerdictReached> verdicts() {
    return verdicts.readValuesToList().stream().map(v -> Json.read(v, VerdictReached.class)).toList();
  }

  KeyValueStore<String, byte[]> stored() {
    return driver.getKeyValueStore(Aggregator.STORE);
  }

  /** Thousands of decided evaluations: the tick reads none of them; it reads the one whose deadline passed. */
  @Test
  void aTickReadsNothingOfThousandsOfDecidedEvaluations() {
    int decided = 2_000;
    for (int i = 0; i < decided; i++) {
      request("decided-" + i, "staging");
      answer("decided-" + i, CHECK, ProbeStatus.PASS, null, 1);
    }
    assertEquals(decided, verdicts().size());
    checks.readValuesToList();
    request("open", "staging"); // its probe never answers
    store.reset();

    for (int i = 0; i < 290; i++) {
      tickAfter(Duration.ofMillis(100)); // 29 s of ticks, the deadline not reached
    }
    assertEquals(0, store.reads(), "ticks before any deadline read nothing");
    assertEquals(0, store.scans.get(), "no tick scans the store");
    assertEquals(0, visited());
    assertTrue(verdicts().isEmpty());

    tickAfter(Duration.ofMillis(1_100)); // past the open evaluation's 30 s deadline
    List<VerdictReached> v = verdicts();
    assertEquals(1, v.size());
    assertEquals("open", v.get(0).evaluationId());
    assertEquals(Decision.NO_GO, v.get(0).decision());
    assertEquals(ReasonCode.PROBE_TIMED_OUT, v.get(0).reasons().get(0).code());
    assertEquals(1, visited(), "the tick visited the one evaluation that was due");
    assertEquals(1, store.gets.get(), "and read only it");
    assertEquals(0, store.scans.get());
    assertEquals(decided + 1, stored().approximateNumEntries(), "decided evaluations are kept");
  }

  /** A probe that answers before its deadline: the tick never decides (nor reads) it. */
  @Test
  void anAnsweredEvaluationIsNeverVisitedByTheTick() {
    request("quick", "staging");
    tickAfter(Duration.ofSeconds(5));
    answer("quick", CHECK, ProbeStatus.PASS, null, 1);
    assertEquals(Decision.GO, verdicts().get(0).decision());
    store.reset();
    tickAfter(Duration.ofSeconds(60)); // past what was its deadline
    assertEquals(0, visited());
    assertEquals(0, store.reads());
  }

  /** Decided state is deleted 7 days after its decision, each at its own time, without scanning the store. */
  @Test
  void decidedStateExpiresByTime() {
    request("monday", "staging");
    answer("monday", CHECK, ProbeStatus.PASS, null, 1);
    tickAfter(Duration.ofDays(1));
    request("tuesday", "staging");
    answer("tuesday", CHECK, ProbeStatus.FAIL, null, 1);
    store.reset();

    tickAfter(Duration.ofDays(6).minusSeconds(1)); // monday's decision is 7 days old, less a second
    assertNotNull(stored().get("monday"));
    assertEquals(0, visited());

    tickAfter(Duration.ofSeconds(2));
    assertNull(stored().get("monday"), "expired 7 days after its decision");
    assertNotNull(stored().get("tuesday"), "decided a day later: kept a day longer");
    assertEquals(1, meters.counter("tollgate.aggregator.expired").count());

    tickAfter(Duration.ofDays(1));
    assertNull(stored().get("tuesday"));
    assertEquals(2, visited(), "each visited once, when it expired");
    assertEquals(0, store.scans.get());
    assertEquals(0, stored().approximateNumEntries());
  }

  /** A held NO_GO is dispatched again when its window ends, not before, and decided again on the new answer. */
  @Test
  void aHeldNoGoIsReevaluatedWhenItsWindowEnds() {
    Instant windowEnds = T0.plus(Duration.ofHours(1));
    request("held", "production");
    assertEquals(1, checks.readValuesToList().size());
    answer("held", WINDOW, ProbeStatus.FAIL, windowEnds, 1);
    VerdictReached first = verdicts().get(0);
    assertEquals(Decision.NO_GO, first.decision());
    assertTrue(first.held());
    assertEquals(windowEnds, first.retryAt());

    tickAfter(Duration.ofMinutes(59));
    assertTrue(checks.isEmpty(), "not dispatched again before the window ends");
    assertEquals(0, visited());

    tickAfter(Duration.ofMinutes(1).plusMillis(100));
    List<CheckRequested> again = checks.readValuesToList().stream().map(c -> Json.read(c, CheckRequested.class)).toList();
    assertEquals(1, again.size());
    assertEquals(2, again.get(0).attempt());
    assertEquals(1, visited());

    answer("held", WINDOW, ProbeStatus.PASS, null, 2);
    VerdictReached second = verdicts().get(0);
    assertEquals(Decision.GO, second.decision());
    assertEquals(2, second.revision());
    assertFalse(second.held());
  }

  /** A request delivered twice (at-least-once) while its decision is kept starts nothing the second time. */
  @Test
  void aRedeliveredRequestDispatchesNothing() {
    request("again", "staging");
    answer("again", CHECK, ProbeStatus.PASS, null, 1);
    assertEquals(1, checks.readValuesToList().size());
    request("again", "staging");
    assertTrue(checks.isEmpty());
    assertTrue(verdicts().size() == 1);
  }

  /**
   * A deploy lock compares identities, not names: the admission a GO sends to the environment gate names its
   * submitter and deployers in the namespace of the request's source (a GitHub login is not a token's name).
   */
  @Test
  void anAdmissionNamesItsSubmitterAndDeployersInTheNamespaceOfTheRequestsSource() {
    TestOutputTopic<String, byte[]> admissions = driver.createOutputTopic(topics.admissionsRequested(),
        Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    DeployTarget target = new DeployTarget("acme", "/repo", "staging", "3f2c9a1b8e7d6c5b4a39281706f5e4d3c2b1a098", null);
    requests.pipeInput("gh", Json.write(EvaluationRequested.of("gh", "req-gh", target, Source.GITHUB, "alice", null, null,
        null, List.of(), clock.instant(), null).withSubmitter("alice", List.of("Bob"))));
    requests.pipeInput("api", Json.write(EvaluationRequested.of("api", "req-api", target, Source.API, "alice", null, null,
        null, List.of(), clock.instant(), null).withSubmitter("alice", List.of())));
    answer("gh", CHECK, ProbeStatus.PASS, null, 1);
    answer("api", CHECK, ProbeStatus.PASS, null, 1);
    Map<String, List<Identity>> parties = admissions.readValuesToList().stream()
        .map(v -> Json.read(v, AdmissionRequested.class))
        .collect(java.util.stream.Collectors.toMap(AdmissionRequested::evaluationId, AdmissionRequested::parties));
    assertEquals(List.of(new Identity(Identity.Kind.GITHUB, "alice"), new Identity(Identity.Kind.GITHUB, "Bob")),
        parties.get("gh"));
    assertEquals(List.of(Identity.token("alice")), parties.get("api"));
  }

  /**
   * A task that starts on states written before the index existed — the previous release's JSON, byte for byte as it
   * wrote them to the changelog (src/test/resources/aggregations/v1-*.json: an open evaluation with three probes
   * pending, a held NO_GO, a decided GO) — files each under its due time on init and acts on each at that time.
   * Streams calls init after restoring the store, on start and on every new assignment.
   */
  @Test
  void statesAlreadyInTheStoreAreIndexedWhenTheTaskStarts() throws Exception {
    MockProcessorContext<String, byte[]> context = new MockProcessorContext<>(props());
    KeyValueStore<String, byte[]> kv = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(Aggregator.STORE), Serdes.String(),
        Serdes.ByteArray()).withLoggingDisabled().build();
    kv.init(context.getStateStoreContext(), kv);
    context.addStateStore(kv);
    for (String name : List.of("v1-open.json", "v1-held.json", "v1-decided.json")) {
      byte[] json = getClass().getResourceAsStream("/aggregations/" + name).readAllBytes();
      kv.put(Json.mapper().readTree(json).path("evaluationId").asText(), json);
    }
    String open = "6004b24c-71e1-4ce4-b1b2-47643bdf22eb";
    String held = "5b0e3c1c-9c1e-4f3e-8a57-2f6d1c0b7a11";
    String decided = "9d41c2e7-0b3a-4c55-9e1f-6a2b8c7d5e30";
    TestClock time = new TestClock(Instant.parse("2026-12-07T04:37:00Z"));
    Aggregator aggregator = new Aggregator(topics, policy(), time, Aggregator.TICK, Aggregator.KEEP_DECIDED, meters);
    aggregator.init(context);
    var tick = context.scheduledPunctuators().get(0).getPunctuator();

    tick.punctuate(0);
    assertTrue(context.forwarded().isEmpty(), "nothing is due yet");

    time.advance(Duration.ofSeconds(45)); // the open evaluation's probes were dispatched at 04:36:44.67 with 1 minute
    tick.punctuate(0);
    List<VerdictReached> timedOut = context.forwarded(Aggregator.VERDICTS_SINK).stream()
        .map(f -> Json.read((byte[]) f.record().value(), VerdictReached.class)).toList();
    assertEquals(1, timedOut.size());
    assertEquals(open, timedOut.get(0).evaluationId());
    assertEquals(Decision.NO_GO, timedOut.get(0).decision());
    assertEquals(3, timedOut.get(0).reasons().stream().filter(r -> r.code() == ReasonCode.PROBE_TIMED_OUT).count());
    context.resetForwards();

    time.advance(Duration.between(time.instant(), Instant.parse("2026-12-07T06:00:00.050Z"))); // the hold ends at 06:00
    tick.punctuate(0);
    List<CheckRequested> again = context.forwarded(Aggregator.CHECKS_SINK).stream()
        .map(f -> Json.read((byte[]) f.record().value(), CheckRequested.class)).toList();
    assertEquals(List.of(held), again.stream().map(CheckRequested::evaluationId).toList());
    assertEquals(2, again.get(0).attempt());
    assertNotNull(kv.get(decided));

    // The GO was decided at 04:36:47.39 on the 7th; the open one (now NO_GO) at 04:37:45.
    time.advance(Duration.between(time.instant(), Instant.parse("2026-12-14T04:36:48Z")));
    tick.punctuate(0);
    assertNull(kv.get(decided), "expired 7 days after its decision");
    assertNotNull(kv.get(open), "decided a minute later: kept a minute longer");
    // open at its deadline; held at the end of its hold, then at its new check's deadline; decided at its expiry.
    assertEquals(4, visited(), "each state read only when due");
  }

  double statesRead(String from) {
    return meters.counter("tollgate.aggregator.states.read", "from", from).count();
  }

  /**
   * A result reads the state its task wrote a moment ago from the parsed copy, not by parsing the stored JSON again
   * (with assertions on, as in every test, each copy used is checked against what the stored bytes parse to).
   */
  @Test
  void aResultUsesTheParsedCopyOfTheStateItsTaskJustStored() {
    for (int i = 0; i < 10; i++) {
      request("e" + i, "staging");
    }
    for (int i = 0; i < 10; i++) {
      answer("e" + i, CHECK, ProbeStatus.PASS, null, 1);
    }
    assertEquals(10, verdicts().stream().filter(v -> v.decision() == Decision.GO).count());
    assertEquals(10, statesRead("copy"), "each result read its evaluation's state from the copy");
    assertEquals(0, statesRead("parsed"), "and parsed none");
    assertEquals(10, store.gets.get() - 10, "the store is still read for each result (and each request's duplicate check)");
  }

  /**
   * The attack on the copy: the store holds something else than what this task wrote (a restore from the changelog,
   * a replay, another writer). The stored state — here decided NO_GO — wins: the late PASS must not turn it into a GO.
   */
  @Test
  void aStateTheStoreHoldsOtherwiseIsParsedFromTheStoreAndTheCopyIsNotUsed() {
    request("x", "staging");
    AggregationState open = Json.read(stored().get("x"), AggregationState.class);
    AggregationState decidedElsewhere = open.decided(Decision.NO_GO, clock.instant(), 1, null, List.of());
    stored().put("x", Json.write(decidedElsewhere));

    answer("x", CHECK, ProbeStatus.PASS, null, 1);
    assertTrue(verdicts().isEmpty(), "the decision in the store stands: no GO after a NO_GO");
    assertEquals(0, statesRead("copy"));
    assertEquals(1, statesRead("parsed"), "the stored bytes were parsed");
  }

  /** The same bytes written again (a replayed write, another array) still match: the copy is keyed by content. */
  @Test
  void anEqualCopyOfTheStoredBytesStillUsesTheCopy() {
    request("y", "staging");
    stored().put("y", stored().get("y").clone());
    answer("y", CHECK, ProbeStatus.PASS, null, 1);
    assertEquals(Decision.GO, verdicts().get(0).decision());
    assertEquals(1, statesRead("copy"));
  }

  /**
   * A decided state is read again only by an override, a late result or the tick: a late result after the verdict
   * parses the stored bytes (that save() drops the copy: savingADecidedStateDropsItsCopy).
   */
  @Test
  void aDecidedStateIsParsedFromTheStoreNotFromACopy() {
    request("d", "staging");
    answer("d", CHECK, ProbeStatus.PASS, null, 1);
    assertEquals(Decision.GO, verdicts().get(0).decision());
    double copies = statesRead("copy");
    double parses = statesRead("parsed");

    answer("d", CHECK, ProbeStatus.PASS, null, 1); // redelivered after the verdict
    assertEquals(parses + 1, statesRead("parsed"), "the decided state's stored bytes were parsed");
    assertEquals(copies, statesRead("copy"), "no copy of a decided state is kept");
  }

  /**
   * A task initialised again (Streams does so after restoring or reassigning its store) trusts no copy of before, even
   * one of the very bytes still stored: the first result after it parses the stored state.
   */
  @Test
  void aTaskInitialisedAgainParsesTheStoredStatesBeforeKeepingCopies() {
    MockProcessorContext<String, byte[]> context = new MockProcessorContext<>(props());
    Aggregator aggregator = aggregatorOnAnInMemoryStore(context);
    requestOn(aggregator, context, "r");
    assertEquals(1, aggregator.parsedCopies(), "the open state's copy");

    aggregator.init(context);
    passOn(aggregator, context, "r");
    assertEquals(1, statesRead("parsed"), "the stored state was parsed after the re-initialisation");
    assertEquals(0, statesRead("copy"));
    KeyValueStore<String, byte[]> kv = context.getStateStore(Aggregator.STORE);
    assertTrue(Json.read(kv.get("r"), AggregationState.class).decided(), "and the result decided it");
  }

  /** Saving a decided state drops its copy: it is read again only by an override, a late result or the tick. */
  @Test
  void savingADecidedStateDropsItsCopy() {
    MockProcessorContext<String, byte[]> context = new MockProcessorContext<>(props());
    Aggregator aggregator = aggregatorOnAnInMemoryStore(context);
    requestOn(aggregator, context, "s");
    assertEquals(1, aggregator.parsedCopies(), "the open state's copy");
    passOn(aggregator, context, "s");
    assertEquals(1, statesRead("copy"), "the result read the copy");
    assertEquals(0, aggregator.parsedCopies(), "the decided state keeps none");
  }

  private Aggregator aggregatorOnAnInMemoryStore(MockProcessorContext<String, byte[]> context) {
    KeyValueStore<String, byte[]> kv = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(Aggregator.STORE), Serdes.String(),
        Serdes.ByteArray()).withLoggingDisabled().build();
    kv.init(context.getStateStoreContext(), kv);
    context.addStateStore(kv);
    Aggregator aggregator = new Aggregator(topics, policy(), clock, Aggregator.TICK, Aggregator.KEEP_DECIDED, meters);
    aggregator.init(context);
    return aggregator;
  }

  private void requestOn(Aggregator aggregator, MockProcessorContext<String, byte[]> context, String id) {
    DeployTarget target = new DeployTarget("acme", "/repo", "staging", "3f2c9a1b8e7d6c5b4a39281706f5e4d3c2b1a098", null);
    context.setRecordMetadata(topics.evaluationsRequested(), 0, 0);
    aggregator.process(new Record<>(id, Json.write(EvaluationRequested.of(id, "req-" + id, target, Source.API, "ci", null, null,
        null, List.of(), clock.instant(), null)), 0L));
  }

  private void passOn(Aggregator aggregator, MockProcessorContext<String, byte[]> context, String id) {
    context.setRecordMetadata(topics.probesCompleted(), 0, 1);
    aggregator.process(new Record<>(id, Json.write(ProbeCompleted.of(id, id + "/" + CHECK, "req-" + id, CHECK, ProbeStatus.PASS,
        "pass", List.of(), false, RepoPolicy.none(), "w", clock.instant(), clock.instant(), null)), 0L));
  }
}
