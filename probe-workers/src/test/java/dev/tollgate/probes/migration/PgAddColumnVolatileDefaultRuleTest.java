package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgAddColumnVolatileDefaultRuleTest {
  private final RuleHarness harness = RuleHarness.of(new PgAddColumnVolatileDefaultRule());
  @TempDir Path dir;

  @Test
  void flagsVolatileDefault() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();
        """);
    harness.assertViolations(repo, """
        BLOCK migration/pg-add-column-volatile-default db/migration/V2__change.sql:1
          ADD COLUMN `users.token` DEFAULT gen_random_uuid(): the volatile function gen_random_uuid() gives every row its own value, which rewrites all of `users` under an ACCESS EXCLUSIVE lock (reads and writes wait for the whole rewrite).
        """);
  }

  @Test
  void flagsUserFunctionOfUnknownVolatility() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE orders ADD COLUMN code text DEFAULT make_code();
        """);
    harness.assertViolations(repo, """
        BLOCK migration/pg-add-column-volatile-default db/migration/V2__change.sql:1
          ADD COLUMN `orders.code` DEFAULT make_code(): the function of unknown volatility make_code() gives every row its own value, which rewrites all of `orders` under an ACCESS EXCLUSIVE lock (reads and writes wait for the whole rewrite).
        """);
  }

  @Test
  void passesConstantAndNowDefaults() {
    // Safe on PostgreSQL 11+: constant and STABLE defaults are stored in the catalog, no rewrite.
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true, ADD COLUMN seen_at timestamptz DEFAULT now();
        """);
    harness.assertNoViolations(repo);
  }
}
