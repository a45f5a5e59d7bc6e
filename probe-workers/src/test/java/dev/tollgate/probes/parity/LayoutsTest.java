package dev.tollgate.probes.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LayoutsTest {
  private static String detect(List<String> paths, String target, String previous) {
    return Layouts.detect(paths, target, previous, List.of()).stream()
        .map(c -> c.label() + " " + c.previousFiles() + " -> " + c.targetFiles()).collect(Collectors.joining("\n"));
  }

  @Test
  void pairsFilesByLogicalNameAcrossSpellingsAndAddsBaseFiles() {
    assertEquals("""
        .env.{env} [.env, .env.stage] -> [.env, .env.prod]
        chart/values-{env}.yaml [chart/values.yaml, chart/values-staging.yml] -> [chart/values.yaml, chart/values-production.yaml]
        config/application-{env}.yaml [config/application.yml, config/application-staging.yml] -> [config/application.yml, config/application-prod.properties]
        k8s/overlays/{env}/kustomization.yaml [k8s/overlays/staging/kustomization.yaml] -> [k8s/overlays/production/kustomization.yaml]""",
        detect(List.of(".env", ".env.prod", ".env.stage", "chart/values.yaml", "chart/values-production.yaml",
            "chart/values-staging.yml", "config/application.yml", "config/application-prod.properties",
            "config/application-staging.yml", "k8s/overlays/production/kustomization.yaml",
            "k8s/overlays/staging/kustomization.yaml", "src/Main.java"), "production", "staging"));
  }

  @Test
  void genericEnvironmentDirectoriesNeedACounterpart() {
    // apps/dev is a tool, not an environment: it has no staging counterpart, so it is not compared.
    assertEquals("envs/{env}/app.json [envs/dev/app.json] -> [envs/staging/app.json]",
        detect(List.of("envs/dev/app.json", "envs/staging/app.json", "apps/dev/package.json"), "staging", "dev"));
  }

  @Test
  void ignoresTestsDocsAndFilesNamingBothEnvironments() {
    assertEquals("", detect(List.of("src/test/resources/application-staging.yml", "src/test/resources/application-prod.yml",
        "docs/values-staging.yaml", "docs/values-production.yaml", "migrate-staging-to-production.yaml",
        ".github/workflows/deploy-production.yml"), "production", "staging"));
    assertTrue(Layouts.excluded("legacy/values-staging.yaml", List.of(Glob.path("legacy/**"))));
  }

  @Test
  void placeholdersOnlyReplaceWholeWords() {
    List<String> prod = EnvNames.variants("production");
    assertEquals(List.of("production", "prod", "prd"), prod);
    assertEquals("values-{env}.yaml", EnvNames.placeholder("values-prod.yaml", prod));
    assertEquals("productivity/values.yaml", EnvNames.placeholder("productivity/values.yaml", prod));
    assertEquals("DB_HOST_{env}", EnvNames.placeholder("DB_HOST_PROD", prod));
    assertEquals("Deployment/api-{env}.spec", EnvNames.placeholder("Deployment/api-production.spec", prod));
  }

  @Test
  void keyGlobsCoverChildrenAndPathGlobsCrossDirectoriesOnlyWithDoubleStars() {
    assertTrue(Glob.key("ingress").matches("ingress.hosts"));
    assertTrue(Glob.key("ingress.*").matches("ingress.tls.secretName"));
    assertTrue(!Glob.key("ingress").matches("ingressClass"));
    assertTrue(Glob.path("deploy/*.env").matches("deploy/a.env"));
    assertTrue(!Glob.path("deploy/*.env").matches("deploy/x/a.env"));
    assertTrue(Glob.path("deploy/**/*.env").matches("deploy/a.env"));
    assertTrue(Glob.path("deploy/**").matches("deploy/x/y/a.env"));
  }
}
