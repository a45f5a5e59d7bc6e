package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnparseableSqlRuleTest {
  private final RuleHarness harness = RuleHarness.of(new UnparseableSqlRule());
  @TempDir Path dir;

  @Test
  void flagsUnterminatedString() {
    FixtureRepo repo = Fixtures.pg(dir, """
        UPDATE users SET name = 'oops WHERE id = 1;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/unparseable-sql db/migration/V2__change.sql:1
          Cannot parse `UPDATE users SET name = 'oops WHERE id = 1;`: unterminated string literal (opened with ' on line 1)
        """);
  }

  @Test
  void passesValidSqlWithTrickyQuoting() {
    // Safe: quotes, semicolons in strings and dollar quotes are all valid SQL.
    FixtureRepo repo = Fixtures.pg(dir, """
        COMMENT ON TABLE users IS 'it''s; DROP TABLE users';
        DO $$ BEGIN RAISE NOTICE 'x;'; END $$;
        """);
    harness.assertNoViolations(repo);
  }
}
