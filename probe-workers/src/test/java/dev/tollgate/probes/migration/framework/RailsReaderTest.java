package dev.tollgate.probes.migration.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.migration.MigrationSafetyProbe;
import dev.tollgate.probes.runtime.ProbeOutcome;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rails / ActiveRecord: every operation of issue #17 as an unsafe/safe twin, run through the whole migrations probe on
 * a repository whose running release has db/schema.rb and ActiveRecord models (strong_migrations sets lock_timeout, so
 * missing-lock-timeout stays out of the way unless a test is about it).
 */
class RailsReaderTest {
  @TempDir Path dir;
  private int repos;

  static final String SCHEMA = """
      ActiveRecord::Schema[7.1].define(version: 2024_01_01_000000) do
        enable_extension "plpgsql"

        create_table "users", force: :cascade do |t|
          t.string "email", null: false
          t.string "nickname"
          t.boolean "legacy_flag"
          t.string "plan"
          t.string "note", limit: 40
          t.datetime "created_at", null: false
          t.check_constraint "email IS NOT NULL", name: "users_email_null"
          t.index ["email"], name: "index_users_on_email", unique: true
        end

        create_table "orders", force: :cascade do |t|
          t.bigint "user_id"
          t.decimal "total", precision: 10, scale: 2
          t.string "comment"
        end

        create_table "accounts", force: :cascade do |t|
          t.string "name"
        end

        add_foreign_key "orders", "users"
      end
      """;

  static final String USER_MODEL = """
      class User < ApplicationRecord
        LEGACY = %w[legacy_flag].freeze
        self.ignored_columns += LEGACY
        has_many :orders

        def display_name
          nickname.presence || email
        end
      end
      """;

  private FixtureRepo repo(Map<String, String> candidate, boolean lockTimeout) {
    Map<String, String> base = new LinkedHashMap<>();
    base.put("Gemfile", "source \"https://rubygems.org\"\ngem \"rails\"\ngem \"pg\"\n");
    if (lockTimeout) {
      base.put("config/initializers/strong_migrations.rb", "StrongMigrations.lock_timeout = 10.seconds\n");
    }
    base.put("db/schema.rb", SCHEMA);
    base.put("db/migrate/20240101000000_init.rb", "class Init < ActiveRecord::Migration[7.1]\n  def change\n  end\nend\n");
    base.put("app/models/application_record.rb", "class ApplicationRecord < ActiveRecord::Base\n  primary_abstract_class\nend\n");
    base.put("app/models/user.rb", USER_MODEL);
    base.put("app/models/order.rb", "class Order < ApplicationRecord\n  belongs_to :user\nend\n");
    base.put("app/controllers/orders_controller.rb", "class OrdersController\n  def show\n    @order = Order.find(params[:id])\n  end\nend\n");
    return FixtureRepo.create(dir.resolve("r" + repos++)).commit(base, "release 1").deployed().commit(candidate, "release 2");
  }

  /** The non-INFO findings of a deploy adding one migration whose class body is {@code body}. */
  private Set<String> findings(String body) {
    return findings(body, true);
  }

  private Set<String> findings(String body, boolean lockTimeout) {
    ProbeOutcome out = run(Map.of("db/migrate/20240601000000_change.rb", migration(body)), lockTimeout);
    return severe(out);
  }

  private ProbeOutcome run(Map<String, String> candidate, boolean lockTimeout) {
    return RuleHarness.of(new MigrationSafetyProbe()).run(repo(candidate, lockTimeout));
  }

  static Set<String> severe(ProbeOutcome out) {
    assertTrue(out.status() != ProbeStatus.ERROR, out.reason());
    return out.findings().stream().filter(f -> f.severity() != Severity.INFO)
        .map(f -> f.severity() + " " + f.ruleId() + ":" + f.line()).collect(Collectors.toCollection(TreeSet::new));
  }

  static String migration(String body) {
    return "class Change < ActiveRecord::Migration[7.1]\n" + body.strip().indent(2) + "end\n";
  }

  // ------------------------------------------------------------------ create_table

  @Test
  void flagsCreateTableWithForceOnAnExistingTable() {
    assertEquals(Set.of("BLOCK migration/drop-table:3"), findings("""
        def change
          create_table :orders, force: :cascade do |t|
            t.string :name
          end
        end
        """));
  }

