package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log shows every change of the server's policy: the first start records the policy in force, a restart
 * with the same tollgate.yml records nothing, a restart with a changed one records the change with both versions.
 * Every tenant's viewers see it (the policy applies to all of them).
 */
class PolicyChangeAuditIT {
  static final String BEFORE = """
      tenants: [acme, globex]
      environments:
        production: {probes: {pass: {}}}
      """;
  static final String AFTER = """
      tenants: [acme, globex]
      environments:
        production: {probes: {pass: {}}, warningsBlock: true}
      """;

  @TempDir
  Path tmp;

  static JsonNode changes(TestInstallation tollgate, String token, int atLeast) throws InterruptedException {
    JsonNode items = null;
    for (long until = dev.tollgate.deploy.testing.Waits.deadline(java.time.Duration.ofMillis(20000)); System.nanoTime() < until; ) {
      items = tollgate.api(token).get("/api/v1/audit?kind=CONFIG_CHANGED").json().path("items");
      if (items.size() >= atLeast) {
        return items;
      }
      Thread.sleep(100);
    }
    return items;
  }

  @Test
  void policyChangesAreAuditedOncePerChangeForEveryTenant() throws Exception {
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS), BEFORE)) {
      tollgate.startGate();
      JsonNode first = changes(tollgate, TestInstallation.ADMIN, 1);
      assertEquals(1, first.size(), first.toString());
      String before = first.get(0).path("evaluationId").asText();
      assertTrue(before.startsWith("config:"), first.toString());
      assertTrue(first.get(0).path("detail").asText().contains("none recorded before"), first.toString());
      assertEquals("SERVER", first.get(0).path("source").asText(), first.toString());
      assertEquals(1, changes(tollgate, TestInstallation.VIEWER, 1).size(), "acme's viewer sees it");
      assertEquals(1, changes(tollgate, TestInstallation.OTHER_TENANT, 1).size(), "and globex's admin");

      tollgate.stopGate();
      tollgate.startGate();
      Thread.sleep(2_000); // the restarted gate has read the audit topic and decided within a second
      assertEquals(1, changes(tollgate, TestInstallation.ADMIN, 2).size(), "the same policy: nothing new");

      tollgate.stopGate();
      tollgate.withConfig(AFTER).startGate();
      JsonNode both = changes(tollgate, TestInstallation.ADMIN, 2);
      assertEquals(2, both.size(), both.toString());
      String after = both.get(0).path("evaluationId").asText();
      assertEquals("Policy changed from " + before.substring(7) + " to " + after.substring(7)
          + "; environments: production. Verdicts decided under it carry policy version server:" + after.substring(7) + ".",
          both.get(0).path("detail").asText(), "newest first");
      String csv = tollgate.api(TestInstallation.ADMIN).get("/api/v1/audit?kind=CONFIG_CHANGED&format=csv").body();
      assertTrue(csv.contains("CONFIG_CHANGED") && csv.contains(after), csv);
    }
  }
}
