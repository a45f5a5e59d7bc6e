package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DropColumnRuleTest {
  private final RuleHarness harness = RuleHarness.of(new DropColumnRule());
  @TempDir Path dir;

  @Test
  void flagsDropOfColumnTheRunningReleaseStillReads() {
    var repo = FixtureRepo.create(dir)
        .commit(Map.of("db/migration/V1__init.sql", "CREATE TABLE users (id bigint PRIMARY KEY, legacy_flag boolean);",
            "src/main/java/app/UserRepository.java", """
                package app;
                class UserRepository {
                  // reads the flag
                  String sql = "SELECT id, legacy_flag FROM users WHERE id = ?";
                }
                """), "init")
        .deployed()
        .commit("db/migration/V2__drop_flag.sql", "SET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN legacy_flag;");
    harness.assertViolations(repo, """
        BLOCK migration/drop-column db/migration/V2__drop_flag.sql:2
          Drops column `users.legacy_flag`, but the running release still uses it at src/main/java/app/UserRepository.java:4: \
        instances of the running release that select, insert or map it fail as soon as it is gone (ORMs such as \
        Hibernate name every mapped column).
        """);
  }

  @Test
  void passesWithInfoWhenNoOldCodeReferencesTheColumn() {
    // Safe: the running release no longer mentions the column, so this is the contract step of expand/contract.
    var repo = FixtureRepo.create(dir)
        .commit(Map.of("db/migration/V1__init.sql", "CREATE TABLE users (id bigint PRIMARY KEY, legacy_flag boolean);",
            "src/main/java/app/UserRepository.java", "class UserRepository { String sql = \"SELECT id FROM users\"; }"), "init")
        .deployed()
        .commit("db/migration/V2__drop_flag.sql", "ALTER TABLE users DROP COLUMN legacy_flag;");
    harness.assertViolations(repo, """
        INFO migration/drop-column db/migration/V2__drop_flag.sql:1
          Drops column `users.legacy_flag`: the running release's code does not reference it (1 file searched, \
        migrations and tests excluded), so this is the contract step of an expand/contract change and allowed.
        """);
  }

  @Test
  void passesWhenColumnDroppedInTableCreatedSameRelease() {
    // Safe: no running instance can know about a table created in this release.
    var repo = FixtureRepo.create(dir).deployed().commit("db/V1__tmp.sql", """
        CREATE TABLE tmp (a int, b int);
        ALTER TABLE tmp DROP COLUMN b;""");
    harness.assertNoViolations(repo);
  }
}
