package dev.tollgate.probes.migration.framework;

import static dev.tollgate.probes.migration.framework.Twins.assertBlocked;
import static dev.tollgate.probes.migration.framework.Twins.assertNotBlocked;
import static dev.tollgate.probes.migration.framework.Twins.lint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.probes.migration.Framework;
import dev.tollgate.probes.migration.Migration;
import dev.tollgate.probes.migration.MigrationSafetyProbe;
import dev.tollgate.probes.migration.MigrationSettings;
import dev.tollgate.probes.migration.OrmModel;
import dev.tollgate.probes.migration.framework.Twins.Twin;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.runtime.ProbeOutcome;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Ecto: migrations as ecto_sql's adapters run them, twins, the transaction and lock model, and schemas. */
class EctoReaderTest {
  static final String PATH = "priv/repo/migrations/20240501120000_change_users.exs";
  @TempDir Path dir;

  static String migration(String attrs, String body) {
    return """
        defmodule MyApp.Repo.Migrations.ChangeUsers do
          use Ecto.Migration
        %s
          def change do
        %s
          end
        end
        """.formatted(attrs, body);
  }

  static String change(String body) {
    return migration("", "    " + body);
  }

  static String alter(String ops) {
    return change("alter table(:users) do\n      " + ops + "\n    end");
  }

  @TestFactory
  Stream<DynamicTest> migrationOperationsUnsafeAndSafe() {
    return Twins.run("postgresql", PATH, "ecto", EctoReaderTest::change, List.of(
        // Safe: Ecto columns are nullable unless null: false.
        new Twin("add null: false without default", "alter table(:users) do\n      add :nick, :string, null: false\n"
            + "    end", "add-column-required", "alter table(:users) do\n      add :nick, :string\n    end"),
        // Safe: a constant default.
        new Twin("add with a volatile default", "alter table(:users) do\n      add :token, :uuid, default:"
            + " fragment(\"gen_random_uuid()\")\n    end", "pg-add-column-volatile-default",
            "alter table(:users) do\n      add :active, :boolean, null: false, default: true\n    end"),
        // Safe: timestamps with a default.
        new Twin("timestamps() on an existing table", "alter table(:users) do\n      timestamps()\n    end",
            "add-column-required", "alter table(:users) do\n      timestamps(default: fragment(\"now()\"))\n    end"),
        new Twin("remove", "alter table(:users) do\n      remove :nick, :string\n    end", "drop-column", null),
        // Safe: same family widened, a warning without the history.
        new Twin("modify to another type", "alter table(:users) do\n      modify :age, :integer, from: :string\n    end",
            "change-column-type", "alter table(:users) do\n      modify :bio, :text, from: :string\n    end"),
        new Twin("modify null: false", "alter table(:users) do\n      modify :email, :text, null: false, from: :text\n"
            + "    end", "set-not-null", null),
        // Safe: validate: false, validated in a later migration.
        new Twin("add references()", "alter table(:posts) do\n      add :team_id, references(:teams)\n    end",
            "add-foreign-key-validating", "alter table(:posts) do\n      add :team_id, references(:teams, validate:"
                + " false)\n    end"),
        // Safe: the expand step of a rename.
        new Twin("rename column", "rename table(:users), :nick, to: :nickname", "rename-column",
            "alter table(:users) do\n      add :nickname, :string\n    end"),
        new Twin("rename table", "rename table(:users), to: table(:members)", "rename-table", null),
        new Twin("drop table", "drop table(:users)", "drop-table", null),
        // Safe: concurrently (outside a transaction: see concurrentIndexIsEctosSafePattern).
        new Twin("create index", "create index(:users, [:email])", "pg-index-not-concurrent", null),
        new Twin("create unique_index", "create unique_index(:users, [:email], name: :users_email_uq)",
            "pg-index-not-concurrent", null),
        new Twin("drop index", "drop index(:users, [:email])", "pg-drop-index-not-concurrent", null),
        // Safe: validate: false.
        new Twin("create constraint check", "create constraint(:users, :age_positive, check: \"age > 0\")",
            "add-check-validating", "create constraint(:users, :age_positive, check: \"age > 0\", validate: false)"),
        // Safe: a new table.
        new Twin("create table", "execute \"ALTER TABLE users ALTER COLUMN email SET NOT NULL\"", "set-not-null", """
            create table(:posts) do
                  add :title, :string, null: false
                  add :user_id, references(:users, on_delete: :delete_all), null: false
                  timestamps(type: :utc_datetime)
                end"""),
        // Safe: SQL written out.
        new Twin("execute with SQL built at run time", "execute \"ALTER TABLE #{table} DROP COLUMN x\"",
            "unreadable-migration", "execute \"ALTER TABLE users ADD COLUMN x text\", \"ALTER TABLE users DROP COLUMN x\""),
        new Twin("a call the probe does not know", "create_hypertable(:events, :at)", "unreadable-migration",
            "flush()")));
  }

