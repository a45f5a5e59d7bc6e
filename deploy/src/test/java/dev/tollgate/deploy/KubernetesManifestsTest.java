package dev.tollgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.contracts.Topics;
import dev.tollgate.probes.runtime.ProbeRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The overlays under deploy/kubernetes as Kubernetes gets them: rendered by the real {@code kubectl kustomize} (every
 * machine image of this project has kubectl with kustomize v5), then held to what a production deploy of Tollgate
 * needs. Issue 20 items 1–3: NetworkPolicies that selected no pod, a ConfigMap without tokens, a CA Secret and
 * KafkaTopics in the wrong namespace, and a staging overlay sharing production's topics and consumer groups.
 */
class KubernetesManifestsTest {
  static final Path DIR = Path.of("kubernetes");
  static final Path OPERATIONS = Path.of("../docs/operations.md");
  static final List<String> OVERLAYS = List.of("production", "staging");
  /** The Deployments each NetworkPolicy is meant for (the default deny: every pod). */
  static final Map<String, Set<String>> POLICY_TARGETS = Map.of(
      "tollgate-default-deny", Set.of("tollgate-gate", "tollgate-workers"),
      "tollgate-gate-ingress", Set.of("tollgate-gate"),
      "tollgate-metrics-ingress", Set.of("tollgate-gate", "tollgate-workers"),
      "tollgate-egress", Set.of("tollgate-gate", "tollgate-workers"));

  static Map<String, List<Doc>> rendered;

  record Doc(JsonNode node) {
    String kind() {
      return node.path("kind").asText();
    }

    String name() {
      return node.path("metadata").path("name").asText();
    }

    String namespace() {
      return node.path("metadata").path("namespace").asText("");
    }

    @Override
    public String toString() {
      return kind() + " " + namespace() + "/" + name();
    }
  }

  /** One overlay's installation: its rendered objects and its tollgate.yml, read as serve reads it. */
  record Installation(String overlay, List<Doc> docs, ServerConfigFile config, ServerSetup setup) {}

  @BeforeAll
  static void render() throws Exception {
    rendered = new LinkedHashMap<>();
    for (String overlay : OVERLAYS) {
      rendered.put(overlay, kustomize(DIR.resolve("overlays").resolve(overlay)));
    }
  }

