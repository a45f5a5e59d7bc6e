package dev.tollgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.gate.GateConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Config errors fail at start with a message naming the key and the bad value. */
class ServerConfigFileTest {
  static final Set<ProbeId> PROBES = Set.of(ProbeId.SECRETS, ProbeId.CALENDAR);

  static String error(String yaml) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
      ServerConfigFile file = ServerConfigFile.parse("t.yml", yaml, false).strict();
      KafkaSettings.from(file.section("kafka"), null);
      GateConfig.from(file.root(), Topics.standard(), Path.of("/tmp"), PROBES, List.of(), false);
    });
    return e.getMessage();
  }

  @Test
  void theCommandLinesHostAndPortKeepTheFilesDeliveryAndWarmup() {
    // --http-host / --http-port (the container's 0.0.0.0) once rebuilt the settings and dropped `delivery:`.
    ServerConfigFile file = ServerConfigFile.parse("t.yml",
        "delivery: {failureWindow: 2h}\ngate: {warmup: 2s}\nenvironments: {staging: {}}\n", false);
    GateConfig gate = GateConfig.from(file.root(), Topics.standard(), Path.of("/tmp"), PROBES, List.of(), false)
        .withHttpHost("0.0.0.0").withHttpPort(9090);
    assertEquals("0.0.0.0", gate.httpHost());
    assertEquals(9090, gate.httpPort());
    assertEquals(java.time.Duration.ofHours(2), gate.delivery().failureWindow());
    assertEquals(java.time.Duration.ofSeconds(2), gate.warmup());
  }

  @Test
  void theBuiltInDefaultIsValid() {
    ServerConfigFile file = ServerConfigFile.load(null);
    GateConfig gate = GateConfig.from(file.root(), Topics.standard(), Path.of("/tmp"), PROBES, List.of(), file.builtIn());
    assertEquals(Set.of("development", "staging", "production"), gate.policy().environments().keySet());
    assertTrue(gate.allowList().allowLocalPaths());
    assertEquals(8080, gate.httpPort());
  }

  @Test
  void errorsNameTheKeyAndTheValue() {
    assertEquals("config t.yml: enviroments: unknown key, did you mean environments? (known: [attestations, defaults, delivery, environments, gate, github, gitlab, "
        + "http, kafka, repositories, slack, tenants, tokens, tracing, worker])",
        error("enviroments: {}"));
    assertEquals("http.port: expected 0-65535, got \"80a\"", error("http: {port: 80a}\nenvironments: {prod: {}}"));
    assertEquals("environments.prod.probes.secret: unknown probe \"secret\" (known: [calendar, secrets])",
        error("environments: {prod: {probes: {secret: {}}}}"));
    assertEquals("defaults.deadline: expected a duration like 30s, 5m or PT30S, got \"soon\"",
        error("defaults: {deadline: soon}\nenvironments: {prod: {}}"));
    assertEquals("environments: expected at least one environment, got none", error("tenants: [a]"));
    assertEquals("kafka.bootstrap: expected host:port[,host:port...], got \"kafka\"", error("kafka: {bootstrap: kafka}"));
    assertTrue(error("environments: {prod: {}}\ntokens: [{name: ci, sha256: abc, role: admin, tenants: [default]}]")
        .startsWith("tokens[0].sha256: expected 64 hex characters"));
    assertEquals("repositories.allowed[0]: URLs must not carry credentials; configure credentials on the server",
        error("environments: {prod: {}}\nrepositories: {allowed: [\"https://x:y@github.com/acme\"]}"));
  }
}
