package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateInSameTransactionRuleTest {
  private final RuleHarness harness = RuleHarness.of(new ValidateInSameTransactionRule());
  @TempDir Path dir;

  @Test
  void flagsValidateInSameFlywayFile() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0) NOT VALID;
        ALTER TABLE orders VALIDATE CONSTRAINT total_positive;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/validate-in-same-transaction db/migration/V2__change.sql:2
          VALIDATE CONSTRAINT `total_positive` runs in the same transaction as its ADD ... NOT VALID (line 1; Flyway runs this file in one transaction): the ADD's lock on `orders` is held until commit, so the whole validation scan blocks writes (or reads, for CHECK).
        """);
  }

  @Test
  void passesValidateInSeparateLiquibaseChangeset() {
    // Safe: each Liquibase changeset commits on its own, so VALIDATE runs after the ADD's lock is released.
    FixtureRepo repo = Fixtures.pgFiles(dir, java.util.Map.of("db/changelog/002.sql", "--liquibase formatted sql\n--changeset a:1\nALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0) NOT VALID;\n--changeset a:2\nALTER TABLE orders VALIDATE CONSTRAINT total_positive;\n"));
    harness.assertNoViolations(repo);
  }
}