  /** {@code kubectl kustomize dir}, parsed. */
  static List<Doc> kustomize(Path dir) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
    } catch (IOException e) {
      throw new IllegalStateException("kubectl is needed to render deploy/kubernetes (it is on this project's machine "
          + "images, with kustomize v5): " + e.getMessage(), e);
    }
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize " + dir);
    assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + ": " + err);
    List<Doc> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(out)) {
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n != null && !n.isEmpty()) {
          docs.add(new Doc(n));
        }
      }
    }
    return docs;
  }

  static Installation installation(String overlay) {
    List<Doc> docs = rendered.get(overlay);
    Doc cm = docs.stream().filter(d -> d.kind().equals("ConfigMap") && d.name().startsWith("tollgate-config")).findFirst()
        .orElseThrow(() -> new AssertionError(overlay + ": no tollgate-config ConfigMap"));
    ServerConfigFile file = ServerConfigFile.parse(overlay + " tollgate.yml", cm.node().path("data").path("tollgate.yml").asText(),
        false);
    ServerSetup.Result result = ServerSetup.read(file, new ServerSetup.Inputs(Path.of("/var/lib/tollgate"), null,
        AllInOne.Role.GATE, List.of(), ProbeRegistry.production(), name -> null, Clock.systemUTC()));
    assertEquals(List.of(), result.problems(), overlay + ": its tollgate.yml, read as `serve --role gate` reads it");
    return new Installation(overlay, docs, file, result.setup());
  }

  static List<Doc> workloads(List<Doc> docs) {
    return docs.stream().filter(d -> d.kind().equals("Deployment")).toList();
  }

  static boolean selects(JsonNode selector, JsonNode labels) {
    for (Map.Entry<String, JsonNode> e : selector.path("matchLabels").properties()) {
      if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
        return false;
      }
    }
    if (selector.has("matchExpressions")) {
      fail("matchExpressions are not evaluated by this test: use matchLabels");
    }
    return true;
  }

  @Test
  void everyNetworkPolicySelectsThePodsItIsMeantFor() {
    for (String overlay : OVERLAYS) {
      List<Doc> docs = rendered.get(overlay);
      Map<String, Set<String>> selected = new TreeMap<>();
      for (Doc np : docs.stream().filter(d -> d.kind().equals("NetworkPolicy")).toList()) {
        Set<String> pods = new TreeSet<>();
        for (Doc w : workloads(docs)) {
          if (w.namespace().equals(np.namespace())
              && selects(np.node().path("spec").path("podSelector"), w.node().path("spec").path("template").path("metadata").path("labels"))) {
            pods.add(w.name());
          }
        }
        selected.put(np.name(), pods);
      }
      assertEquals(new TreeMap<>(POLICY_TARGETS), selected, overlay + ": the pods each NetworkPolicy selects");
    }
  }

  /** With the default deny in force, each pod must still reach DNS and the Kafka bootstrap its tollgate.yml names. */
  @Test
  void everyPodMayReachDnsAndItsKafka() {
    for (String overlay : OVERLAYS) {
      Installation in = installation(overlay);
      String bootstrap = in.setup().kafka().bootstrap();
      Matcher m = Pattern.compile("([a-z0-9-]+)-kafka-bootstrap\\.([a-z0-9-]+)\\.svc(?:\\.cluster\\.local)?:(\\d+)").matcher(bootstrap);
      assertTrue(m.matches(), overlay + ": kafka.bootstrap is a Strimzi bootstrap service: " + bootstrap);
      String kafkaNamespace = m.group(2);
      int kafkaPort = Integer.parseInt(m.group(3));
      for (Doc w : workloads(in.docs())) {
        JsonNode labels = w.node().path("spec").path("template").path("metadata").path("labels");
        boolean dns = false;
        boolean kafka = false;
        for (Doc np : in.docs().stream().filter(d -> d.kind().equals("NetworkPolicy") && d.namespace().equals(w.namespace())).toList()) {
          if (!selects(np.node().path("spec").path("podSelector"), labels)) {
            continue;
          }
          for (JsonNode rule : np.node().path("spec").path("egress")) {
            Set<Integer> ports = new LinkedHashSet<>();
            rule.path("ports").forEach(p -> ports.add(p.path("port").asInt()));
            for (JsonNode to : rule.path("to")) {
              String ns = to.path("namespaceSelector").path("matchLabels").path("kubernetes.io/metadata.name").asText(null);
              if (ports.contains(53) && "kube-dns".equals(to.path("podSelector").path("matchLabels").path("k8s-app").asText())) {
                dns = true;
              }
              if (ports.contains(kafkaPort) && kafkaNamespace.equals(ns)) {
                kafka = true;
              }
            }
          }
        }
        assertTrue(dns, overlay + ": " + w + " may not reach DNS");
        assertTrue(kafka, overlay + ": " + w + " may not reach Kafka at " + bootstrap);
      }
    }
  }

  /**
   * Every Secret and ConfigMap a pod mounts exists in the pod's namespace, or is optional, or is one docs/operations.md
   * tells the operator to create beforehand.
   */
  @Test
  void everyReferencedSecretAndConfigMapExistsOrIsCreatedBeforehand() throws IOException {
    String beforehand = section(Files.readString(OPERATIONS), "### What you create before applying an overlay");
    for (String overlay : OVERLAYS) {
      List<Doc> docs = rendered.get(overlay);
      for (Doc w : workloads(docs)) {
        JsonNode pod = w.node().path("spec").path("template").path("spec");
        List<JsonNode> refs = new ArrayList<>();
        pod.path("volumes").forEach(v -> {
          if (v.has("secret")) {
            refs.add(Json.ref("Secret", v.path("secret").path("secretName").asText(), v.path("secret").path("optional").asBoolean()));
          }
          if (v.has("configMap")) {
            refs.add(Json.ref("ConfigMap", v.path("configMap").path("name").asText(), v.path("configMap").path("optional").asBoolean()));
          }
        });
        for (JsonNode c : pod.path("containers")) {
          for (JsonNode from : c.path("envFrom")) {
            for (String kind : List.of("secretRef", "configMapRef")) {
              if (from.has(kind)) {
                refs.add(Json.ref(kind.equals("secretRef") ? "Secret" : "ConfigMap", from.path(kind).path("name").asText(),
                    from.path(kind).path("optional").asBoolean()));
              }
            }
          }
        }
        assertFalse(refs.isEmpty());
        for (JsonNode ref : refs) {
          String kind = ref.path("kind").asText();
          String name = ref.path("name").asText();
          boolean exists = docs.stream().anyMatch(d -> d.kind().equals(kind) && d.name().equals(name) && d.namespace().equals(w.namespace()));
          if (!exists && !ref.path("optional").asBoolean()) {
            assertTrue(beforehand.contains("`" + name + "`"), overlay + ": " + w + " needs " + kind + " " + w.namespace() + "/" + name
                + ", which the overlay does not create and docs/operations.md does not tell the operator to create");
          }
        }
      }
    }
  }

  /** KafkaTopics go to the Kafka cluster's namespace, for the cluster the bootstrap names; each overlay's are generated. */
  @Test
  void kafkaTopicsAreTheInstallationsAndLandWhereStrimziWatches() throws IOException {
    for (String overlay : OVERLAYS) {
      Installation in = installation(overlay);
      Matcher m = Pattern.compile("([a-z0-9-]+)-kafka-bootstrap\\.([a-z0-9-]+)\\.svc.*").matcher(in.setup().kafka().bootstrap());
      assertTrue(m.matches());
      String cluster = m.group(1);
      List<Doc> topics = in.docs().stream().filter(d -> d.kind().equals("KafkaTopic")).toList();
      assertEquals(Topics.ALL.size(), topics.size(), overlay);
      Topics names = in.setup().kafka().topics();
      Set<String> expected = new TreeSet<>();
      Topics.ALL.forEach(t -> expected.add(names.name(t)));
      Set<String> actual = new TreeSet<>();
      for (Doc t : topics) {
        assertEquals(m.group(2), t.namespace(), overlay + ": " + t + " must be in the Kafka cluster's namespace");
        assertEquals(cluster, t.node().path("metadata").path("labels").path("strimzi.io/cluster").asText(), overlay + ": " + t);
        actual.add(t.node().path("spec").path("topicName").asText());
      }
      assertEquals(expected, actual, overlay + ": the KafkaTopics are the topics its tollgate.yml uses");
      Path file = DIR.resolve("overlays").resolve(overlay).resolve("topics/kafka-topics.yaml");
      String committed = Files.readString(file);
      String header = committed.lines().findFirst().orElse("");
      assertEquals(KubernetesTopics.render(names, in.setup().kafka().partitions(), in.setup().kafka().replicationFactor(), cluster),
          committed, "regenerate " + file + " with the command in its first line: " + header);
      // The CA the pods trust is the cluster's (Strimzi names it <cluster>-cluster-ca-cert).
      for (Doc w : workloads(in.docs())) {
        assertTrue(w.node().path("spec").path("template").path("spec").path("volumes").toString()
            .contains("\"" + cluster + "-cluster-ca-cert\""), overlay + ": " + w + " mounts " + cluster + "-cluster-ca-cert");
      }
    }
  }

  /** Two installations on one Kafka cluster must not share a topic, a consumer group or a Streams application. */
  @Test
  void overlaysShareNoTopicConsumerGroupOrApplicationId() {
    Map<String, String> owner = new HashMap<>();
    List<String> shared = new ArrayList<>();
    for (String overlay : OVERLAYS) {
      Installation in = installation(overlay);
      Topics topics = in.setup().kafka().topics();
      List<String> names = new ArrayList<>();
      Topics.ALL.forEach(t -> names.add("topic " + topics.name(t)));
      names.add("streams application " + in.setup().gate().applicationId());
      names.add("topic " + in.setup().gate().applicationId() + "-aggregations-changelog");
      names.add("consumer group " + in.setup().worker().groupId());
      // The reporters' groups (GitHubReporter, GitLabReporter, SlackReporter): <topicNamespace>tollgate-<platform>-reporter.
      for (String platform : List.of("github", "gitlab", "slack")) {
        names.add("consumer group " + topics.prefix() + "tollgate-" + platform + "-reporter");
      }
      in.docs().stream().filter(d -> d.kind().equals("KafkaTopic")).forEach(d -> names.add("KafkaTopic " + d.namespace() + "/" + d.name()));
      for (String name : names) {
        String before = owner.putIfAbsent(name, overlay);
        if (before != null) {
          shared.add(name + " (" + before + " and " + overlay + ")");
        }
      }
      assertEquals(1, in.docs().stream().filter(d -> d.kind().equals("Namespace")).count(), overlay);
    }
    assertEquals(List.of(), shared, "shared between overlays");
    assertEquals(OVERLAYS.size(), OVERLAYS.stream().map(o -> rendered.get(o).stream().filter(d -> d.kind().equals("Deployment"))
        .findFirst().orElseThrow().namespace()).distinct().count(), "each overlay in its own namespace");
  }

  /** Issue 20 item 2: every gate behind the Service accepts the same tokens, from the ConfigMap. */
  @Test
  void gatesShareTheirTokensThroughTheConfig() {
    for (String overlay : OVERLAYS) {
      Installation in = installation(overlay);
      assertTrue(in.config().section("tokens").isArray() && !in.config().section("tokens").isEmpty(), overlay + ": tokens:");
      Doc gate = workloads(in.docs()).stream().filter(d -> d.name().equals("tollgate-gate")).findFirst().orElseThrow();
      assertTrue(gate.node().path("spec").path("template").path("spec").path("containers").get(0).path("args").toString()
          .contains("\"gate\""), overlay + ": the gate runs --role gate");
    }
  }

  @Test
  void workloadsArePinnedNonRootReadOnlyProbedAndBounded() {
    List<String> problems = new ArrayList<>();
    for (String overlay : OVERLAYS) {
      List<Doc> deployments = workloads(rendered.get(overlay));
      assertEquals(2, deployments.size());
      for (Doc d : deployments) {
        String where = overlay + " " + d + ": ";
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
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems));
    }
  }

  @Test
  void secretsAreReferencedNeverCommittedAndTrafficIsDeniedByDefault() throws IOException {
    try (Stream<Path> files = Files.walk(DIR)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        assertFalse(Files.readString(f).matches("(?s).*\\bkind:\\s*Secret\\b.*"), f + ": no Secret manifests in the repository");
      }
    }
    for (String overlay : OVERLAYS) {
      List<Doc> docs = rendered.get(overlay);
      assertTrue(docs.stream().anyMatch(d -> d.kind().equals("NetworkPolicy") && d.name().equals("tollgate-default-deny")
          && d.node().path("spec").path("podSelector").isEmpty()));
      assertTrue(docs.stream().anyMatch(d -> d.kind().equals("PodDisruptionBudget") && d.name().equals("tollgate-gate")));
      assertTrue(docs.stream().anyMatch(d -> d.kind().equals("HorizontalPodAutoscaler") && d.name().equals("tollgate-workers")));
    }
  }

  /** The text of a Markdown section: from its heading to the next heading of the same or a higher level. */
  static String section(String markdown, String heading) {
    int start = markdown.indexOf("\n" + heading + "\n");
    assertTrue(start >= 0, "docs/operations.md has a section \"" + heading + "\"");
    String level = heading.substring(0, heading.indexOf(' '));
    Matcher next = Pattern.compile("\n#{1," + level.length() + "} ").matcher(markdown);
    int end = next.find(start + heading.length() + 1) ? next.start() : markdown.length();
    return markdown.substring(start, end);
  }

  /** Small JSON helpers. */
  static final class Json {
    private Json() {}

    static JsonNode ref(String kind, String name, boolean optional) {
      return dev.tollgate.contracts.Json.mapper().createObjectNode().put("kind", kind).put("name", name).put("optional", optional);
    }
  }
}
