package dev.tollgate.probes.migration.framework;

import static dev.tollgate.probes.migration.framework.Twins.assertBlocked;
import static dev.tollgate.probes.migration.framework.Twins.assertNotBlocked;
import static dev.tollgate.probes.migration.framework.Twins.lint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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

/** Laravel: every Schema operation as Laravel's grammar compiles it, its unsafe and safe twin, and Eloquent models. */
class LaravelReaderTest {
  static final String PATH = "database/migrations/2024_05_01_120000_change_users.php";
  @TempDir Path dir;

  /** A whole migration whose up() runs {@code body}. */
  static String migration(String props, String body) {
    return """
        <?php

        use Illuminate\\Database\\Migrations\\Migration;
        use Illuminate\\Database\\Schema\\Blueprint;
        use Illuminate\\Support\\Facades\\DB;
        use Illuminate\\Support\\Facades\\Schema;

        return new class extends Migration
        {
        %s
            public function up(): void
            {
        %s
            }

            public function down(): void
            {
                Schema::dropIfExists('nothing');
            }
        };
        """.formatted(props, body);
  }

  static String table(String ops) {
    return migration("", "        Schema::table('users', function (Blueprint $table) {\n            " + ops + "\n        });");
  }

  @TestFactory
  Stream<DynamicTest> blueprintOperationsUnsafeAndSafe() {
    return Twins.run("postgresql", PATH, "laravel", LaravelReaderTest::table, List.of(
        // Safe: nullable, so existing rows and the old release's inserts need no value.
        new Twin("string() NOT NULL without default", "$table->string('nick');", "add-column-required",
            "$table->string('nick')->nullable();"),
        // Safe: a constant default fills existing rows without a rewrite (PostgreSQL 11+).
        new Twin("enum() NOT NULL without default", "$table->enum('plan', ['free', 'pro']);", "add-column-required",
            "$table->enum('plan', ['free', 'pro'])->default('free');"),
        // Safe: nullable, no volatile default to evaluate per row.
        new Twin("default(DB::raw(volatile))", "$table->uuid('token')->default(DB::raw('gen_random_uuid()'));",
            "pg-add-column-volatile-default", "$table->uuid('token')->nullable();"),
        // Safe: widening to varchar(255) keeps the type family; dropping NOT NULL is only a warning.
        new Twin("->change() to another type", "$table->integer('nick')->nullable()->change();", "change-column-type",
            "$table->string('nick', 255)->nullable()->change();"),
        // Safe: ->nullable()->change() drops NOT NULL instead of adding it.
        new Twin("->change() without ->nullable() sets NOT NULL", "$table->string('email', 255)->change();",
            "set-not-null", "$table->string('email', 255)->nullable()->change();"),
        // Safe: the expand step of a rename is a new nullable column.
        new Twin("renameColumn", "$table->renameColumn('nick', 'nickname');", "rename-column",
            "$table->string('nickname')->nullable();"),
        new Twin("dropColumn", "$table->dropColumn(['nick', 'legacy']);", "drop-column", null),
        new Twin("dropSoftDeletes", "$table->dropSoftDeletes();", "drop-column", null),
        new Twin("dropTimestamps", "$table->dropTimestamps();", "drop-column", null),
        new Twin("dropConstrainedForeignId", "$table->dropConstrainedForeignId('team_id');", "drop-column", null),
        // Safe: NOT VALID skips the scan; VALIDATE CONSTRAINT runs later without blocking writes.
        new Twin("foreign()->references()->on()", "$table->foreign('team_id')->references('id')->on('teams');",
            "add-foreign-key-validating", "$table->foreign('team_id')->references('id')->on('teams')->notValid();"),
        // Safe: NOT VALID as above.
        new Twin("foreignId()->constrained()", "$table->foreignId('team_id')->nullable()->constrained();",
            "add-foreign-key-validating", "$table->foreignId('team_id')->nullable()->constrained()->notValid();"),
        // Safe: an index built CONCURRENTLY (run outside a transaction: see concurrentIndexOutsideTransaction).
        new Twin("index()", "$table->index(['email', 'name']);", "pg-index-not-concurrent",
            "$table->string('nick2')->nullable();"),
        new Twin("->index() on a new column", "$table->string('code')->nullable()->index();", "pg-index-not-concurrent",
            "$table->string('code')->nullable();"),
        new Twin("unique()", "$table->unique('email');", "add-unique-constraint", "$table->string('nick2')->nullable();"),
        new Twin("dropIndex()", "$table->dropIndex(['email']);", "pg-drop-index-not-concurrent",
            "$table->dropForeign(['team_id']);"),
        new Twin("primary()", "$table->primary('uuid');", "add-primary-key", "$table->dropForeign('users_team_id_foreign');"),
        new Twin("rename()", "$table->rename('members');", "rename-table", null),
        new Twin("a Blueprint method the probe does not know", "$table->userstamps();", "unreadable-migration",
            "$table->timestamps();")));
  }

