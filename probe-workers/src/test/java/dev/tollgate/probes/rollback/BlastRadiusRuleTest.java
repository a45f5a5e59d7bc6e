package dev.tollgate.probes.rollback;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlastRadiusRuleTest {
  private final RuleHarness harness = RuleHarness.of(new BlastRadiusRule());
  @TempDir Path dir;

  @Test
  void flagsManyCommitsSinceTheLastDeploy() {
    var repo = FixtureRepo.create(dir).commit("app.txt", "v0").deployed();
    for (int i = 1; i <= 47; i++) {
      repo.commit("app.txt", "v" + i);
    }
    harness.assertViolations(repo, """
        WARN rollback/blast-radius -
          47 commits (threshold 25) since the last production deploy (%s): if it goes wrong, finding the change at \
        fault is harder and a rollback undoes all of them.
        """.formatted(repo.baseline().substring(0, 7)));
  }

  @Test
  void flagsFilesAndMigrationsAgainstTheEnvironmentsThresholds() {
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 1; i <= 4; i++) {
      files.put("db/migration/V" + (i + 1) + "__step" + i + ".sql", "ALTER TABLE t ADD COLUMN c" + i + " int;");
    }
    files.put("src/a.txt", "a");
    var repo = FixtureRepo.create(dir).commit("db/migration/V1__init.sql", "CREATE TABLE t (id int);").deployed()
        .commit(files, "one big commit");
    harness.withServerConfig("environments: {production: {rollback: {blastRadius: {files: 4, migrations: 2}}}}")
        .assertViolations(repo, """
            WARN rollback/blast-radius -
              5 changed files (threshold 4) and 4 migrations (threshold 2) since the last production deploy (%s): if it \
            goes wrong, finding the change at fault is harder and a rollback undoes all of them.
            """.formatted(repo.baseline().substring(0, 7)));
  }

  @Test
  void passesASmallRelease() {
    // Safe: 3 commits, 2 files, 1 migration: under every default threshold.
    var repo = FixtureRepo.create(dir).commit("db/migration/V1__init.sql", "CREATE TABLE t (id int);").deployed()
        .commit("db/migration/V2__c.sql", "ALTER TABLE t ADD COLUMN c int;").commit("src/a.txt", "a").commit("src/a.txt", "b");
    harness.assertNoViolations(repo);
  }

  @Test
  void passesAFirstDeploy() {
    // Safe for this rule: the whole history is not "since the last deploy" (no-rollback-target warns instead).
    var repo = FixtureRepo.create(dir);
    for (int i = 0; i < 30; i++) {
      repo.commit("app.txt", "v" + i);
    }
    harness.assertNoViolations(repo);
  }
}