  @Test
  void passesCreateTableWithIndexesAndReferencesOnTheNewTable() {
    // Safe: nothing runs against a table created in the same deploy, so its indexes and keys lock nothing in use.
    assertEquals(Set.of(), findings("""
        def change
          create_table :events, id: :uuid do |t|
            t.string :name, null: false
            t.references :user, null: false, foreign_key: true
            t.jsonb :payload, default: {}
            t.timestamps
            t.index :name
          end
        end
        """));
  }

  // ------------------------------------------------------------------ add_column

  @Test
  void flagsAddColumnWithAVolatileDefaultAndARequiredColumnWithoutDefault() {
    assertEquals(Set.of("BLOCK migration/pg-add-column-volatile-default:3"), findings("""
        def change
          add_column :users, :token, :uuid, default: -> { "gen_random_uuid()" }
        end
        """));
    assertEquals(Set.of("BLOCK migration/add-column-required:3"), findings("""
        def change
          add_column :users, :age, :integer, null: false
        end
        """));
  }

  @Test
  void passesAddColumnNullableOrWithAConstantDefault() {
    // Safe: PostgreSQL 11+ stores a constant default in the catalog; a nullable column needs nothing from old code.
    assertEquals(Set.of(), findings("""
        def change
          add_column :users, :age, :integer
          add_column :users, :active, :boolean, default: true, null: false
        end
        """));
  }

  // ------------------------------------------------------------------ remove_column(s)

  @Test
  void flagsRemoveColumnTheRunningReleasesModelStillMaps() {
    ProbeOutcome out = run(Map.of("db/migrate/20240601000000_change.rb", migration("""
        def change
          remove_column :users, :nickname, :string
        end
        """)), true);
    Finding f = out.findings().stream().filter(x -> x.ruleId().equals("migration/drop-column")).findFirst().orElseThrow();
    assertEquals(Severity.BLOCK, f.severity());
    assertTrue(f.message().startsWith("Drops column `users.nickname`, but the running release still uses it at"
        + " app/models/user.rb:1, app/models/user.rb:7 (Rails model `User` maps every column of `users` it is not told to"
        + " ignore)"), f.message());
    assertEquals(Set.of("BLOCK migration/drop-column:3"), findings("""
        def change
          remove_columns :users, :nickname, :plan, type: :string
        end
        """).stream().map(s -> s.replaceAll(":\\d+$", ":3")).collect(Collectors.toSet()));
  }

  @Test
  void passesRemoveColumnOfAnIgnoredColumn() {
    // Safe: strong_migrations' pattern: release N lists it in self.ignored_columns, release N+1 drops it.
    ProbeOutcome out = run(Map.of("db/migrate/20240601000000_change.rb", migration("""
        def change
          safety_assured { remove_column :users, :legacy_flag, :boolean }
        end
        """)), true);
    assertEquals(Set.of(), severe(out));
    assertTrue(out.findings().stream().anyMatch(f -> f.ruleId().equals("migration/drop-column")
        && f.message().contains("no longer maps it (self.ignored_columns += LEGACY at app/models/user.rb:3)")),
        RuleHarness.render(out.findings()));
  }

  // ------------------------------------------------------------------ rename_column / change_column

  @Test
  void flagsRenameColumnAndAnIncompatibleTypeChange() {
    assertEquals(Set.of("BLOCK migration/rename-column:3"), findings("""
        def change
          rename_column :users, :nickname, :handle
        end
        """));
    assertEquals(Set.of("BLOCK migration/change-column-type:3"), findings("""
        def up
          change_column :users, :plan, :integer, using: "plan::integer"
        end
        """));
  }

  @Test
  void passesATypeChangeWithoutRewriteKnownFromTheSchema() {
    // Safe: db/schema.rb says note is varchar(40); widening it needs no rewrite and old code reads it the same.
    assertEquals(Set.of(), findings("""
        def up
          change_column :users, :note, :string, limit: 80
        end
        """));
  }

  // ------------------------------------------------------------------ change_column_null / change_column_default

  @Test
  void flagsChangeColumnNullWithoutAValidatedCheck() {
    assertEquals(Set.of("BLOCK migration/set-not-null:3"), findings("""
        def change
          change_column_null :users, :plan, false
        end
        """));
  }

