package dev.tollgate.probes.migration.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.migration.MigrationSafetyProbe;
import dev.tollgate.probes.runtime.ProbeOutcome;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alembic: every operation of issue #17 as an unsafe/safe twin through the whole migrations probe, on a repository
 * whose running release has SQLAlchemy models and the revision history (replayed into the schema).
 */
class AlembicReaderTest {
  @TempDir Path dir;
  private int repos;

  static final String INITIAL = """
      from alembic import op
      import sqlalchemy as sa

      revision = "0001"
      down_revision = None


      def upgrade():
          op.create_table(
              "users",
              sa.Column("id", sa.Integer(), primary_key=True),
              sa.Column("email", sa.String(length=254), nullable=False),
              sa.Column("nickname", sa.String(length=40), nullable=True),
              sa.Column("plan", sa.String(length=20), nullable=True),
              sa.Column("legacy", sa.Boolean(), nullable=True),
          )
          op.create_table("orders", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("user_id", sa.Integer()))


      def downgrade():
          op.drop_table("orders")
          op.drop_table("users")
      """;

  static final String MODELS = """
      from sqlalchemy import Column, Integer, String
      from sqlalchemy.orm import declarative_base

      Base = declarative_base()


      class User(Base):
          __tablename__ = "users"
          id = Column(Integer, primary_key=True)
          email = Column(String(254), nullable=False)
          nickname = Column(String(40))
          plan = Column(String(20))
      """;

  private FixtureRepo repo(String upgrade) {
    Map<String, String> base = new LinkedHashMap<>();
    base.put("requirements.txt", "SQLAlchemy==2.0\nalembic==1.13\npsycopg2-binary==2.9\n");
    base.put(".tollgate.yml", "migrations:\n  lockTimeoutSetByRole: true\n");
    base.put("app/models.py", MODELS);
    base.put("alembic/env.py", "from alembic import context\n");
    base.put("alembic/versions/0001_initial.py", INITIAL);
    String revision = """
        from alembic import op
        import sqlalchemy as sa

        revision = "0002"
        down_revision = "0001"


        def upgrade():
        """ + upgrade.strip().indent(4) + "\n\ndef downgrade():\n    pass\n";
    return FixtureRepo.create(dir.resolve("r" + repos++)).commit(base, "release 1").deployed()
        .commit("alembic/versions/0002_change.py", revision);
  }

  private ProbeOutcome run(String upgrade) {
    return RuleHarness.of(new MigrationSafetyProbe()).run(repo(upgrade));
  }

  private Set<String> findings(String upgrade) {
    return RailsReaderTest.severe(run(upgrade));
  }

  @Test
  void flagsAddColumnNotNullWithoutServerDefault() {
    assertEquals(Set.of("BLOCK migration/add-column-required:9"), findings(
        "op.add_column(\"users\", sa.Column(\"score\", sa.Integer(), nullable=False))"));
  }

  @Test
  void passesAddColumnNullableOrWithAServerDefault() {
    // Safe: SQLAlchemy columns are nullable by default; a constant server_default stays in the database.
    assertEquals(Set.of(), findings("""
        op.add_column("users", sa.Column("score", sa.Integer()))
        op.add_column("users", sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.text("true")))
        """));
  }

  @Test
  void flagsDropColumnTheRunningReleasesModelMaps() {
    ProbeOutcome out = run("op.drop_column(\"users\", \"nickname\")");
    Finding f = out.findings().stream().filter(x -> x.ruleId().equals("migration/drop-column")).findFirst().orElseThrow();
    assertEquals(Severity.BLOCK, f.severity());
    assertTrue(f.message().startsWith("Drops column `users.nickname`, but the running release still uses it at app/models.py:11"),
        f.message());
  }

  @Test
  void passesDropColumnNoModelMaps() {
    // Safe: the running release's User model no longer maps `legacy`.
    assertEquals(Set.of(), findings("op.drop_column(\"users\", \"legacy\")"));
  }

  @Test
  void flagsAlterColumnTypeRenameAndNotNull() {
    assertEquals(Set.of("BLOCK migration/change-column-type:9"), findings(
        "op.alter_column(\"users\", \"plan\", type_=sa.Integer(), postgresql_using=\"plan::integer\")"));
    assertEquals(Set.of("BLOCK migration/rename-column:9"), findings(
        "op.alter_column(\"users\", \"nickname\", new_column_name=\"handle\")"));
    assertEquals(Set.of("BLOCK migration/set-not-null:9"), findings("op.alter_column(\"users\", \"plan\", nullable=False)"));
  }

  @Test
  void passesAlterColumnThatWidensOrDropsADefault() {
    // Safe: varchar(20) -> varchar(50) needs no rewrite; a default change is catalog-only.
    assertEquals(Set.of(), findings("""
        op.alter_column("users", "plan", type_=sa.String(length=50), existing_type=sa.String(length=20))
        op.alter_column("users", "plan", server_default=None)
        """));
  }

