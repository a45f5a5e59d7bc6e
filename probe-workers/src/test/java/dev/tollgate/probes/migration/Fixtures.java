package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Repositories whose running release has a small schema, and a deploy that adds one migration. */
final class Fixtures {
  private Fixtures() {}

  /** The PostgreSQL schema the running release has (Flyway V1). */
  static final String PG_SCHEMA = """
      CREATE TABLE users (id bigserial PRIMARY KEY, email varchar(100), name text NOT NULL, legacy_flag boolean,
        status text, nick varchar(20), amount numeric(10,2), created timestamp);
      CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint, total numeric(10,2), note varchar(50));
      CREATE TYPE mood AS ENUM ('sad', 'ok');
      CREATE INDEX idx_orders_user ON orders (user_id);
      CREATE MATERIALIZED VIEW order_totals AS SELECT user_id, sum(total) AS total FROM orders GROUP BY user_id;
      CREATE TABLE events (id bigint, at timestamptz) PARTITION BY RANGE (at);
      CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
      """;

  /** The MySQL schema the running release has. */
  static final String MY_SCHEMA = """
      CREATE TABLE users (id BIGINT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(40), name VARCHAR(100) NOT NULL,
        legacy_flag TINYINT(1), status ENUM('new','active'), nick VARCHAR(20) NULL) ENGINE=InnoDB;
      CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, user_id BIGINT, total DECIMAL(10,2)) ENGINE=InnoDB;
      """;

  /** PostgreSQL: V1 applied by the running release, {@code db/migration/V2__change.sql} in this deploy. */
  static FixtureRepo pg(Path dir, String migration) {
    return FixtureRepo.create(dir).commit("db/migration/V1__init.sql", PG_SCHEMA).deployed()
        .commit("db/migration/V2__change.sql", migration);
  }

  /** MySQL (dialect from .tollgate.yml): V1 applied, {@code db/migration/V2__change.sql} in this deploy. */
  static FixtureRepo my(Path dir, String migration) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(".tollgate.yml", "migrations:\n  dialect: mysql\n");
    files.put("db/migration/V1__init.sql", MY_SCHEMA);
    return FixtureRepo.create(dir).commit(files, "init").deployed().commit("db/migration/V2__change.sql", migration);
  }

  /** Any files on top of the PostgreSQL schema. */
  static FixtureRepo pgFiles(Path dir, Map<String, String> files) {
    return FixtureRepo.create(dir).commit("db/migration/V1__init.sql", PG_SCHEMA).deployed().commit(files, "change");
  }
}
