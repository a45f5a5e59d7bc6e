package dev.tollgate.probes.secrets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathGlobTest {
  @Test
  void nameGlobsMatchTheFileNameInAnyDirectory() {
    PathGlob g = PathGlob.anyOf(List.of("*.yaml", ".env*", "Dockerfile"));
    assertTrue(g.matches("k8s/deploy.yaml"));
    assertTrue(g.matches("deploy.yaml"));
    assertTrue(g.matches("svc/.env.production"));
    assertTrue(g.matches("Dockerfile"));
    assertFalse(g.matches("deploy.yaml.bak"));
    assertFalse(g.matches("svc/app.env.js"));
    assertFalse(g.matches("Dockerfile.dev"));
  }

  @Test
  void fileNameGlobsLookAtTheFileNameOnly() {
    PathGlob g = PathGlob.fileNames(List.of("*.yaml", "testdata"));
    assertTrue(g.matches("k8s/deploy.yaml"));
    assertFalse(g.matches("charts.yaml/README.md"));
    assertFalse(g.matches("pkg/testdata/creds.json"));
  }

  @Test
  void nameGlobNamingADirectoryCoversItsContent() {
    assertTrue(PathGlob.of("testdata").matches("pkg/testdata/creds.json"));
    assertTrue(PathGlob.of("test*data").matches("pkg/test-data/creds.json"));
  }

  @Test
  void pathGlobsAnchorAtTheRootAndDoubleStarCrossesDirectories() {
    PathGlob g = PathGlob.of("fixtures/**");
    assertTrue(g.matches("fixtures/a.json"));
    assertTrue(g.matches("fixtures/deep/b.json"));
    assertFalse(g.matches("src/fixtures/a.json"));
    PathGlob any = PathGlob.of("**/testdata/*.json");
    assertTrue(any.matches("testdata/a.json"));
    assertTrue(any.matches("x/y/testdata/a.json"));
    assertFalse(any.matches("x/testdata/sub/a.json"));
    assertTrue(PathGlob.of("/docs/*.md").matches("docs/setup.md"));
    assertFalse(PathGlob.of("docs/*.md").matches("docs/sub/setup.md"));
    assertTrue(PathGlob.of("docs/?.md").matches("docs/a.md"));
  }

  @Test
  void manyStarsStayCheap() {
    PathGlob g = PathGlob.of("*a*a*a*a*a*a*a*a*a*b");
    long t = System.nanoTime();
    assertFalse(g.matches("a".repeat(40)));
    assertTrue((System.nanoTime() - t) < 2_000_000_000L);
  }

  @Test
  void rejectsEmptyGlobs() {
    assertThrows(IllegalArgumentException.class, () -> PathGlob.of(" "));
    assertThrows(IllegalArgumentException.class, () -> PathGlob.anyOf(List.of()));
  }
}