  @Test
  void passesChangeColumnNullBehindAValidatedCheckConstraint() {
    // Safe (PostgreSQL 12+): the schema already has a validated CHECK (email IS NOT NULL), so SET NOT NULL skips the scan.
    assertEquals(Set.of(), findings("""
        def change
          change_column_null :users, :email, false
        end
        """));
  }

  @Test
  void flagsChangeColumnDefaultWithoutALockTimeout() {
    assertEquals(Set.of("WARN migration/missing-lock-timeout:3"), findings("""
        def change
          change_column_default :users, :plan, from: nil, to: "free"
        end
        """, false));
  }

  @Test
  void passesChangeColumnDefaultWithStrongMigrationsLockTimeout() {
    // Safe: a catalog-only change, and strong_migrations sets lock_timeout before every migration.
    assertEquals(Set.of(), findings("""
        def change
          change_column_default :users, :plan, from: nil, to: "free"
        end
        """));
  }

  // ------------------------------------------------------------------ add_index / remove_index

  @Test
  void flagsAddIndexWithoutConcurrentlyAndConcurrentlyInsideTheTransaction() {
    assertEquals(Set.of("BLOCK migration/pg-index-not-concurrent:3"), findings("""
        def change
          add_index :users, :plan
        end
        """));
    assertEquals(Set.of("BLOCK migration/pg-concurrent-in-transaction:3"), findings("""
        def change
          add_index :users, :plan, algorithm: :concurrently
        end
        """));
  }

  @Test
  void aTrilogyAppIsReadAsMySql() {
    // Found on lobsters/lobsters: Rails' trilogy adapter (MySQL) and a database.yml.sample are MySQL, not PostgreSQL,
    // so an index added the MySQL way is no PostgreSQL finding.
    ProbeOutcome out = run(Map.of("Gemfile", "source \"https://rubygems.org\"\ngem \"rails\"\ngem \"trilogy\"\n",
        "config/database.yml.sample", "production:\n  adapter: trilogy\n",
        "db/migrate/20240601000000_change.rb", migration("def change\n  add_index :users, :plan\nend")), true);
    assertTrue(severe(out).stream().noneMatch(f -> f.contains("pg-")), severe(out).toString());
  }

  @Test
  void passesAConcurrentIndexWithDisableDdlTransaction() {
    // Safe: Rails' own pattern (and strong_migrations'): no transaction, so CONCURRENTLY builds without blocking writes.
    assertEquals(Set.of(), findings("""
        disable_ddl_transaction!

        def change
          add_index :users, [:plan, :created_at], algorithm: :concurrently, where: "plan IS NOT NULL"
        end
        """));
  }

  @Test
  void flagsRemoveIndexWithoutConcurrently() {
    assertEquals(Set.of("BLOCK migration/pg-drop-index-not-concurrent:3"), findings("""
        def change
          remove_index :users, :email
        end
        """));
  }

  @Test
  void passesRemoveIndexConcurrently() {
    // Safe: DROP INDEX CONCURRENTLY outside a transaction does not block reads or writes.
    assertEquals(Set.of(), findings("""
        disable_ddl_transaction!

        def change
          remove_index :users, column: :email, algorithm: :concurrently
        end
        """));
  }

  // ------------------------------------------------------------------ add_reference / add_foreign_key

  @Test
  void flagsAddReferenceWithItsDefaultIndexAndAValidatingForeignKey() {
    assertEquals(Set.of("BLOCK migration/add-foreign-key-validating:3", "BLOCK migration/long-tx-after-exclusive-lock:3",
        "BLOCK migration/pg-index-not-concurrent:3"), findings("""
        def change
          add_reference :orders, :account, foreign_key: true
        end
        """));
  }

  @Test
  void passesAddReferenceWithAConcurrentIndexAndAnUnvalidatedKey() {
    // Safe: strong_migrations' add_reference pattern.
    assertEquals(Set.of(), findings("""
        disable_ddl_transaction!

        def change
          add_reference :orders, :account, index: {algorithm: :concurrently}, foreign_key: {validate: false}
        end
        """));
  }

  @Test
  void flagsAddForeignKeyValidatingAndValidatingInTheSameTransaction() {
    assertEquals(Set.of("BLOCK migration/add-foreign-key-validating:3"), findings("""
        def change
          add_foreign_key :orders, :accounts, column: :user_id
        end
        """));
    assertEquals(Set.of("BLOCK migration/validate-in-same-transaction:4"), findings("""
        def change
          add_foreign_key :orders, :accounts, column: :user_id, validate: false
          validate_foreign_key :orders, :accounts, column: :user_id
        end
        """));
  }

