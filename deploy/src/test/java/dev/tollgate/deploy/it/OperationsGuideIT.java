package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.gate.auth.Tokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/operations.md, as a new operator follows it (issue 20): every shell block is marked with what it needs. The
 * blocks that run here run in order, as written, in a copy of the checkout's {@code deploy/kubernetes} with the built
 * jar; the blocks that need a cluster or a registry must parse, name files that exist, and render what they apply.
 */
class OperationsGuideIT {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path GUIDE = ROOT.resolve("docs/operations.md");
  static final Pattern BLOCK = Pattern.compile("(?m)^<!-- doc-test: (here|cluster|build)[^>]*-->\\n```sh\\n(.*?)^```$", Pattern.DOTALL);
  /** What the cluster-only blocks define for the blocks after them: the image digest of step 1. */
  static final String DIGEST = "sha256:" + "ab".repeat(32);

  @TempDir
  Path tmp;

  record Block(String kind, String text) {}

  static List<Block> blocks() throws IOException {
    String md = Files.readString(GUIDE);
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(md);
    while (m.find()) {
      blocks.add(new Block(m.group(1), m.group(2)));
    }
    long all = Pattern.compile("(?m)^```sh$").matcher(md).results().count();
    assertEquals(all, blocks.size(), "every ```sh block of docs/operations.md is preceded by <!-- doc-test: here|cluster|build -->");
    return blocks;
  }

  @Test
  void theBlocksThatRunHereRunAsWrittenInOrder() throws Exception {
    List<Block> here = blocks().stream().filter(b -> b.kind().equals("here")).toList();
    assertFalse(here.isEmpty());
    copyTree(ROOT.resolve("deploy/kubernetes"), tmp.resolve("deploy/kubernetes"));
    Files.createDirectories(tmp.resolve("deploy/target"));
    Files.createSymbolicLink(tmp.resolve("deploy/target/tollgate.jar"), ROOT.resolve("deploy/target/tollgate.jar"));
    StringBuilder script = new StringBuilder("set -euo pipefail\n");
    here.forEach(b -> script.append(b.text()).append('\n'));
    Result r = bash(script.toString(), tmp, Map.of("DIGEST", DIGEST));
    assertEquals(0, r.code(), "the guide's commands failed:\n" + r.out());

    // What they did: the token printed once authenticates against the rendered ConfigMap, the image is the digest.
    String tokenFile = Files.readString(tmp.resolve("admin-token.txt"));
    Matcher token = Pattern.compile("(?m)^token \\(shown once[^:]*: (\\S+)$").matcher(tokenFile);
    assertTrue(token.find(), tokenFile.replaceAll("tg_\\S+", "<token>"));
    List<JsonNode> rendered = new ArrayList<>();
    try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(tmp.resolve("tollgate-production.yaml").toFile())) {
      it.forEachRemaining(rendered::add);
    }
    String config = rendered.stream().filter(d -> d.path("kind").asText().equals("ConfigMap")).findFirst().orElseThrow()
        .path("data").path("tollgate.yml").asText();
    assertTrue(config.contains("sha256: \"" + Tokens.sha256(token.group(1)) + "\""), config);
    assertFalse(config.contains("0".repeat(64)), "the placeholder hash is gone");
    assertTrue(config.contains("https://github.com/acme/"), config);
    long pinned = rendered.stream().filter(d -> d.path("kind").asText().equals("Deployment"))
        .filter(d -> d.path("spec").path("template").path("spec").path("containers").get(0).path("image").asText().endsWith("@" + DIGEST))
        .count();
    assertEquals(2, pinned, "both Deployments run the image of step 1");
    assertTrue(Files.readString(tmp.resolve("tollgate-production.yaml")).contains("kind: KafkaTopic"));
  }

  @Test
  void theBlocksThatNeedAClusterParseAndRenderWhatTheyApply() throws Exception {
    List<Block> cluster = blocks().stream().filter(b -> !b.kind().equals("here")).toList();
    assertTrue(cluster.size() >= 5, "cluster blocks: " + cluster.size());
    for (Block b : cluster) {
      Result syntax = bash("bash -n <<'EOF'\n" + b.text() + "EOF\n", tmp, Map.of());
      assertEquals(0, syntax.code(), "does not parse:\n" + b.text() + syntax.out());
      Matcher paths = Pattern.compile("(?<![\\w/])(deploy/[\\w./-]+[\\w/])").matcher(b.text());
      while (paths.find()) {
        assertTrue(Files.exists(ROOT.resolve(paths.group(1))), paths.group(1) + " named in:\n" + b.text());
      }
      Matcher applyK = Pattern.compile("kubectl apply -k (\\S+)").matcher(b.text());
      while (applyK.find()) {
        Result render = bash("kubectl kustomize " + applyK.group(1) + " > /dev/null", ROOT, Map.of());
        assertEquals(0, render.code(), "kubectl kustomize " + applyK.group(1) + ": " + render.out());
      }
      Matcher applyF = Pattern.compile("kubectl apply (?:-n \\S+ )?-f (\\S+)").matcher(b.text());
      while (applyF.find()) {
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(ROOT.resolve(applyF.group(1)).toFile())) {
          assertTrue(it.readAll().stream().allMatch(d -> d.has("apiVersion") && d.has("kind")), applyF.group(1));
        }
      }
    }
  }

  /** The Strimzi example is the cluster the overlays expect: its name, and a TLS listener on the bootstrap's port. */
  @Test
  void theStrimziExampleIsTheClusterTheOverlaysUse() throws Exception {
    List<JsonNode> docs;
    try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class)
        .readValues(ROOT.resolve("deploy/kubernetes/examples/strimzi-kafka.yaml").toFile())) {
      docs = it.readAll();
    }
    JsonNode kafka = docs.stream().filter(d -> d.path("kind").asText().equals("Kafka")).findFirst().orElseThrow();
    assertEquals("tollgate-kafka", kafka.path("metadata").path("name").asText());
    assertTrue(kafka.path("spec").path("entityOperator").has("topicOperator"), "the Topic Operator creates the KafkaTopics");
    boolean tls9093 = false;
    for (JsonNode l : kafka.path("spec").path("kafka").path("listeners")) {
      tls9093 |= l.path("port").asInt() == 9093 && l.path("tls").asBoolean();
    }
    assertTrue(tls9093, "a TLS listener on 9093");
    for (String overlay : List.of("production", "staging")) {
      String config = Files.readString(ROOT.resolve("deploy/kubernetes/overlays/" + overlay + "/app/tollgate.yml"));
      assertTrue(config.contains("bootstrap: tollgate-kafka-kafka-bootstrap.kafka.svc:9093"), overlay);
    }
  }

  record Result(int code, String out) {}

  static Result bash(String script, Path dir, Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "finished");
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