  @TestFactory
  Stream<DynamicTest> schemaFacadeAndRawSqlUnsafeAndSafe() {
    return Twins.run("postgresql", PATH, "laravel", body -> migration("", body), List.of(
        new Twin("Schema::drop", "Schema::drop('users');", "drop-table", null),
        new Twin("Schema::dropIfExists", "Schema::dropIfExists('users');", "drop-table", null),
        new Twin("Schema::rename", "Schema::rename('users', 'members');", "rename-table", null),
        new Twin("Schema::dropColumns", "Schema::dropColumns('users', ['nick']);", "drop-column", null),
        // Safe: a new table: nothing running reads it, nothing locks on it.
        new Twin("Schema::create with a foreign key", "Schema::table('users', fn (Blueprint $t) => $t->foreign('a_id')"
            + "->references('id')->on('a'));", "add-foreign-key-validating", """
                Schema::create('posts', function (Blueprint $table) {
                    $table->id();
                    $table->foreignId('user_id')->constrained()->cascadeOnDelete();
                    $table->string('title');
                    $table->text('body')->nullable();
                    $table->timestamps();
                    $table->index(['user_id', 'created_at']);
                });"""),
        // Safe: a NOT VALID check, validated in a later migration, instead of SET NOT NULL.
        new Twin("DB::statement", "DB::statement('ALTER TABLE users ALTER COLUMN email SET NOT NULL');", "set-not-null",
            "DB::statement('ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID');"),
        // Safe: the table name is a literal the probe can read.
        new Twin("a table named at run time", "Schema::table($this->tableName(), function (Blueprint $t) {"
            + " $t->dropColumn('x'); });", "unreadable-migration", "Schema::table('users', function (Blueprint $t) {"
            + " $t->string('x')->nullable(); });"),
        // Safe: SQL written out in the file.
        new Twin("DB::statement with SQL built at run time", "DB::statement(\"ALTER TABLE users DROP COLUMN $col\");",
            "unreadable-migration", "DB::statement(\"ALTER TABLE users ADD COLUMN x text\");")));
  }

  @Test
  void concurrentIndexOutsideTransactionIsLaravelsSafePatternAndPasses() {
    // Laravel's own safe pattern: no transaction, and the index built concurrently (->online() or raw SQL).
    String online = migration("    public $withinTransaction = false;",
        "        Schema::table('users', function (Blueprint $table) {\n"
            + "            $table->index('email')->online();\n        });");
    assertNotBlocked(lint("postgresql", PATH, online));
    String raw = migration("    public $withinTransaction = false;",
        "        DB::statement('CREATE INDEX CONCURRENTLY users_email_index ON users (email)');");
    assertNotBlocked(lint("postgresql", PATH, raw));
    String uniqueOnline = migration("    public $withinTransaction = false;",
        "        Schema::table('users', function (Blueprint $table) {\n"
            + "            $table->unique('email')->online();\n        });");
    assertNotBlocked(lint("postgresql", PATH, uniqueOnline));
  }

