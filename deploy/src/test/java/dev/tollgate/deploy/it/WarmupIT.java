package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.gate.GateService;
import dev.tollgate.gate.GateWarmup;
import dev.tollgate.gate.attestation.AttestationKey;
import dev.tollgate.gate.attestation.AttestationKeys;
import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.runtime.ProbeRegistry;
import dev.tollgate.probes.runtime.ProbeRunner;
import dev.tollgate.probes.runtime.Warmup;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack a warm-up invites: synthetic evaluations leaking into what users read. Both warm-ups run against a live
 * installation on a real broker (the gate's in memory beside the running gate, signing with a throwaway
 * key) and afterwards no topic of the installation, the aggregator's changelogs included, has one record more, and the
 * views show no evaluation and no audit entry of theirs.
 */
class WarmupIT {
  static final String YAML = """
      tenants: [acme]
      environments:
        production: {probes: {pass: {}}}
        staging: {}
      """;

  @TempDir
  Path tmp;

  /** The end offset of every partition of every topic of the installation (its namespace). */
  static Map<TopicPartition, Long> endOffsets(TestInstallation tollgate) throws Exception {
    List<String> topics = new ArrayList<>();
    try (Admin admin = Admin.create(new HashMap<>(tollgate.kafka()))) {
      for (String t : admin.listTopics().names().get()) {
        if (t.startsWith(tollgate.topics().prefix())) {
          topics.add(t);
        }
      }
    }
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(new HashMap<>(tollgate.kafka()), new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (String t : topics) {
        consumer.partitionsFor(t).forEach(p -> parts.add(new TopicPartition(t, p.partition())));
      }
      return consumer.endOffsets(parts);
    }
  }

  @Test
  void warmingUpWritesNothingToAnyTopicOrView() throws Exception {
    AttestationKeys keys = AttestationKeys.of(AttestationKey.generate(AttestationKey.Kind.ED25519));
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS), YAML).withAttestation(keys)) {
      tollgate.startGate();
      // The gate records its policy once it read the audit topic: let that land before the first count.
      JsonNode audit = PolicyChangeAuditIT.changes(tollgate, TestInstallation.ADMIN, 1);
      assertEquals(1, audit.size(), audit.toString());
      Map<TopicPartition, Long> before = endOffsets(tollgate);
      assertTrue(before.keySet().stream().anyMatch(p -> p.topic().contains("changelog")), "the changelogs are counted: " + before);

      // Built as GateService.start builds it (the process's own warm-up ran once, in whichever gate of this JVM started
      // first): the installation's policy and a throwaway key of its signing key's kind.
      GateWarmup.Report gate = GateService.warmup(tollgate.gateConfig(), new GateService.Integrations(null, null, null, null, keys),
          Clock.systemUTC()).run(Duration.ofSeconds(2));
      assertTrue(gate.evaluations() > 0, gate.toString());
      Warmup.Report worker = new Warmup(ProbeRegistry.production(), new ProbeRunner(200), ChangeSet.Limits.DEFAULT,
          Clock.systemUTC()).run(Duration.ofSeconds(2));
      assertTrue(worker.rounds() > 0 && worker.errors() == 0, worker.toString());

      assertEquals(before, endOffsets(tollgate), "not one record more on any topic");
      JsonNode evaluations = tollgate.api(TestInstallation.ADMIN).get("/api/v1/evaluations").json();
      assertEquals(0, evaluations.path("items").size(), evaluations.toString());
      JsonNode everything = tollgate.api(TestInstallation.ADMIN).get("/api/v1/audit").json().path("items");
      assertEquals(1, everything.size(), "only the policy record: " + everything);
      assertFalse(everything.toString().contains("warm"), everything.toString());
    }
  }
}