  @Test
  void concurrentIndexIsEctosSafePatternAndPasses() {
    // Ecto's own safe pattern: no DDL transaction, no migration lock transaction, and concurrently: true.
    assertNotBlocked(lint("postgresql", PATH, migration("""
          @disable_ddl_transaction true
          @disable_migration_lock true""", "    create index(:users, [:email], concurrently: true)")));
  }

  @Test
  void concurrentIndexInsideEctosTransactionOrItsMigrationLockFails() {
    var inTx = lint("postgresql", PATH, change("create index(:users, [:email], concurrently: true)"));
    assertBlocked("pg-concurrent-in-transaction", inTx);
    assertTrue(inTx.findings().stream().anyMatch(f -> f.fix().contains("@disable_ddl_transaction true")),
        Twins.render(inTx));
    // @disable_ddl_transaction alone: the default :table_lock still wraps the migration in its transaction.
    var locked = lint("postgresql", PATH, migration("  @disable_ddl_transaction true",
        "    create index(:users, [:email], concurrently: true)"));
    assertBlocked("pg-concurrent-in-transaction", locked);
    assertTrue(Twins.render(locked).contains("migration lock (:table_lock)"), Twins.render(locked));
  }

  @Test
  void anAdvisoryMigrationLockInTheRepoConfigIsEnough() {
    RepoFiles files = p -> p.equals("config/config.exs")
        ? Optional.of("config :my_app, MyApp.Repo, migration_lock: :pg_advisory_lock\n") : Optional.empty();
    Migration m = new EctoReader().read(new MigrationSource(PATH, migration("  @disable_ddl_transaction true",
        "    create index(:users, [:email], concurrently: true)"), null, MigrationSettings.defaults(), files));
    assertFalse(m.units().get(0).transactional(), m.units().get(0).label());
  }

  @Test
  void rendersWhatEctoRunsOneAlterPerBlock() {
    Migration m = new EctoReader().read(new MigrationSource(PATH, alter("""
        add :nick, :string, size: 40
              remove :legacy
              modify :email, :text, null: true, from: :string"""), Dialect.POSTGRESQL, MigrationSettings.defaults(),
        RepoFiles.none()));
    assertEquals(Framework.ECTO, m.framework());
    assertEquals("20240501120000", m.version());
    assertEquals(List.of("ALTER TABLE \"users\" ADD COLUMN \"nick\" varchar(40), DROP COLUMN \"legacy\", ALTER COLUMN"
        + " \"email\" TYPE text, ALTER COLUMN \"email\" DROP NOT NULL"),
        m.statements().stream().map(s -> s.text().strip()).toList());
    assertEquals(5, m.statements().get(0).line());
    assertTrue(m.wayBack().isEmpty(), "remove/1 in change/0 cannot be reversed");
  }

  @Test
  void upAndDownFunctionsAndMysql() {
    String text = """
        defmodule MyApp.Repo.Migrations.Backfill do
          use Ecto.Migration

          def up do
            execute \"\"\"
            UPDATE users SET plan = 'free' WHERE plan IS NULL
            \"\"\"
            repo().query!("ALTER TABLE users DROP COLUMN legacy")
          end

          def down, do: :ok
        end
        """;
    RepoFiles files = p -> p.equals("mix.exs") ? Optional.of("{:myxql, \">= 0.0.0\"}") : Optional.empty();
    Migration m = new EctoReader().read(new MigrationSource("priv/repo/migrations/20240101000000_backfill.exs", text,
        null, MigrationSettings.defaults(), files));
    assertEquals(Dialect.MYSQL, m.dialect());
    assertEquals(List.of(6, 8), m.statements().stream().map(s -> s.line()).toList());
  }

