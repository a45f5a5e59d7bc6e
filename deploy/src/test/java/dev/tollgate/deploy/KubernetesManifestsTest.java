package dev.tollgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.evaluation.RepositoryAllowList;
import dev.tollgate.gate.GateConfig;
import dev.tollgate.probes.WorkerConfig;
import dev.tollgate.probes.api.ServerSettings;
import dev.tollgate.probes.runtime.ProbeRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every manifest under deploy/kubernetes parsed and held to what a production deploy of Tollgate needs. */
class KubernetesManifestsTest {
  static final Path DIR = Path.of("kubernetes");

  record Doc(Path file, JsonNode node) {
    String kind() {
      return node.path("kind").asText();
    }

    String name() {
      return node.path("metadata").path("name").asText();
    }
  }

  static List<Doc> docs() throws IOException {
    List<Doc> docs = new ArrayList<>();
    try (Stream<Path> files = Files.walk(DIR)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(f.toFile())) {
          while (it.hasNext()) {
            JsonNode n = it.next();
            if (n != null && !n.isEmpty()) {
              docs.add(new Doc(f, n));
            }
          }
        }
      }
    }
    return docs;
  }

  @Test
  void kafkaTopicsAreGeneratedFromTheCode() throws IOException {
    String committed = Files.readString(DIR.resolve("base/kafka-topics.yaml"));
    assertEquals(KubernetesTopics.render(Topics.standard(), 12, (short) 3, "tollgate-kafka"), committed,
        "regenerate: java -jar deploy/target/tollgate.jar kubernetes topics > deploy/kubernetes/base/kafka-topics.yaml");
    long topics = docs().stream().filter(d -> d.kind().equals("KafkaTopic")).count();
    assertEquals(Topics.ALL.size(), topics);
  }

  @Test
  void workloadsArePinnedNonRootReadOnlyProbedAndBounded() throws IOException {
    List<String> problems = new ArrayList<>();
    List<Doc> deployments = docs().stream().filter(d -> d.kind().equals("Deployment")).toList();
    assertEquals(2, deployments.size());
    for (Doc d : deployments) {
      String where = d.file() + " " + d.name() + ": ";
      JsonNode spec = d.node().path("spec");
      JsonNode pod = spec.path("template").path("spec");
      if (!pod.path("securityContext").path("runAsNonRoot").asBoolean()) {
        problems.add(where + "runAsNonRoot");
      }
      if (!(spec.path("revisionHistoryLimit").asInt(10) > 0) || !spec.has("progressDeadlineSeconds")) {
        problems.add(where + "revisionHistoryLimit > 0 and progressDeadlineSeconds");
      }
      if ("100%".equals(spec.path("strategy").path("rollingUpdate").path("maxUnavailable").asText())) {
        problems.add(where + "maxUnavailable 100%");
      }
      for (JsonNode c : pod.path("containers")) {
        if (!c.path("image").asText().matches(".+@sha256:[0-9a-f]{64}")) {
          problems.add(where + "image not pinned by digest: " + c.path("image").asText());
        }
        JsonNode sc = c.path("securityContext");
        if (!sc.path("readOnlyRootFilesystem").asBoolean() || sc.path("allowPrivilegeEscalation").asBoolean(true)
            || !sc.path("capabilities").path("drop").toString().contains("ALL")) {
          problems.add(where + "container security context");
        }
        if (!"/health/ready".equals(c.path("readinessProbe").path("httpGet").path("path").asText())
            || !"/health/live".equals(c.path("livenessProbe").path("httpGet").path("path").asText())) {
          problems.add(where + "readiness and liveness probes on /health/*");
        }
        if (!c.path("resources").path("requests").has("cpu") || !c.path("resources").path("limits").has("memory")) {
          problems.add(where + "resource requests and a memory limit");
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems));
    }
  }

  @Test
  void secretsAreReferencedNeverCommittedAndTrafficIsDeniedByDefault() throws IOException {
    List<Doc> docs = docs();
    assertTrue(docs.stream().noneMatch(d -> d.kind().equals("Secret")), "no Secret manifests in the repository");
    assertTrue(docs.stream().anyMatch(d -> d.kind().equals("NetworkPolicy") && d.name().equals("tollgate-default-deny")
        && d.node().path("spec").path("podSelector").isEmpty()));
    assertTrue(docs.stream().anyMatch(d -> d.kind().equals("PodDisruptionBudget") && d.name().equals("tollgate-gate")));
    assertTrue(docs.stream().anyMatch(d -> d.kind().equals("HorizontalPodAutoscaler") && d.name().equals("tollgate-workers")));
  }

  @Test
  void theConfigMapIsAValidTollgateConfiguration() throws IOException {
    Doc cm = docs().stream().filter(d -> d.kind().equals("ConfigMap")).findFirst().orElseThrow();
    ServerConfigFile file = ServerConfigFile.parse("configmap", cm.node().path("data").path("tollgate.yml").asText(), false);
    KafkaSettings kafka = KafkaSettings.from(file.section("kafka"), null);
    assertEquals(3, kafka.replicationFactor());
    GateConfig gate = GateConfig.from(file.root(), kafka.topics(), Path.of("/var/lib/tollgate"), ProbeRegistry.production().ids(),
        List.of(), false);
    assertFalse(gate.allowList().allowLocalPaths());
    WorkerConfig.from(file.section("worker"), RepositoryAllowList.fromConfig(file.section("repositories"), false), kafka.topics(),
        Path.of("/var/lib/tollgate"), ServerSettings.empty());
  }

  @Test
  void everyKustomizationResourceExists() throws IOException {
    for (Doc d : docs()) {
      if (d.file().getFileName().toString().equals("kustomization.yaml")) {
        for (JsonNode r : d.node().path("resources")) {
          assertTrue(Files.exists(d.file().getParent().resolve(r.asText())), d.file() + " lists " + r.asText());
        }
      }
    }
  }
}