  @Test
  void passesAddForeignKeyNotValidThenValidateInTheNextMigration() {
    // Safe: NOT VALID first (brief lock), VALIDATE later in its own transaction (SHARE UPDATE EXCLUSIVE only).
    ProbeOutcome out = run(Map.of(
        "db/migrate/20240601000000_add_fk.rb", migration("def change\n  add_foreign_key :orders, :accounts, column: :user_id, validate: false\nend\n"),
        "db/migrate/20240601000001_validate_fk.rb", migration("def change\n  validate_foreign_key :orders, :accounts, column: :user_id\nend\n")), true);
    assertEquals(Set.of(), severe(out));
  }

  // ------------------------------------------------------------------ add_check_constraint

  @Test
  void flagsAddCheckConstraintThatValidatesAtOnce() {
    assertEquals(Set.of("BLOCK migration/add-check-validating:3"), findings("""
        def change
          add_check_constraint :orders, "total >= 0", name: "orders_total_positive"
        end
        """));
  }

  @Test
  void passesAddCheckConstraintNotValid() {
    // Safe: existing rows are checked later by validate_check_constraint, without blocking writes.
    assertEquals(Set.of(), findings("""
        def change
          add_check_constraint :orders, "total >= 0", name: "orders_total_positive", validate: false
        end
        """));
  }

  // ------------------------------------------------------------------ change_table

  @Test
  void flagsChangeTableBulkThatRemovesAColumnInUse() {
    assertEquals(Set.of("BLOCK migration/drop-column:4"), findings("""
        def change
          change_table :users, bulk: true do |t|
            t.remove :nickname
            t.string :handle
            t.index :handle
          end
        end
        """).stream().filter(s -> !s.contains("index")).collect(Collectors.toSet()));
  }

  @Test
  void passesChangeTableBulkThatAddsColumnsAndRemovesAnIgnoredOne() {
    // Safe: one ALTER TABLE (bulk) adding nullable columns and dropping a column the models ignore.
    assertEquals(Set.of(), findings("""
        def change
          change_table :users, bulk: true do |t|
            t.remove :legacy_flag, type: :boolean
            t.string :handle
            t.integer :score, default: 0
          end
        end
        """));
  }

  // ------------------------------------------------------------------ execute

  @Test
  void flagsExecutedSqlAndSqlBuiltAtRunTime() {
    assertEquals(Set.of("BLOCK migration/drop-column:4"), findings("""
        def up
          execute <<~SQL
            ALTER TABLE users DROP COLUMN nickname;
          SQL
        end
        """));
    assertEquals(Set.of("BLOCK migration/unreadable-migration:4"), findings("""
        def up
          table = "users"
          execute "ALTER TABLE #{table} DROP COLUMN nickname"
        end
        """));
  }

  @Test
  void passesExecutedSqlThatIsSafeIncludingAQuotedInterpolatedValue() {
    // Safe: an ordinary statement; the interpolation is a quoted value, so the statement's shape is known.
    assertEquals(Set.of(), findings("""
        def up
          execute "CREATE TABLE audit_log (id bigserial PRIMARY KEY, at timestamptz)"
          execute "UPDATE users SET plan = '#{default_plan}' WHERE id = 1"
        end
        """));
  }

  // ------------------------------------------------------------------ up/down/reversible

  @Test
  void flagsWhatUpAndDirUpRunAndIgnoresDownAndDirDown() {
    assertEquals(Set.of("BLOCK migration/drop-column:6"), findings("""
        def change
          reversible do |dir|
            dir.up { add_column :users, :score, :integer }
            dir.down { remove_column :users, :score }
            dir.up { remove_column :users, :nickname }
          end
        end
        """));
  }

  @Test
  void passesAnUpMigrationWhoseDownIsTheOnlyDestructivePart() {
    // Safe: def down only runs on rollback; def up adds a nullable column.
    assertEquals(Set.of(), findings("""
        def up
          add_column :users, :score, :integer
        end

        def down
          remove_column :users, :nickname
          drop_table :orders
        end
        """));
  }

  // ------------------------------------------------------------------ safety_assured