  @Test
  void flagsCreateIndexWithoutConcurrentlyAndConcurrentlyInTheTransaction() {
    assertEquals(Set.of("BLOCK migration/pg-index-not-concurrent:9"), findings(
        "op.create_index(\"ix_users_plan\", \"users\", [\"plan\"])"));
    assertEquals(Set.of("BLOCK migration/pg-concurrent-in-transaction:9"), findings(
        "op.create_index(\"ix_users_plan\", \"users\", [\"plan\"], postgresql_concurrently=True)"));
  }

  @Test
  void readsIndexNamesGivenThroughOpF() {
    // Found on polarsource/polar: autogenerate writes op.f("ix_...") for names; they were unreadable before.
    assertEquals(Set.of("BLOCK migration/pg-index-not-concurrent:9"), findings(
        "op.create_index(op.f(\"ix_users_plan\"), \"users\", [\"plan\"], unique=False)"));
    assertEquals(Set.of(), findings("""
        with op.get_context().autocommit_block():
            op.create_index(op.f("ix_users_plan"), "users", ["plan"], unique=False, postgresql_concurrently=True)
        """));
  }

  @Test
  void passesCreateIndexConcurrentlyInAnAutocommitBlock() {
    // Safe: Alembic's own pattern — the autocommit block runs outside the migration's transaction.
    assertEquals(Set.of(), findings("""
        with op.get_context().autocommit_block():
            op.create_index("ix_users_plan", "users", ["plan"], postgresql_concurrently=True)
            op.drop_index("ix_users_email", table_name="users", postgresql_concurrently=True)
        """));
  }

  @Test
  void flagsAValidatingForeignKey() {
    assertEquals(Set.of("BLOCK migration/add-foreign-key-validating:9"), findings(
        "op.create_foreign_key(\"fk_orders_user\", \"orders\", \"users\", [\"user_id\"], [\"id\"])"));
  }

  @Test
  void passesAForeignKeyNotValid() {
    // Safe: NOT VALID first; VALIDATE later without blocking writes.
    assertEquals(Set.of(), findings(
        "op.create_foreign_key(\"fk_orders_user\", \"orders\", \"users\", [\"user_id\"], [\"id\"], postgresql_not_valid=True)"));
  }

  @Test
  void flagsExecutedSqlAndBatchAlterTable() {
    assertEquals(Set.of("BLOCK migration/drop-column:9"), findings("op.execute(\"ALTER TABLE users DROP COLUMN nickname\")"));
    assertEquals(Set.of("BLOCK migration/drop-column:10"), findings("""
        with op.batch_alter_table("users") as batch_op:
            batch_op.drop_column("nickname")
            batch_op.add_column(sa.Column("handle", sa.String(length=40)))
        """));
  }

  @Test
  void passesExecutedSqlThatIsSafeAndABatchThatAddsNullableColumns() {
    // Safe: a bound-parameter UPDATE of one row; batch mode on PostgreSQL runs plain ALTERs.
    assertEquals(Set.of(), findings("""
        conn = op.get_bind()
        conn.execute(sa.text("UPDATE users SET plan = :plan WHERE id = :id"), {"plan": "free", "id": 1})
        with op.batch_alter_table("users") as batch_op:
            batch_op.add_column(sa.Column("handle", sa.String(length=40)))
        """));
  }

  @Test
  void flagsWhatItCannotReadAndWarnsOnDataCode() {
    assertEquals(Set.of("BLOCK migration/unreadable-migration:9", "BLOCK migration/unreadable-migration:10",
        "WARN migration/unreadable-migration:11"), findings("""
        op.execute(f"ALTER TABLE {TABLE} DROP COLUMN x")
        op.create_some_thing("users")
        session.query(User).update({"plan": "free"})
        """));
  }

  @Test
  void passesDowngradeOnlyDestructiveCode() {
    // Safe: downgrade() runs only on a rollback.
    Map<String, String> files = Map.of("alembic/versions/0002_change.py", """
        from alembic import op
        import sqlalchemy as sa

        revision = "0002"
        down_revision = "0001"


        def upgrade():
            op.add_column("users", sa.Column("score", sa.Integer()))


        def downgrade():
            op.drop_column("users", "nickname")
        """);
    FixtureRepo r = FixtureRepo.create(dir.resolve("dg")).commit(Map.of("alembic/versions/0001_initial.py", INITIAL,
        ".tollgate.yml", "migrations:\n  lockTimeoutSetByRole: true\n"), "one").deployed().commit(files, "two");
    ProbeOutcome out = RuleHarness.of(new MigrationSafetyProbe()).run(r);
    assertEquals(Set.of(), RailsReaderTest.severe(out));
    assertTrue(out.reason().endsWith("read 1 Alembic migration"), out.reason());
  }
}
