package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddPrimaryKeyRuleTest {
  private final RuleHarness harness = RuleHarness.of(new AddPrimaryKeyRule());
  @TempDir Path dir;

  @Test
  void flagsAddPrimaryKey() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE orders DROP CONSTRAINT orders_pkey, ADD PRIMARY KEY (id, user_id);
        """);
    harness.assertViolations(repo, """
        BLOCK migration/add-primary-key db/migration/V2__change.sql:1
          ADD PRIMARY KEY on `orders` (id, user_id) builds a unique index and sets NOT NULL (a full scan) under ACCESS EXCLUSIVE.
        """);
  }

  @Test
  void passesPrimaryKeyUsingIndex() {
    // Safe: USING INDEX reuses a unique index built concurrently.
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE orders ADD CONSTRAINT orders_pk PRIMARY KEY USING INDEX orders_pk_idx;
        """);
    harness.assertNoViolations(repo);
  }
}
