package dev.tollgate.probes.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.runtime.ProbeOutcome;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe as a whole: its rule list (STYLE §8 AllRulesTest for this probe) and end-to-end verdicts. */
class MigrationSafetyProbeTest {
  private static final Path DOCS = Path.of("..", "docs", "rules", "migration");
  @TempDir Path dir;

  @Test
  void everyRuleHasAUniqueSortedIdADocsPageAndATestWithFlagsAndPasses() throws Exception {
    List<Rule> rules = new MigrationSafetyProbe().rules();
    Set<String> ids = new HashSet<>();
    String previous = "";
    for (Rule r : rules) {
      String id = r.id().value();
      assertTrue(ids.add(id), "duplicate id " + id);
      assertTrue(id.compareTo(previous) > 0, "rules() is alphabetical: " + id + " after " + previous);
      previous = id;
      Path doc = DOCS.resolve(id.substring(id.indexOf('/') + 1) + ".md");
      assertTrue(Files.isRegularFile(doc), "missing docs page " + doc);
      String page = Files.readString(doc);
      for (String section : List.of("## Problem", "## Why it breaks deploys", "## Safe sequence", "## PostgreSQL / MySQL notes")) {
        assertTrue(page.contains(section), doc + " lacks " + section);
      }
      Class<?> test = Class.forName(r.getClass().getName() + "Test");
      List<String> methods = Arrays.stream(test.getDeclaredMethods()).map(Method::getName).toList();
      assertTrue(methods.stream().anyMatch(m -> m.startsWith("flags")), test.getSimpleName() + " has no flags… test");
      assertTrue(methods.stream().anyMatch(m -> m.startsWith("passes")), test.getSimpleName() + " has no passes… test");
    }
    assertEquals(49, rules.size());
  }

  @Test
  void unsafeDeployFailsWithEvidenceAndSafeExpandContractPasses() {
    RuleHarness probe = RuleHarness.of(new MigrationSafetyProbe());
    var unsafe = Fixtures.pg(dir.resolve("a"), "CREATE INDEX idx_users_email ON users (email);");
    ProbeOutcome out = probe.run(unsafe);
    assertEquals(ProbeStatus.FAIL, out.status());
    assertEquals(Set.of("migration/pg-index-not-concurrent", "migration/missing-lock-timeout"),
        Set.copyOf(out.findings().stream().map(f -> f.ruleId()).toList()));

    var safe = Fixtures.pgFiles(dir.resolve("b"), java.util.Map.of(
        "db/migration/V2__add.sql", "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN plan text;",
        "db/migration/V3__idx.sql", "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_plan ON users (plan);",
        ".tollgate.yml", "migrations:\n  flyway: {transactionalLock: false}\n"));
    ProbeOutcome ok = probe.run(safe);
    assertEquals(ProbeStatus.PASS, ok.status(), RuleHarness.render(ok.findings()));
  }

  @Test
  void firstDeployOfAWholeHistoryIsNotNoisy(@TempDir Path repoDir) {
    // Every migration is new on a first deploy; tables they create are new too, so indexes on them are fine.
    var repo = FixtureRepo.create(repoDir).commit("db/migration/V1__init.sql", Fixtures.PG_SCHEMA)
        .commit("db/migration/V2__more.sql", "CREATE INDEX idx_users_email ON users (email);\nALTER TABLE users DROP COLUMN nick;");
    ProbeOutcome out = RuleHarness.of(new MigrationSafetyProbe()).run(repo);
    assertEquals(ProbeStatus.PASS, out.status(), RuleHarness.render(out.findings()));
  }
}
