package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddColumnSerialIdentityRuleTest {
  private final RuleHarness harness = RuleHarness.of(new AddColumnSerialIdentityRule());
  @TempDir Path dir;

  @Test
  void flagsBigserialColumn() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE orders ADD COLUMN seq bigserial;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/add-column-serial-identity db/migration/V2__change.sql:1
          ADD COLUMN `orders.seq` bigserial gives every existing row a value from a sequence: PostgreSQL rewrites `orders` under ACCESS EXCLUSIVE.
        """);
  }

  @Test
  void flagsIdentityColumn() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE orders ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/add-column-serial-identity db/migration/V2__change.sql:1
          ADD COLUMN `orders.seq` GENERATED AS IDENTITY gives every existing row a value from a sequence: PostgreSQL rewrites `orders` under ACCESS EXCLUSIVE.
        """);
  }

  @Test
  void flagsMysqlAutoIncrement() {
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE orders ADD COLUMN seq BIGINT NOT NULL AUTO_INCREMENT UNIQUE;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/add-column-serial-identity db/migration/V2__change.sql:1
          ADD COLUMN `orders.seq` AUTO_INCREMENT gives every existing row a value from a sequence: MySQL rebuilds the table with writes blocked (and statement-based replicas may number rows differently).
        """);
  }

  @Test
  void passesSerialInNewTable() {
    // Safe: the table is new and empty.
    FixtureRepo repo = Fixtures.pg(dir, """
        CREATE TABLE tags (id bigserial PRIMARY KEY, name text);
        ALTER TABLE tags ADD COLUMN rank serial;
        """);
    harness.assertNoViolations(repo);
  }
}
