package dev.tollgate.probes.rollback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Manifests are untrusted input: lines are kept, merge keys resolved, and hostile YAML is skipped, not expanded. */
class YamlTreeTest {
  @Test
  void keepsTheLineOfEachKeyAndResolvesMergeKeys() {
    List<YamlTree.Node> docs = YamlTree.documents("""
        kind: First
        ---
        defaults: &d
          image: nginx:1.27.2
        web:
          <<: *d
          replicas: 2
        """);
    assertEquals(2, docs.size());
    YamlTree.Node web = docs.get(1).get("web");
    assertEquals("nginx:1.27.2", web.get("image").string());
    assertEquals(2L, web.get("replicas").integer().orElseThrow());
    assertEquals(7, web.get("replicas").line());
    assertTrue(web.get("missing").isMissing());
  }

  @Test
  void skipsARecursiveAlias() {
    assertEquals(List.of(), YamlTree.documents("a: &a [*a]\n"));
  }

  @Test
  void skipsAnAliasBombUnderSnakeYamlsAliasLimitInsteadOfExpandingIt() {
    // 2 aliases per level, 24 levels: 48 aliases (under the limit of 50) naming 2^24 nodes.
    StringBuilder yaml = new StringBuilder("l0: &l0 [x, x]\n");
    for (int i = 1; i <= 24; i++) {
      yaml.append("l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l").append(i - 1)
          .append("]\n");
    }
    List<YamlTree.Node> docs = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> YamlTree.documents(yaml.toString()));
    assertEquals(List.of(), docs);
  }

  @Test
  void skipsTextThatIsNotYaml() {
    assertEquals(List.of(), YamlTree.documents("image: {{ .Values.image }}\n  bad: [\n"));
  }
}