  @Test
  void flagsWhatSafetyAssuredWrapsAndSaysSo() {
    ProbeOutcome out = run(Map.of("db/migrate/20240601000000_change.rb", migration("""
        def change
          safety_assured do
            remove_column :users, :nickname
          end
        end
        """)), true);
    Finding f = out.findings().stream().filter(x -> x.ruleId().equals("migration/drop-column")).findFirst().orElseThrow();
    assertEquals(Severity.BLOCK, f.severity(), "the author's own acknowledgement hides nothing");
    assertTrue(f.message().endsWith("Acknowledged in the migration with `safety_assured` (line 3): Tollgate reports it"
        + " anyway; an approver's override accepts it."), f.message());
    ProbeOutcome accepted = RuleHarness.of(new MigrationSafetyProbe())
        .withServerConfig("defaults: {migrations: {acknowledgements: warn}}\n")
        .run(repo(Map.of("db/migrate/20240601000000_change.rb", migration("""
            def change
              safety_assured { remove_column :users, :nickname }
            end
            """)), true));
    assertEquals(Set.of("WARN migration/drop-column:3"), severe(accepted));
  }

  @Test
  void passesSafetyAssuredAroundASafeOperation() {
    // Safe: the marker changes nothing when there is nothing to report.
    assertEquals(Set.of(), findings("""
        def change
          safety_assured { add_column :users, :score, :integer }
        end
        """));
  }

  // ------------------------------------------------------------------ unread code

  @Test
  void flagsAMethodItDoesNotKnowAndWarnsOnApplicationCode() {
    assertEquals(Set.of("BLOCK migration/unreadable-migration:3", "WARN migration/unreadable-migration:4"), findings("""
        def up
          add_column_with_default :users, :score, :integer, default: 0
          User.where(plan: nil).update_all(plan: "free")
        end
        """));
  }

  @Test
  void passesHelpersItCanReadAndHarmlessCalls() {
    // Safe: logging, reset_column_information and a helper of the migration without arguments are all read.
    assertEquals(Set.of(), findings("""
        def up
          say_with_time "adding score" do
            add_score
          end
          User.reset_column_information
        end

        def add_score
          add_column :users, :score, :integer unless column_exists?(:users, :score)
        end
        """));
  }

  // ------------------------------------------------------------------ schema sources and edits

  @Test
  void flagsATypeChangeWhenStructureSqlIsTheSchemaSource() {
    Map<String, String> base = new LinkedHashMap<>();
    base.put("db/structure.sql", "CREATE TABLE public.users (id bigint NOT NULL, note character varying(40));\n");
    base.put("config/initializers/strong_migrations.rb", "StrongMigrations.lock_timeout = 10.seconds\n");
    FixtureRepo r = FixtureRepo.create(dir.resolve("structure")).commit(base, "one").deployed()
        .commit("db/migrate/20240601000000_change.rb", migration("def up\n  change_column :users, :note, :string, limit: 20\nend\n"));
    ProbeOutcome out = RuleHarness.of(new MigrationSafetyProbe()).run(r);
    assertEquals(Set.of("BLOCK migration/change-column-type:3"), severe(out), "narrowing varchar(40) to varchar(20)");
  }

  @Test
  void flagsAnEditedAppliedMigrationButNotACosmeticEdit() {
    String applied = migration("def change\n  add_column :users, :score, :integer\nend\n");
    FixtureRepo edited = FixtureRepo.create(dir.resolve("edit")).commit("db/migrate/20240101000001_score.rb", applied)
        .deployed().commit("db/migrate/20240101000001_score.rb", applied.replace(":integer", ":bigint"));
    assertEquals(Set.of("BLOCK migration/edited-applied-migration:1"), severe(RuleHarness.of(new MigrationSafetyProbe()).run(edited)));
    FixtureRepo cosmetic = FixtureRepo.create(dir.resolve("cosmetic")).commit("db/migrate/20240101000001_score.rb", applied)
        .deployed().commit("db/migrate/20240101000001_score.rb", "# frozen_string_literal: true\n\n" + applied);
    assertEquals(Set.of(), severe(RuleHarness.of(new MigrationSafetyProbe()).run(cosmetic)));
  }

  @Test
  void theProbesReasonNamesRails() {
    ProbeOutcome out = run(Map.of("db/migrate/20240601000000_change.rb", migration("def change\n  add_column :users, :score, :integer\nend\n")), true);
    assertTrue(out.reason().endsWith("read 1 Rails migration"), out.reason());
  }
}
