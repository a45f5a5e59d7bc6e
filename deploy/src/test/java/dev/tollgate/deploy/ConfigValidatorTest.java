package dev.tollgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

  /** worker.warmup: a duration, 0s turns it off; anything else is named with its key. */
  @Test
  void checksTheWorkersWarmUp() {
    List<String> bad = ConfigValidator.validate(ServerConfigFile.parse("t.yml", "worker: {warmup: soon}\n", false),
        ProbeRegistry.production());
    assertTrue(String.join("\n", bad).contains("worker.warmup"), String.join("\n", bad));
    assertEquals(List.of(), ConfigValidator.validate(
        ServerConfigFile.parse("t.yml", "worker: {warmup: 0s}\nenvironments: {staging: {}}\n", false), ProbeRegistry.production()));
    assertEquals(List.of(), ConfigValidator.validate(
        ServerConfigFile.parse("t.yml", "worker: {warmup: 30s}\nenvironments: {staging: {}}\n", false), ProbeRegistry.production()));
  }

  /** gate.warmup: a duration of 0 or more, 0s turns it off; anything else is named with its key. */
  @Test
  void checksTheGatesWarmUp() {
    for (String bad : List.of("soon", "-5s", "6m", "999999999d")) {
      List<String> problems = ConfigValidator.validate(ServerConfigFile.parse("t.yml", "gate: {warmup: " + bad + "}\n", false),
          ProbeRegistry.production());
      assertTrue(String.join("\n", problems).contains("gate.warmup"), bad + ": " + String.join("\n", problems));
    }
    assertEquals(List.of(), ConfigValidator.validate(
        ServerConfigFile.parse("t.yml", "gate: {warmup: 0s}\nenvironments: {staging: {}}\n", false), ProbeRegistry.production()));
    assertEquals(List.of(), ConfigValidator.validate(
        ServerConfigFile.parse("t.yml", "gate: {warmup: 3s}\nenvironments: {staging: {}}\n", false), ProbeRegistry.production()));
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

  /** Issue 20 item 4: README's GitHub block with a missing key file printed "valid", then serve exited 2 on it. */
  @Test
  void theGithubSectionIsCheckedAsServeChecksIt() throws Exception {
    Path secret = Files.writeString(tmp.resolve("webhook-secret"), "s3cr3t-webhook-value");
    String github = """
        tenants: [acme]
        environments: {staging: {}, production: {warningsBlock: true}}
        repositories:
          allowed: ["https://github.com/acme/"]
        github:
          appId: 123456
          %s: %s
          webhookSecretFile: %s
          installations: {12345678: acme}
        """;
    Path missingKey = Files.writeString(tmp.resolve("missing-key.yml"),
        github.formatted("privateKeyFile", tmp.resolve("github-app.pem"), secret));
    Path typo = Files.writeString(tmp.resolve("typo.yml"), github.formatted("privateKeyFil", tmp.resolve("github-app.pem"), secret));
    for (Path file : List.of(missingKey, typo)) {
      CliRun.Output validate = run("config", "validate", file.toString());
      assertEquals(1, validate.code(), validate.out());
      CliRun.Output serve = run("serve", "--config", file.toString(), "--data-dir", tmp.resolve("data").toString(), "--http-port", "0");
      assertEquals(2, serve.code(), serve.err());
      for (String line : validate.out().lines().toList()) {
        String problem = line.substring(line.indexOf(": ") + 2);
        assertTrue(serve.err().contains(problem), "serve reports what validate reports: " + problem + "\n" + serve.err());
      }
      assertFalse(validate.out().contains("s3cr3t-webhook-value") || serve.err().contains("s3cr3t-webhook-value"), "no secret");
    }
    assertTrue(run("config", "validate", missingKey.toString()).out().contains("github.privateKeyFile: " + tmp.resolve("github-app.pem")
        + " is not a readable file"));
    String typoOut = run("config", "validate", typo.toString()).out();
    assertTrue(typoOut.contains("github.privateKeyFil: unknown key, did you mean privateKeyFile?"), typoOut);
    assertTrue(typoOut.contains("github.privateKeyFile: expected exactly one of privateKeyFile (a file) or privateKeyEnv"), typoOut);
  }

  /** Issue 20 item 5: a top-level typo was "unreadable" (exit 2) and validation stopped at the first problem. */
  @Test
  void everyProblemIsReportedInOneRunWithTheKeyMeant() throws Exception {
    Path file = Files.writeString(tmp.resolve("tollgate.yml"), """
        enviroments: {production: {}}
        http: {prot: 8080}
        kafka: {partitions: 0, replicationFactr: 3}
        defaults: {warningBlock: true}
        tokens: [{name: ci, sha256: abc, role: requester, tenants: [default]}]
        """);
    CliRun.Output out = run("config", "validate", file.toString());
    assertEquals(1, out.code(), out.out() + out.err());
    List<String> expected = List.of(
        "enviroments: unknown key, did you mean environments?",
        "http.prot: unknown key, did you mean port?",
        "kafka.replicationFactr: unknown key, did you mean replicationFactor?",
        "kafka.partitions: expected 1-1000, got 0",
        "defaults.warningBlock: unknown key, did you mean warningsBlock?",
        "environments: expected a mapping with at least one environment",
        "tokens[0].sha256: expected 64 hex characters");
    for (String problem : expected) {
      assertTrue(out.out().contains(file + ": " + problem), problem + " in\n" + out.out());
    }
    // The command the hash message names exists and prints a hash.
    assertTrue(out.out().contains("`tollgate token new`"), out.out());
    assertEquals(0, run("token", "new", "--name", "ci").code());
  }

  /** A repository's .tollgate.yml given as a server file says which command checks it. */
  @Test
  void aRepositoryFileIsNotMistakenForAServerFile() throws Exception {
    Path file = Files.writeString(tmp.resolve(".tollgate.yml"), "version: 1\ndefaults: {requiredProbes: [secrets]}\n");
    CliRun.Output server = run("config", "validate", file.toString());
    assertEquals(1, server.code());
    assertTrue(server.out().contains("config validate --repository"), server.out());
    CliRun.Output repo = run("config", "validate", "--repository", file.toString());
    assertEquals(0, repo.code(), repo.out());
    assertEquals(file + ": valid\n", repo.out());
  }

  /** Issue 20 item 6: no command checked a repository's .tollgate.yml. Each probe checks its own section. */
  @Test
  void aRepositoryFileIsCheckedAsTheProbesReadIt() throws Exception {
    Path file = Files.writeString(tmp.resolve(".tollgate.yml"), """
        version: 1
        enviroments: {}
        defaults: {requiredProbes: [secret]}
        environments:
          production: {deadlines: {secrets: soon}}
        migrations: {lockTimout: 5s}
        parity: {detectt: false}
        rollback: {exlude: [x]}
        secrets: {allowPath: [x]}
        calendar: {holidays: {remove: [x]}}
        """);
    CliRun.Output out = run("config", "validate", "--repository", file.toString());
    assertEquals(1, out.code(), out.out() + out.err());
    assertTrue(out.out().contains("enviroments: unknown key, did you mean environments?"), out.out());
    Files.writeString(file, Files.readString(file).replace("enviroments: {}\n", ""));
    out = run("config", "validate", "--repository", file.toString());
    assertEquals(1, out.code(), out.out() + out.err());
    // A repository's values are never echoed (issue 19): the key and what was expected.
    for (String problem : List.of("defaults.requiredProbes: an entry names an unknown probe", "migrations.lockTimout: unknown key",
        "parity.detectt: unknown key", "rollback.exlude: unknown key", "secrets.allowPath: unknown key",
        "calendar.holidays.remove: unknown key")) {
      assertTrue(out.out().contains(problem), problem + " in\n" + out.out());
    }
    assertEquals(2, run("config", "validate", "--repository", tmp.resolve("absent.yml").toString()).code());
  }

  /** Issue 20 item 2: gates behind one Service each made their own admin token; a gate now needs tokens: in the file. */
  @Test
  void aGateRoleNeedsItsTokensInTheFile() throws Exception {
    Path file = Files.writeString(tmp.resolve("tollgate.yml"), "environments: {production: {}}\n");
    assertEquals(0, run("config", "validate", file.toString()).code());
    CliRun.Output gate = run("config", "validate", "--role", "gate", file.toString());
    assertEquals(1, gate.code());
    assertTrue(gate.out().contains("tokens: a gate started with --role gate needs its API tokens in tollgate.yml"), gate.out());
    CliRun.Output serve = run("serve", "--role", "gate", "--config", file.toString(), "--data-dir", tmp.resolve("d").toString());
    assertEquals(2, serve.code());
    assertTrue(serve.err().contains("tokens: a gate started with --role gate"), serve.err());
    assertFalse(Files.exists(tmp.resolve("d").resolve(AllInOne.ADMIN_TOKEN_FILE)), "no per-pod admin token");
  }

  static CliRun.Output run(String... args) {
    return CliRun.run(args);
  }

  @Test
  void checksTheAttestationsSectionWithoutGeneratingAKey() {
    ServerConfigFile file = ServerConfigFile.parse("t.yml", """
        environments: {production: {}}
        attestations: {keyEnv: TOLLGATE_ATTESTATION_KEY, keyId: "k 1"}
        """, false);
    List<String> problems = ConfigValidator.validate(file, ProbeRegistry.production(), name -> null);
    assertEquals(1, problems.size(), String.valueOf(problems));
    assertTrue(problems.get(0).startsWith("attestations.keyId: key id: expected"), problems.get(0));
    ServerConfigFile unset = ServerConfigFile.parse("t.yml", """
        environments: {production: {}}
        attestations: {keyEnv: TOLLGATE_ATTESTATION_KEY}
        """, false);
    assertEquals(List.of("attestations.keyEnv: environment variable TOLLGATE_ATTESTATION_KEY is not set"),
        ConfigValidator.validate(unset, ProbeRegistry.production(), name -> null));
  }
}