  @Test
  void concurrentIndexInsideLaravelsTransactionFails() {
    // Laravel wraps the migration in a transaction by default: CONCURRENTLY is refused there (ERROR 25001).
    var r = lint("postgresql", PATH, migration("", "        Schema::table('users', function (Blueprint $table) {\n"
        + "            $table->index('email')->online();\n        });"));
    assertBlocked("pg-concurrent-in-transaction", r);
    assertTrue(Twins.render(r).contains("Laravel runs this migration in one transaction"), Twins.render(r));
    assertTrue(r.findings().stream().anyMatch(f -> f.fix().contains("$withinTransaction = false")), Twins.render(r));
    assertBlocked("pg-concurrent-in-transaction", lint("postgresql", PATH, migration("",
        "        DB::statement('CREATE INDEX CONCURRENTLY i ON users (email)');")));
  }

  @Test
  void rendersWhatLaravelsGrammarRunsOnTheOperationsLine() {
    String text = table("""
        $table->string('nick', 40)->nullable()->default('anon');
                    $table->renameColumn('a', 'b');
                    $table->dropForeign(['team_id']);""");
    Migration m = new LaravelReader().read(new MigrationSource(PATH, text, Dialect.POSTGRESQL, MigrationSettings.defaults(),
        RepoFiles.none()));
    assertEquals(Framework.LARAVEL, m.framework());
    assertEquals("20240501120000", m.version());
    assertEquals(List.of(
        "ALTER TABLE \"users\" ADD COLUMN \"nick\" varchar(40) NULL DEFAULT 'anon'",
        "ALTER TABLE \"users\" RENAME COLUMN \"a\" TO \"b\"",
        "ALTER TABLE \"users\" DROP CONSTRAINT \"users_team_id_foreign\""),
        m.statements().stream().map(s -> s.text().strip()).toList());
    assertEquals(List.of(14, 15, 16), m.statements().stream().map(s -> s.line()).toList());
    assertTrue(m.units().get(0).transactional());
    assertEquals(Optional.of("its down() method"), m.wayBack());
  }

  @Test
  void mysqlRestatesChangedColumnsAndHasNoTransactionalDdl() {
    String text = table("$table->string('nick', 100)->nullable()->after('email');\n"
        + "            $table->string('email', 191)->change();\n"
        + "            $table->dropIndex('users_email_index');");
    Migration m = new LaravelReader().read(new MigrationSource(PATH, text, Dialect.MYSQL, MigrationSettings.defaults(),
        RepoFiles.none()));
    assertEquals(List.of(
        "ALTER TABLE `users` ADD COLUMN `nick` varchar(100) NULL AFTER `email`",
        "ALTER TABLE `users` MODIFY COLUMN `email` varchar(191) NOT NULL",
        "ALTER TABLE `users` DROP INDEX `users_email_index`"),
        m.statements().stream().map(s -> s.text().strip()).toList());
    assertFalse(m.units().get(0).transactional());
  }

  @Test
  void dialectComesFromTheApplicationsEnvironmentFile() {
    RepoFiles files = path -> path.equals("app/.env.example") ? Optional.of("APP_NAME=x\nDB_CONNECTION=mysql\n")
        : Optional.empty();
    Migration m = new LaravelReader().read(new MigrationSource("app/" + PATH, table("$table->string('x')->nullable();"),
        null, MigrationSettings.defaults(), files));
    assertEquals(Dialect.MYSQL, m.dialect());
  }

  @Test
  void aFileWithoutAMigrationClassIsNotAMigrationAndClassicClassesAreRead() {
    assertNull(new LaravelReader().read(new MigrationSource("database/migrations/helpers.php",
        "<?php function helper() { return 1; }", null, MigrationSettings.defaults(), RepoFiles.none())));
    String classic = """
        <?php
        use Illuminate\\Database\\Migrations\\Migration;
        class DropNick extends Migration {
            public function up() { Schema::table('users', function ($table) { $table->dropColumn('nick'); }); }
        }
        """;
    assertBlocked("drop-column", lint("postgresql", "database/migrations/2016_01_01_000000_drop_nick.php", classic));
  }