  @Test
  void schemasNameTheirTableAndFields() {
    String schema = """
        defmodule MyApp.Accounts.User do
          use Ecto.Schema
          import Ecto.Changeset

          schema "users" do
            field :email, :string
            field :nickname, :string, source: :nick_name
            field :password, :string, virtual: true
            belongs_to :team, MyApp.Team
            has_many :posts, MyApp.Post
            timestamps(type: :utc_datetime)
          end

          def changeset(user, attrs), do: cast(user, attrs, [:email, :nickname])
        end
        """;
    List<OrmModel> m = new EctoReader().models("lib/my_app/accounts/user.ex", schema, RepoFiles.none());
    assertEquals(1, m.size());
    assertEquals("User", m.get(0).name());
    assertEquals("users", m.get(0).table());
    assertEquals(Map.of("id", 5, "email", 6, "nick_name", 7, "team_id", 9, "inserted_at", 11, "updated_at", 11),
        m.get(0).columns());
  }

  @Test
  void shapesFoundInTeslamateAreRead() {
    // require/alias are directives; an EctoEnum type is still a column whose nullability and default count; the
    // application's modules work on rows (a warning); create_type changes the schema (unread, blocking).
    var r = lint("postgresql", PATH, migration("  require Logger\n  alias TeslaMate.Repo", """
            alter table(:geofences) do
              add :billing_type, BillingType.type(), null: false
            end
            Cache.store(:key)"""));
    assertBlocked("add-column-required", r);
    assertEquals(List.of("warning"), r.findings().stream().filter(f -> f.rule().equals("migration/unreadable-migration"))
        .map(f -> f.severity()).toList(), Twins.render(r));
    assertBlocked("unreadable-migration", lint("postgresql", PATH, change("BillingType.create_type()")));
  }

  @Test
  void elixirThatDoesNotParseNeverThrowsAndAlwaysEnds() {
    for (String junk : List.of("", "do do do", "end end", "\"unterminated", "\"\"\"\nopen", "~s(open", "fn ->",
        "alter table(:x do", "(((((", "[[[[", "%{a: ", "add :x,", "@", ":\"", "#{", "?", "def change, do:",
        "create index(:users, [:email], concurrently: true".repeat(300), "(".repeat(3000))) {
      ElixirParser.parse(junk);
      new EctoReader().read(new MigrationSource(PATH, "use Ecto.Migration\ndef change do\n" + junk + "\nend", null,
          MigrationSettings.defaults(), RepoFiles.none()));
    }
  }

  FixtureRepo app() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("mix.exs", "defp deps, do: [{:ecto_sql, \"~> 3.10\"}, {:postgrex, \">= 0.0.0\"}]\n");
    files.put("priv/repo/migrations/20230101000000_create_users.exs", change("""
        create table(:users) do
              add :email, :string, null: false
              add :nickname, :string
              add :legacy_code, :string
              timestamps()
            end"""));
    files.put("lib/my_app/accounts/user.ex", """
        defmodule MyApp.Accounts.User do
          use Ecto.Schema
          schema "users" do
            field :email, :string
            field :nickname, :string
            timestamps()
          end
        end
        """);
    return FixtureRepo.create(dir).commit(files, "app").deployed();
  }

  @Test
  void droppingAFieldTheSchemaStillMapsFailsWithTheSchemaAsEvidence() {
    FixtureRepo repo = app().commit(PATH, alter("remove :nickname"));
    ProbeOutcome out = RuleHarness.of(new MigrationSafetyProbe()).run(repo);
    String text = RuleHarness.render(out.findings());
    assertEquals(ProbeStatus.FAIL, out.status(), text);
    assertTrue(text.contains("BLOCK migration/drop-column " + PATH + ":5"), text);
    assertTrue(text.contains("lib/my_app/accounts/user.ex:5"), text);
    assertTrue(out.reason().contains("read 1 Ecto migration"), out.reason());
  }

  @Test
  void droppingAColumnNoSchemaMapsPasses() {
    // Safe: the schema no longer maps legacy_code and no code names it.
    FixtureRepo repo = app().commit(PATH, alter("remove :legacy_code, :string"));
    String text = RuleHarness.render(RuleHarness.of(new MigrationSafetyProbe()).run(repo).findings());
    assertTrue(text.contains("INFO migration/drop-column"), text);
    assertFalse(text.contains("BLOCK"), text);
  }
}
