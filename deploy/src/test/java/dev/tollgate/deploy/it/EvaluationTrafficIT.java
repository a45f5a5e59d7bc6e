package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.contracts.verdict.ReasonCode;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.deploy.testing.TopicReader;
import dev.tollgate.deploy.testing.Waits;
import dev.tollgate.gate.attestation.AttestationKey;
import dev.tollgate.gate.attestation.AttestationKeys;
import dev.tollgate.gate.attestation.AttestationSigner;
import dev.tollgate.probes.runtime.ProbeWorker;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an evaluation costs the broker beyond its own messages (bench/load.sh prints the whole count per phase).
 *
 * <ul>
 *   <li>The aggregator's changelogs: the aggregator writes an evaluation's state on its request and on each result,
 *       and the environment gate an environment's state on every admitted verdict, each before it forwards what it
 *       decided, so that a replay after a crash finds the decision and publishes nothing twice or differently. Every
 *       one of these writes must reach the changelog: Streams' record cache would fold them into one per commit and
 *       lose the ones after the last commit on a crash (tried in stop 30 and removed after review).
 *   <li>The worker's offset commits: at most one per {@code ProbeWorker.COMMIT_INTERVAL} while checks finish,
 *       not one each time a check finished; the attestation signer's, at most one per
 *       {@code AttestationSigner.COMMIT_INTERVAL}, not one per signed batch (about one per verdict).
 * </ul>
 */
class EvaluationTrafficIT {
  private static final int EVALUATIONS = 20;
  private static final int PROBES = 4;

  @TempDir
  Path tmp;

