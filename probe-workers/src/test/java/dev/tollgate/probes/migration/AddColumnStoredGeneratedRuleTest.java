package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddColumnStoredGeneratedRuleTest {
  private final RuleHarness harness = RuleHarness.of(new AddColumnStoredGeneratedRule());
  @TempDir Path dir;

  @Test
  void flagsStoredGeneratedColumn() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE orders ADD COLUMN total_cents bigint GENERATED ALWAYS AS (total * 100) STORED;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/add-column-stored-generated db/migration/V2__change.sql:1
          ADD COLUMN `orders.total_cents` GENERATED ... STORED computes the value for every existing row: PostgreSQL rewrites `orders` under ACCESS EXCLUSIVE.
        """);
  }

  @Test
  void flagsMysqlStoredGeneratedColumn() {
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE orders ADD COLUMN total_cents BIGINT AS (total * 100) STORED;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/add-column-stored-generated db/migration/V2__change.sql:1
          ADD COLUMN `orders.total_cents` GENERATED ... STORED computes the value for every existing row: MySQL copies the table (ALGORITHM=COPY) and blocks writes.
        """);
  }

  @Test
  void passesMysqlVirtualGeneratedColumn() {
    // Safe: VIRTUAL columns are computed on read; MySQL adds them in place.
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE orders ADD COLUMN total_cents BIGINT AS (total * 100) VIRTUAL;
        """);
    harness.assertNoViolations(repo);
  }
}
