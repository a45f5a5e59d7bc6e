package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddForeignKeyValidatingRuleTest {
  private final RuleHarness harness = RuleHarness.of(new AddForeignKeyValidatingRule());
  @TempDir Path dir;

  @Test
  void flagsForeignKeyWithoutNotValid() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id);
        """);
    harness.assertViolations(repo, """
        BLOCK migration/add-foreign-key-validating db/migration/V2__change.sql:1
          Adding FOREIGN KEY `fk_orders_user` on `orders` -> `users` without NOT VALID takes SHARE ROW EXCLUSIVE on both tables and scans `orders`: writes to both wait for the whole scan.
        """);
  }

  @Test
  void flagsMysqlForeignKeyWithChecksOn() {
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE orders ADD CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id);
        """);
    harness.assertViolations(repo, """
        BLOCK migration/add-foreign-key-validating db/migration/V2__change.sql:1
          Adding FOREIGN KEY `fk_user` on `orders` -> `users` with foreign_key_checks=1 forces ALGORITHM=COPY: the table is copied with writes blocked.
        """);
  }

  @Test
  void passesNotValidForeignKey() {
    // Safe: NOT VALID checks only new rows; validation comes later.
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
        """);
    harness.assertNoViolations(repo);
  }

  @Test
  void passesForeignKeyInCreateTable() {
    // Safe: the new table is empty.
    FixtureRepo repo = Fixtures.pg(dir, """
        CREATE TABLE payments (id bigserial PRIMARY KEY, order_id bigint REFERENCES orders (id));
        """);
    harness.assertNoViolations(repo);
  }
}
