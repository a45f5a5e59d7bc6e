package dev.tollgate.probes.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.check.CheckRequested;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.probes.api.ConfigValues;
import dev.tollgate.probes.api.ServerSettings;
import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A repository's configuration errors name the key, never the value (issue 19, item 4): a value that is not
 * credential-shaped (so the redactor would let it through) planted in every key of every probe's section, in every
 * production probe's result, never comes back; the check still fails closed on it.
 */
class ConfigValuesNotEchoedTest {
  static final String MARK = "zqxvalue";

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {
      "version: zqxvalue\n",
      "environments: {production: {deadlines: {secrets: zqxvalue}}}\n",
      "environments: {production: {warningsBlock: zqxvalue}}\n",
      "environments: {production: {requiredProbes: [zqxvalue]}}\n",
      "defaults: {deadlines: {zqxvalue: 30s}}\n",
      "migrations: {dialect: zqxvalue, postgresVersion: zqxvalue, lockTimeoutSetByRole: zqxvalue}\n",
      "rollback: {budget: zqxvalue, floatingTags: zqxvalue, forwardOnly: {db/V2__x.sql: [zqxvalue]}, movingTags: [[zqxvalue]]}\n",
      "environments: {production: {rollback: {blastRadius: {commits: zqxvalue}, progressDeadline: zqxvalue}}}\n",
      "parity: {detect: zqxvalue, ignoreKeys: [[zqxvalue]]}\n",
      "environments: {production: {promotesFrom: 'zqxvalue!', promotion: {proof: zqxvalue, hotfix: '(zqxvalue'}}}\n",
      "calendar: {regions: [zqxvalue]}\n",
      "calendar: {holidays: {block: [zqxvalue]}}\n",
      "calendar: {freezes: [{name: f, cron: {start: zqxvalue, end: '0 8 * * 1'}}]}\n",
      "calendar: {businessHours: {open: {mon: zqxvalue}}}\n",
      "calendar: {timeZone: zqxvalue}\n",
      "calendar: {feeds: [{name: f, url: 'zqxvalue://x'}]}\n",
      "secrets: {allowPaths: [[zqxvalue]]}\n"})
  void flagsEveryBadValueWithoutEchoingIt(String tollgateYml) {
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "x\n").deployed()
        .commit(java.util.Map.of(".tollgate.yml", tollgateYml, "db/V2__x.sql", "SELECT 1;\n"), "config");
    List<String> outputs = new ArrayList<>();
    boolean failedClosed = false;
    ProbeRegistry registry = ProbeRegistry.production();
    CheckExecutor executor = new CheckExecutor(registry, check -> repo.changeSet(ChangeSet.Limits.DEFAULT), new ProbeRunner(200),
        ServerSettings.empty(), ResultRedactionTest.CLOCK, "test");
    for (ProbeId probe : registry.ids()) {
      ProbeCompleted r = executor.execute(CheckRequested.of("e", "r", repo.target("production"), probe,
          ResultRedactionTest.CLOCK.instant().plusSeconds(60), ResultRedactionTest.CLOCK.instant(), null));
      outputs.add(Json.writeString(r));
      failedClosed |= r.status() != ProbeStatus.PASS || (r.repoPolicy() != null && r.repoPolicy().error() != null);
    }
    for (String out : outputs) {
      assertFalse(out.contains(MARK), "a repository value was echoed: " + out);
    }
    assertEquals(true, failedClosed, "the bad value is still a problem: " + outputs);
  }

  @Test
  void flagsValuesInSharedMessagesAndPassesTheRest() {
    assertEquals("k.block: expected day, day-before or bridge",
        ConfigValues.withoutValues("k.block: expected day, day-before or bridge, got \"week\""));
    assertEquals("k.regions[0]: unknown region: expected a cloud region",
        ConfigValues.withoutValues("k.regions[0]: unknown region \"x\": expected a cloud region"));
    assertEquals("k: unknown key (known: [a, b])", ConfigValues.withoutValues("k: unknown key (known: [a, b])"));
    assertNotEquals("", ConfigValues.got("x", true));
    assertEquals("", ConfigValues.got("x", false));
  }
}
