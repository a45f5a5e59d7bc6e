package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeColumnTypeRuleTest {
  private final RuleHarness harness = RuleHarness.of(new ChangeColumnTypeRule());
  @TempDir Path dir;

  @Test
  void flagsNarrowingTypeChange() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE users ALTER COLUMN nick TYPE varchar(10);
        """);
    harness.assertViolations(repo, """
        BLOCK migration/change-column-type db/migration/V2__change.sql:1
          ALTER COLUMN `users.nick` from varchar(20) TYPE varchar(10) rewrites `users` and all its indexes under ACCESS EXCLUSIVE (reads and writes wait), and the running release may not read or write the new type.
        """);
  }

  @Test
  void flagsTypeChangeWithUsing() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE orders ALTER COLUMN total TYPE bigint USING (total * 100)::bigint;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/change-column-type db/migration/V2__change.sql:1
          ALTER COLUMN `orders.total` from numeric(10,2) TYPE bigint USING ... rewrites `orders` and all its indexes under ACCESS EXCLUSIVE (reads and writes wait), and the running release may not read or write the new type.
        """);
  }

  @Test
  void flagsMysqlModifyToOtherType() {
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE users MODIFY email TEXT;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/change-column-type db/migration/V2__change.sql:1
          MODIFY/CHANGE `users.email` from VARCHAR(40) to TEXT needs ALGORITHM=COPY: MySQL copies `users` with writes blocked, and old code may break on the new type.
        """);
  }

  @Test
  void passesVarcharWideningKnownFromHistory() {
    // Safe: varchar(20) -> varchar(40) and varchar -> text are binary coercible (no rewrite); the old types come from V1.
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE users ALTER COLUMN nick TYPE varchar(40), ALTER COLUMN email TYPE text;
        """);
    harness.assertNoViolations(repo);
  }

  @Test
  void passesMysqlVarcharGrowthWithinLengthPrefix() {
    // Safe: ALGORITHM=INPLACE, LOCK=NONE asserts an online change (MySQL refuses rather than copies).
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE users MODIFY email VARCHAR(60), ALGORITHM=INPLACE, LOCK=NONE;
        """);
    harness.assertNoViolations(repo);
  }
}