  @Test
  void eloquentModelsNameTheirTableAndTheColumnsTheyWrite() {
    String model = """
        <?php
        namespace App\\Models;
        use Illuminate\\Foundation\\Auth\\User as Authenticatable;
        class User extends Authenticatable
        {
            protected $fillable = [
                'name',
                'nickname',
            ];
            protected $hidden = ['password'];
            protected function casts(): array
            {
                return ['email_verified_at' => 'datetime'];
            }
        }
        class OrderItem extends Model { protected $guarded = ['*']; }
        class Legacy extends Model { protected $table = 'tbl_legacy'; protected $casts = ['flag' => 'bool']; }
        """;
    List<OrmModel> models = new LaravelReader().models("app/Models/User.php", model, RepoFiles.none());
    assertEquals(List.of("User:users", "OrderItem:order_items", "Legacy:tbl_legacy"),
        models.stream().map(m -> m.name() + ":" + m.table()).toList());
    assertEquals(Map.of("name", 7, "nickname", 8, "password", 10, "email_verified_at", 13), models.get(0).columns());
    assertTrue(models.get(2).maps("flag"));
    assertFalse(models.get(0).mapsEveryColumn());
  }

  @Test
  void shapesFoundInRealApplicationsAreRead() {
    // Each of these was unread (blocking) on koel or BookStack before the reader followed it; now each is read.
    String text = migration("", """
                $prefix = DB::getTablePrefix();
                $addColumn = function (Blueprint $table) {
                    $table->string('cover')->nullable();
                };
                Schema::table('books', $addColumn);
                foreach (['chapters', 'pages'] as $tableName) {
                    Schema::table($tableName, function (Blueprint $table) {
                        $table->dropColumn('legacy');
                    });
                }
                self::backfill();
                DB::statement("UPDATE ${prefix}books SET cover = NULL");
                Schema::create($tableNames['roles'], function (Blueprint $table) {
                    $table->id();
                });
            }

            private static function backfill(): void
            {
                DB::statement('ALTER TABLE books ADD COLUMN x text');""");
    Migration m = new LaravelReader().read(new MigrationSource(PATH, text, Dialect.POSTGRESQL, MigrationSettings.defaults(),
        RepoFiles.none()));
    assertEquals(List.of(), m.unread(), m.unread().toString());
    List<String> sql = m.statements().stream().map(s -> s.text().strip()).toList();
    assertTrue(sql.contains("ALTER TABLE \"books\" ADD COLUMN \"cover\" varchar(255) NULL"), sql.toString());
    assertTrue(sql.contains("ALTER TABLE \"chapters\" DROP COLUMN \"legacy\""), sql.toString());
    assertTrue(sql.contains("ALTER TABLE \"pages\" DROP COLUMN \"legacy\""), sql.toString());
    assertTrue(sql.contains("ALTER TABLE books ADD COLUMN x text"), sql.toString());
    assertTrue(sql.contains("UPDATE books SET cover = NULL"), sql.toString());
  }

  @Test
  void applicationCodeOnTheDataWarnsButNeverBlocks() {
    // Safe to pass with a warning: models and their methods change rows, not the schema (koel, BookStack).
    var r = lint("postgresql", PATH, migration("", """
                $admin = User::firstAdmin();
                $admin->attachRole('admin');
                RoleModel::findOrCreate('user');
                $song->save();"""));
    assertNotBlocked(r);
    assertEquals(4, r.findings().stream().filter(f -> f.rule().equals("migration/unreadable-migration")
        && f.severity().equals("warning")).count(), Twins.render(r));
  }

  @Test
  void aColumnNamedAtRunTimeIsUnreadAndSaysSo() {
    // spatie/laravel-permission's migration (koel, BookStack) names its columns from config: unread, and the reason
    // says what was not read rather than calling unsignedBigInteger unknown.
    var r = lint("postgresql", PATH, table("$table->unsignedBigInteger($columnNames['team_foreign_key'])->nullable();"));
    assertBlocked("unreadable-migration", r);
    assertTrue(Twins.render(r).contains("adds a column named at run time"), Twins.render(r));
    assertFalse(Twins.render(r).contains("does not know"), Twins.render(r));
  }

