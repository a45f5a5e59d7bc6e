package dev.tollgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.probes.runtime.ProbeRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigValidatorTest {
  @TempDir
  Path tmp;

  @Test
  void reportsEveryProblemWithItsKey() {
    ServerConfigFile file = ServerConfigFile.parse("t.yml", """
        http: {port: 99999}
        kafka: {partitions: 0}
        worker: {concurrency: 0}
        environments:
          staging: {deadline: soon}
          production:
            probes: {secret: {}}
            calendar: {regions: [atlantis-central-1]}
        """, false);
    List<String> problems = ConfigValidator.validate(file, ProbeRegistry.production());
    String all = String.join("\n", problems);
    assertTrue(all.contains("kafka.partitions: expected 1-1000, got 0"), all);
    assertTrue(all.contains("worker.concurrency: expected a positive integer, got 0"), all);
    assertTrue(all.contains("environments.staging.deadline: expected a duration"), all);
    assertTrue(all.contains("environments.production.probes.secret: unknown probe \"secret\""), all);
    assertTrue(all.contains("http.port: expected 0-65535, got 99999"), all);
    assertTrue(all.contains("atlantis-central-1"), "the calendar probe checks its own settings: " + all);
    assertTrue(problems.size() >= 6, all);
  }

  /** The server's readLimits (issue 19): a downgrade is explicit, and a typo in one is caught before it fails closed. */
  @Test
  void checksReadLimitsPerEnvironment() {
    ServerConfigFile bad = ServerConfigFile.parse("t.yml", """
        defaults: {readLimits: {fileSize: warn}}
        environments:
          staging: {readLimits: {commitz: warn}}
          production: {readLimits: {unparseable: never}}
        """, false);
    List<String> problems = ConfigValidator.validate(bad, ProbeRegistry.production());
    assertEquals(List.of("environments.staging.readLimits.commitz: unknown limit (known: [fileSize, commits, totalBytes, "
        + "unparseable])", "environments.production.readLimits.unparseable: expected block, warn or info, got \"never\""),
        problems);
    ServerConfigFile good = ServerConfigFile.parse("t.yml", """
        defaults: {readLimits: {fileSize: block}}
        environments:
          development: {readLimits: {fileSize: warn, commits: info}}
          production: {}
        """, false);
    assertEquals(List.of(), ConfigValidator.validate(good, ProbeRegistry.production()));
  }

  @Test
  void checksTheGitlabSectionWithItsSecretsAndNamesTheKey() {
    ServerConfigFile bad = ServerConfigFile.parse("t.yml", """
        tenants: [acme]
        environments: {production: {}}
        gitlab:
          botTokenEnv: GL_BOT
          webhookTokenEnv: GL_HOOK
          freezes: {environments: [staging]}
          tenants: {acme: [acme]}
        """, false);
    java.util.Map<String, String> env = java.util.Map.of("GL_BOT", "glpat-secret-bot", "GL_HOOK", "hook-secret");
    List<String> problems = ConfigValidator.validate(bad, ProbeRegistry.production(), env::get);
    assertEquals(1, problems.size(), String.valueOf(problems));
    assertTrue(problems.get(0).startsWith("gitlab.freezes.environments: \"staging\" is not configured"), problems.get(0));
    assertTrue(problems.stream().noneMatch(p -> p.contains("glpat-secret-bot") || p.contains("hook-secret")), "no secret printed");
    ServerConfigFile missingSecret = ServerConfigFile.parse("t.yml", """
        tenants: [acme]
        environments: {production: {}}
        gitlab: {botTokenEnv: GL_BOT, webhookTokenEnv: GL_HOOK, tenants: {acme: [acme]}}
        """, false);
    assertEquals(List.of("gitlab.botTokenEnv: environment variable GL_BOT is not set"),
        ConfigValidator.validate(missingSecret, ProbeRegistry.production(), name -> null));
    assertEquals(List.of(), ConfigValidator.validate(missingSecret, ProbeRegistry.production(), env::get));
  }

  @Test
  void theBuiltInDefaultAndTheKubernetesConfigAreValid() throws Exception {
    assertEquals(List.of(), ConfigValidator.validate(ServerConfigFile.load(null), ProbeRegistry.production()));
    Path file = tmp.resolve("tollgate.yml");
    Files.writeString(file, "environments: {production: {}}\n");
    assertEquals(0, Cli.run("config", "validate", file.toString()));
    Files.writeString(file, "environments: {production: {deadline: soon}}\n");
    assertEquals(1, Cli.run("config", "validate", file.toString()));
    assertEquals(2, Cli.run("config", "validate", tmp.resolve("missing.yml").toString()));
  }
}