  @Test
  void everyStateTheGateStoresReachesTheChangelogNoneFoldedByACache() throws Exception {
    try (TestInstallation tollgate = installation()) {
      List<String> ids = evaluateAtOnce(tollgate);
      String app = tollgate.gateConfig().applicationId();
      // Every decided state reaches the changelog: wait for that, then count what was written.
      Map<String, Integer> aggregations = new HashMap<>();
      Set<String> decidedInChangelog = new HashSet<>();
      List<ConsumerRecord<String, byte[]>> gates = new ArrayList<>();
      try (KafkaConsumer<String, byte[]> changelogs = consumer(tollgate.kafka(), app + "-aggregations-changelog",
          app + "-environment-gates-changelog")) {
        long deadline = Waits.deadline(Duration.ofSeconds(30));
        while (!decidedInChangelog.containsAll(ids) && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, byte[]> r : changelogs.poll(Duration.ofMillis(200))) {
            if (r.topic().endsWith("-environment-gates-changelog")) {
              gates.add(r);
            } else if (ids.contains(r.key())) {
              aggregations.merge(r.key(), 1, Integer::sum);
              if (r.value() != null && new String(r.value(), StandardCharsets.UTF_8).contains("\"decision\":\"GO\"")) {
                decidedInChangelog.add(r.key());
              }
            }
          }
        }
      }
      assertTrue(decidedInChangelog.containsAll(ids), "every decided state is in the changelog: " + decidedInChangelog);
      for (String id : ids) {
        // The request and each of the PROBES results: every write, none folded (the last result's write decides).
        assertTrue(aggregations.getOrDefault(id, 0) >= 1 + PROBES, "changelog records of " + id + ": " + aggregations.get(id));
      }
      assertTrue(gates.size() >= EVALUATIONS, "environment gate changelog records for " + EVALUATIONS + " admissions: "
          + gates.size());
    }
  }

  @Test
  void theWorkerCommitsItsOffsetsOncePerIntervalNotOncePerCheck() throws Exception {
    try (TestInstallation tollgate = installation()) {
      double before = commits(tollgate);
      long started = System.nanoTime();
      evaluateAtOnce(tollgate);
      // Every check's result is on the broker; what is owed is committed within the interval (and the poll after it).
      long deadline = Waits.deadline(Duration.ofSeconds(10));
      while (lag(tollgate) > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(0, lag(tollgate), "every check is committed");
      double commits = commits(tollgate) - before;
      assertTrue(commits > 0, "the commit meter is read: the checks' offsets were committed");
      long intervals = (System.nanoTime() - started) / ProbeWorker.COMMIT_INTERVAL.toNanos();
      // Before: a commit each time checks finished (34 for these 80 checks on a loaded machine), however short the
      // second or two they take on a quiet one.
      assertTrue(commits <= intervals + 2, "offset commits for " + EVALUATIONS * PROBES + " checks: " + commits + " in "
          + intervals + " intervals");
    }
  }

  /**
   * Verdicts arriving one by one, 50 a second: a commit after each signed batch was a commit per verdict (the poll returns
   * as soon as one arrives); now at most one per {@code AttestationSigner.COMMIT_INTERVAL}, and every verdict is signed.
   */
  @Test
  void theAttestationSignerCommitsItsOffsetsOncePerIntervalNotOncePerVerdict() throws Exception {
    int verdicts = 100;
    try (TestInstallation tollgate = installation(AttestationKeys.of(AttestationKey.generate(AttestationKey.Kind.ED25519)));
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(new HashMap<>(tollgate.kafka()), new StringSerializer(),
            new ByteArraySerializer())) {
      assertTrue(tollgate.gate().attestationSigner().awaitAssignment(Duration.ofSeconds(60)), "the signer has partitions");
      String group = tollgate.topics().prefix() + "tollgate-attestation-signer";
      double before = signerCommits(tollgate);
      long started = System.nanoTime();
      List<String> ids = new ArrayList<>();
      DeployTarget target = new DeployTarget("acme", "/repo", "development", "3f2c9a1b8e7d6c5b4a39281706f5e4d3c2b1a098", null);
      for (int i = 0; i < verdicts; i++) {
        String id = "verdict-" + i + "-" + UUID.randomUUID();
        Instant now = Instant.now();
        VerdictReached v = VerdictReached.of(id, "req-" + i, target, Decision.NO_GO,
            List.of(new Reason(ReasonCode.PROBE_FAILED, null, "a probe failed")), List.of(), "server:test", now, now, 1, null, false);
        producer.send(new ProducerRecord<>(tollgate.topics().verdictsReached(), id, Json.write(v))).get(10, TimeUnit.SECONDS);
        ids.add(id);
        Thread.sleep(20); // one by one, as verdicts are decided
      }
      long deadline = Waits.deadline(Duration.ofSeconds(20));
      while (TopicReader.lag(tollgate.kafka(), group, tollgate.topics().verdictsReached()) > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(0, TopicReader.lag(tollgate.kafka(), group, tollgate.topics().verdictsReached()), "every verdict committed");
      long intervals = (System.nanoTime() - started) / AttestationSigner.COMMIT_INTERVAL.toNanos();
      deadline = Waits.deadline(Duration.ofSeconds(20));
      while (!ids.stream().allMatch(id -> tollgate.gate().attestations().signed(id, 1)) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(ids.stream().allMatch(id -> tollgate.gate().attestations().signed(id, 1)), "every verdict signed");
      double commits = signerCommits(tollgate) - before;
      assertTrue(commits > 0, "the commit meter is read: the verdicts' offsets were committed");
      assertTrue(commits <= intervals + 2, "signer commits for " + verdicts + " verdicts: " + commits + " in "
          + intervals + " intervals");
    }
  }

  private TestInstallation installation() throws Exception {
    return installation(null);
  }

  private TestInstallation installation(AttestationKeys keys) throws Exception {
    String config = """
        tenants: [acme]
        environments:
          development: {probes: {pass: {}, second: {}, third: {}, fourth: {}}}
        """;
    TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS, TestProbes.passing("second"), TestProbes.passing("third"),
            TestProbes.passing("fourth")), config);
    if (keys != null) {
      tollgate.withAttestation(keys);
    }
    tollgate.startGate();
    tollgate.startWorker("w1");
    return tollgate;
  }

  /** Requests {@link #EVALUATIONS} evaluations, all in flight at once, each of its own candidate; waits for their GO. */
  private List<String> evaluateAtOnce(TestInstallation tollgate) throws Exception {
    FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "0");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < EVALUATIONS; i++) {
      repo.commit("a.txt", Integer.toString(i + 1));
      Api.Response accepted = tollgate.api().post("/api/v1/evaluations", "{\"repository\":\"" + repo.dir()
          + "\",\"environment\":\"development\",\"candidate\":\"" + repo.head() + "\"}");
      assertEquals(202, accepted.status(), accepted.body());
      ids.add(accepted.json().path("id").asText());
    }
    for (String id : ids) {
      JsonNode decided = tollgate.api().get("/api/v1/evaluations/" + id + "?waitSeconds=60").json();
      assertEquals("GO", decided.path("verdict").path("decision").asText(), decided.toString());
    }
    return ids;
  }

  /** The worker's offset commits so far (its consumer's coordinator metrics). */
  private static double commits(TestInstallation tollgate) {
    return commits(tollgate, "probe-worker-");
  }

  /** The attestation signer's offset commits so far. */
  private static double signerCommits(TestInstallation tollgate) {
    return commits(tollgate, "gate-attestation-signer");
  }

  private static double commits(TestInstallation tollgate, String clientIdPrefix) {
    return tollgate.meters().find("kafka.consumer.coordinator.commit.total").functionCounters().stream()
        .filter(c -> c.getId().getTag("client.id") != null && c.getId().getTag("client.id").startsWith(clientIdPrefix))
        .mapToDouble(c -> c.count()).sum();
  }

  /** Checks requested and not committed by the workers' group. */
  private static long lag(TestInstallation tollgate) throws Exception {
    try (Admin admin = Admin.create(tollgate.kafka())) {
      for (var g : admin.listGroups().all().get(10, TimeUnit.SECONDS)) {
        if (g.groupId().contains("probe-workers") && g.groupId().startsWith(tollgate.topics().prefix())) {
          return TopicReader.lag(tollgate.kafka(), g.groupId(), tollgate.topics().checksRequested());
        }
      }
      return Long.MAX_VALUE;
    }
  }

  private static KafkaConsumer<String, byte[]> consumer(Map<String, Object> kafka, String... topics) {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String t : topics) {
      c.partitionsFor(t, Duration.ofSeconds(30)).forEach(i -> partitions.add(new TopicPartition(t, i.partition())));
    }
    c.assign(partitions);
    c.seekToBeginning(partitions);
    return c;
  }
}