  @Test
  void aMigrationExtendingAPackagesMigrationBaseIsRead() {
    // koel's laravel/ai migration extends AiMigration: before, no class "extends Migration" and the file was skipped.
    var r = lint("postgresql", PATH, migration("", "        Schema::drop('users');")
        .replace("extends Migration", "extends AiMigration"));
    assertBlocked("drop-table", r);
  }

  // ------------------------------------------------------------------------------------------------ a Laravel app

  static final String CREATE_USERS = migration("", """
              Schema::create('users', function (Blueprint $table) {
                  $table->id();
                  $table->string('name');
                  $table->string('email')->unique();
                  $table->string('nickname')->nullable();
                  $table->string('legacy_code')->nullable();
                  $table->timestamps();
              });""");

  static final String USER_MODEL = """
      <?php
      namespace App\\Models;
      use Illuminate\\Database\\Eloquent\\Model;
      class User extends Model
      {
          protected $fillable = ['name', 'email', 'nickname'];
      }
      """;

  FixtureRepo app() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("database/migrations/2014_10_12_000000_create_users_table.php", CREATE_USERS);
    files.put("app/Models/User.php", USER_MODEL);
    files.put("app/Http/Controllers/ProfileController.php", """
        <?php
        namespace App\\Http\\Controllers;
        use App\\Models\\User;
        class ProfileController {
            public function show(User $user) { return view('profile', ['name' => $user->name]); }
        }
        """);
    files.put(".env.example", "DB_CONNECTION=pgsql\n");
    return FixtureRepo.create(dir).commit(files, "app").deployed();
  }

  @Test
  void droppingAColumnTheEloquentModelStillWritesFailsWithTheModelAsEvidence() {
    FixtureRepo repo = app().commit("database/migrations/2024_05_01_120000_drop_nickname.php",
        table("$table->dropColumn('nickname');"));
    ProbeOutcome out = RuleHarness.of(new MigrationSafetyProbe()).run(repo);
    assertEquals(ProbeStatus.FAIL, out.status(), RuleHarness.render(out.findings()));
    String text = RuleHarness.render(out.findings());
    assertTrue(text.contains("BLOCK migration/drop-column database/migrations/2024_05_01_120000_drop_nickname.php:14"), text);
    assertTrue(text.contains("app/Models/User.php:6"), text);
    assertTrue(out.reason().contains("read 1 Laravel migration"), out.reason());
  }

  @Test
  void droppingAColumnNothingInTheRunningReleaseUsesIsTheContractStepAndPasses() {
    // Safe: neither the model nor any other code of the running release names legacy_code.
    FixtureRepo repo = app().commit("database/migrations/2024_05_01_120000_drop_legacy.php",
        table("$table->dropColumn('legacy_code');"));
    ProbeOutcome out = RuleHarness.of(new MigrationSafetyProbe()).run(repo);
    String text = RuleHarness.render(out.findings());
    assertTrue(text.contains("INFO migration/drop-column"), text);
    assertFalse(text.contains("BLOCK"), text);
  }

  @Test
  void theHistoryGivesTheRulesTheColumnsNullabilityAndType() {
    // email is already NOT NULL (Laravel's default) in the running release: ->change() restating it is no scan.
    FixtureRepo repo = app().commit("database/migrations/2024_05_01_120000_widen_email.php",
        migration("    public $withinTransaction = true;", "        Schema::table('users', function (Blueprint $table) {\n"
            + "            $table->string('email', 255)->change();\n        });"));
    String text = RuleHarness.render(RuleHarness.of(new MigrationSafetyProbe()).run(repo).findings());
    assertFalse(text.contains("set-not-null"), text);
    assertFalse(text.contains("change-column-type"), text);
  }
}
