package dev.tollgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.probes.runtime.ProbeRegistry;
import dev.tollgate.probes.testing.FixtureRepo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tollgate check} on real git repositories of each framework read by the second half of issue #17 (Laravel,
 * Knex, TypeORM, Sequelize, EF Core, Ecto, goose, sqitch, Flyway Java): the running release has application code
 * using a column, the candidate adds a migration dropping it (NO_GO, with the code as evidence), or adds the
 * framework's own safe concurrent index instead (GO). {@code lint-migrations} reads the same files.
 */
class FrameworkMigrationsCheckIT {
  @TempDir Path tmp;

  /**
   * One framework's application.
   *
   * @param baseline the running release's files (a first migration creating the table, and code using its columns)
   * @param unsafe the candidate's migration dropping {@code nickname}, which the code still reads
   * @param evidence the file of the running release the finding must name
   * @param safe the framework's safe pattern: an index built concurrently outside a transaction
   */
  record App(String framework, String displayName, Map<String, String> baseline, String migration, String unsafe,
      String evidence, String safeMigration, String safe) {}

  private JsonNode check(FixtureRepo repo, int expectedExit) throws Exception {
    StringWriter out = new StringWriter();
    int exit = Cli.Check.check(ServerConfigFile.load(null), ProbeRegistry.production(),
        new LocalCheck.Request(repo.dir(), "HEAD", repo.baseline(), "staging", List.of(ProbeId.of("migrations"))), "json",
        new PrintWriter(out));
    assertEquals(expectedExit, exit, out.toString());
    return Json.mapper().readTree(out.toString());
  }

  private static int lint(Path file) {
    CommandLine cli = new CommandLine(new Cli());
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    return cli.execute("lint-migrations", "--dialect", "postgresql", file.toString());
  }

  private void run(App app) throws Exception {
    FixtureRepo unsafe = FixtureRepo.create(tmp.resolve(app.framework() + "-unsafe")).commit(app.baseline(), "app")
        .deployed().commit(app.migration(), app.unsafe());
    JsonNode v = check(unsafe, 1);
    assertEquals("NO_GO", v.path("verdict").path("decision").asText(), v.toPrettyString());
    JsonNode probe = v.path("probes").get(0);
    assertTrue(probe.path("reason").asText().contains("read 1 " + app.displayName() + " migration"), probe.toString());
    JsonNode drop = null;
    for (JsonNode f : probe.path("findings")) {
      if (f.path("ruleId").asText().equals("migration/drop-column") && f.path("severity").asText().equals("BLOCK")) {
        drop = f;
      }
    }
    assertTrue(drop != null, "drop-column blocks: " + probe.toPrettyString());
    assertEquals(app.migration(), drop.path("file").asText());
    assertTrue(drop.path("line").asInt() > 1, drop.toString());
    assertTrue(drop.path("message").asText().contains(app.evidence()), drop.toString());

    FixtureRepo safe = FixtureRepo.create(tmp.resolve(app.framework() + "-safe")).commit(app.baseline(), "app")
        .deployed().commit(app.safeMigration(), app.safe());
    JsonNode ok = check(safe, 0);
    assertEquals("GO", ok.path("verdict").path("decision").asText(), ok.toPrettyString());
    assertTrue(ok.path("probes").get(0).path("reason").asText().contains(app.displayName()), ok.toString());

    assertEquals(1, lint(unsafe.dir().resolve(app.migration())), "lint-migrations blocks the drop");
    assertEquals(0, lint(safe.dir().resolve(app.safeMigration())), "lint-migrations passes the safe pattern");
  }

  private static Map<String, String> files(String... pathsAndContents) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      m.put(pathsAndContents[i], pathsAndContents[i + 1]);
    }
    return m;
  }

  private static String php(String props, String up) {
    return "<?php\nuse Illuminate\\Database\\Migrations\\Migration;\nuse Illuminate\\Database\\Schema\\Blueprint;\n"
        + "use Illuminate\\Support\\Facades\\DB;\nuse Illuminate\\Support\\Facades\\Schema;\n\nreturn new class extends"
        + " Migration\n{\n" + props + "\n    public function up(): void\n    {\n" + up + "\n    }\n};\n";
  }

  @Test
  void laravel() throws Exception {
    run(new App("laravel", "Laravel", files(
        ".env.example", "DB_CONNECTION=pgsql\n",
        "database/migrations/2014_10_12_000000_create_users_table.php", php("", """
                    Schema::create('users', function (Blueprint $table) {
                        $table->id();
                        $table->string('email')->unique();
                        $table->string('nickname')->nullable();
                    });"""),
        "app/Models/User.php", "<?php\nnamespace App\\Models;\nuse Illuminate\\Database\\Eloquent\\Model;\n"
            + "class User extends Model\n{\n    protected $fillable = ['email', 'nickname'];\n}\n"),
        "database/migrations/2024_05_01_000000_drop_nickname.php", php("", """
                    Schema::table('users', function (Blueprint $table) {
                        $table->dropColumn('nickname');
                    });"""), "app/Models/User.php",
        "database/migrations/2024_05_01_000000_index_email.php", php("    public $withinTransaction = false;", """
                    DB::statement("SET lock_timeout = '2s'");
                    Schema::table('users', function (Blueprint $table) {
                        $table->index('nickname')->online();
                    });""")));
  }

  @Test
  void knex() throws Exception {
    run(new App("knex", "Knex", files(
        "knexfile.js", "module.exports = { client: 'pg' };\n",
        "migrations/20230101000000_users.js", "exports.up = (knex) => knex.schema.createTable('users', (t) => {\n"
            + "  t.increments();\n  t.string('email').notNullable();\n  t.string('nickname');\n});\n",
        "src/users.js", "const db = require('./db');\nexports.find = (id) => db('users').where({ id }).first('nickname');\n"),
        "migrations/20240501000000_drop_nickname.js", "exports.up = (knex) =>\n  knex.schema.alterTable('users', (t) => {\n"
            + "    t.dropColumn('nickname');\n  });\n", "src/users.js",
        "migrations/20240501000000_index_nickname.js", "exports.config = { transaction: false };\n\n"
            + "exports.up = async (knex) => {\n  await knex.raw(\"SET lock_timeout = '2s'\");\n"
            + "  await knex.raw('CREATE INDEX CONCURRENTLY users_nickname_idx ON users (nickname)');\n};\n"));
  }

  @Test
  void typeorm() throws Exception {
    String head = "import { MigrationInterface, QueryRunner } from 'typeorm';\n\n";
    run(new App("typeorm", "TypeORM", files(
        "src/migrations/1700000000000-Init.ts", head + "export class Init1700000000000 implements MigrationInterface {\n"
            + "  public async up(queryRunner: QueryRunner): Promise<void> {\n    await queryRunner.query(`CREATE TABLE"
            + " \"user\" (\"id\" SERIAL PRIMARY KEY, \"email\" varchar NOT NULL, \"nickname\" varchar)`);\n  }\n}\n",
        "src/entity/User.ts", "import { Entity, Column, PrimaryGeneratedColumn } from 'typeorm';\n@Entity()\n"
            + "export class User {\n  @PrimaryGeneratedColumn() id: number;\n  @Column() email: string;\n"
            + "  @Column({ nullable: true }) nickname: string;\n}\n"),
        "src/migrations/1714521600000-DropNickname.ts", head + "export class DropNickname1714521600000 implements"
            + " MigrationInterface {\n  public async up(queryRunner: QueryRunner): Promise<void> {\n"
            + "    await queryRunner.query(`ALTER TABLE \"user\" DROP COLUMN \"nickname\"`);\n  }\n}\n",
        "src/entity/User.ts",
        "src/migrations/1714521600000-IndexNickname.ts", head + "export class IndexNickname1714521600000 implements"
            + " MigrationInterface {\n  transaction = false;\n\n  public async up(queryRunner: QueryRunner): Promise<void> {\n"
            + "    await queryRunner.query(`SET lock_timeout = '2s'`);\n    await queryRunner.query(`CREATE INDEX"
            + " CONCURRENTLY \"IDX_user_nickname\" ON \"user\" (\"nickname\")`);\n  }\n}\n"));
  }

  @Test
  void sequelize() throws Exception {
    String open = "'use strict';\nmodule.exports = {\n  async up(queryInterface, Sequelize) {\n";
    run(new App("sequelize", "Sequelize", files(
        "config/config.json", "{\"production\": {\"dialect\": \"postgres\"}}\n",
        "migrations/20230101000000-create-user.js", open + "    await queryInterface.createTable('Users', {\n"
            + "      id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true },\n"
            + "      email: { type: Sequelize.STRING, allowNull: false },\n      nickname: Sequelize.STRING,\n    });\n"
            + "  },\n};\n",
        "models/user.js", "module.exports = (sequelize, DataTypes) => sequelize.define('User', {\n"
            + "  email: DataTypes.STRING,\n  nickname: DataTypes.STRING,\n});\n"),
        "migrations/20240501000000-drop-nickname.js", open + "    await queryInterface.removeColumn('Users', 'nickname');\n"
            + "  },\n};\n", "models/user.js",
        "migrations/20240501000000-index-nickname.js", open + "    await queryInterface.sequelize.query(\"SET lock_timeout"
            + " = '2s'\");\n    await queryInterface.addIndex('Users', ['nickname'], { concurrently: true });\n  },\n};\n"));
  }

  private static String cs(String name, String up) {
    return "using Microsoft.EntityFrameworkCore.Migrations;\n\nnamespace App.Migrations\n{\n    public partial class "
        + name + " : Migration\n    {\n        protected override void Up(MigrationBuilder migrationBuilder)\n"
        + "        {\n" + up + "\n        }\n    }\n}\n";
  }

  @Test
  void efCore() throws Exception {
    run(new App("efcore", "EF Core", files(
        "src/App/Migrations/20230101000000_Init.cs", cs("Init", """
                        migrationBuilder.CreateTable(
                            name: "Users",
                            columns: table => new
                            {
                                Id = table.Column<int>(type: "integer", nullable: false),
                                Email = table.Column<string>(type: "text", nullable: false),
                                Nickname = table.Column<string>(type: "text", nullable: true)
                            });"""),
        "src/App/Data/AppDbContext.cs", "public class AppDbContext : DbContext\n{\n    public DbSet<User> Users"
            + " { get; set; }\n}\n",
        "src/App/Models/User.cs", "public class User\n{\n    public int Id { get; set; }\n    public string Email"
            + " { get; set; }\n    public string Nickname { get; set; }\n}\n"),
        "src/App/Migrations/20240501000000_DropNickname.cs", cs("DropNickname",
            "            migrationBuilder.DropColumn(name: \"Nickname\", table: \"Users\");"), "src/App/Models/User.cs",
        "src/App/Migrations/20240501000000_IndexNickname.cs", cs("IndexNickname", """
                        migrationBuilder.Sql("SET lock_timeout = '2s'", suppressTransaction: true);
                        migrationBuilder.CreateIndex(name: "IX_Users_Nickname", table: "Users", column: "Nickname")
                            .Annotation("Npgsql:CreatedConcurrently", true);""")));
  }

  private static String exs(String attrs, String body) {
    return "defmodule MyApp.Repo.Migrations.Change do\n  use Ecto.Migration\n" + attrs + "\n  def change do\n" + body
        + "\n  end\nend\n";
  }

  @Test
  void ecto() throws Exception {
    run(new App("ecto", "Ecto", files(
        "mix.exs", "defp deps, do: [{:ecto_sql, \"~> 3.10\"}, {:postgrex, \">= 0.0.0\"}]\n",
        "priv/repo/migrations/20230101000000_create_users.exs", exs("", "    create table(:users) do\n"
            + "      add :email, :string, null: false\n      add :nickname, :string\n      timestamps()\n    end"),
        "lib/my_app/user.ex", "defmodule MyApp.User do\n  use Ecto.Schema\n  schema \"users\" do\n"
            + "    field :email, :string\n    field :nickname, :string\n    timestamps()\n  end\nend\n"),
        "priv/repo/migrations/20240501000000_drop_nickname.exs", exs("", "    alter table(:users) do\n"
            + "      remove :nickname, :string\n    end"), "lib/my_app/user.ex",
        "priv/repo/migrations/20240501000000_index_nickname.exs", exs("  @disable_ddl_transaction true\n"
            + "  @disable_migration_lock true", "    execute \"SET lock_timeout = '2s'\", \"\"\n"
            + "    create index(:users, [:nickname], concurrently: true)")));
  }

  @Test
  void goose() throws Exception {
    run(new App("goose", "goose", files(
        "go.mod", "module example.com/shop\n\nrequire github.com/jackc/pgx/v5 v5.5.0\n",
        "db/migrations/00001_users.sql", "-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL,"
            + " nickname text);\n-- +goose Down\nDROP TABLE users;\n",
        "internal/store/users.go", "package store\n\nconst byID = `SELECT email, nickname FROM users WHERE id = $1`\n"),
        "db/migrations/00002_drop_nickname.sql", "-- +goose Up\nALTER TABLE users DROP COLUMN nickname;\n\n"
            + "-- +goose Down\nALTER TABLE users ADD COLUMN nickname text;\n", "internal/store/users.go",
        "db/migrations/00002_index_nickname.sql", "-- +goose NO TRANSACTION\n-- +goose Up\nSET lock_timeout = '2s';\n"
            + "CREATE INDEX CONCURRENTLY users_nickname_idx ON users (nickname);\n\n-- +goose Down\n"
            + "DROP INDEX CONCURRENTLY users_nickname_idx;\n"));
  }

  @Test
  void sqitch() throws Exception {
    String plan = "%syntax-version=1.0.0\n%project=shop\n\nusers 2023-01-01T00:00:00Z A <a@example.com> # users\n";
    Map<String, String> base = files("sqitch.plan", plan, "sqitch.conf", "[core]\n\tengine = pg\n",
        "deploy/users.sql", "-- Deploy shop:users to pg\n\nBEGIN;\n\nCREATE TABLE users (id bigint PRIMARY KEY, email text"
            + " NOT NULL, nickname text);\n\nCOMMIT;\n",
        "app/users.py", "def profile(db, uid):\n    return db.one('SELECT email, nickname FROM users WHERE id = %s', uid)\n");
    run(new App("sqitch", "sqitch", base, "deploy/drop_nickname.sql", "-- Deploy shop:drop_nickname to pg\n\nBEGIN;\n\n"
        + "ALTER TABLE users DROP COLUMN nickname;\n\nCOMMIT;\n", "app/users.py",
        "deploy/index_nickname.sql", "-- Deploy shop:index_nickname to pg\n\nSET lock_timeout = '2s';\n"
            + "CREATE INDEX CONCURRENTLY users_nickname_idx ON users (nickname);\n"));
  }

  private static String java(String members, String body) {
    return "package db.migration;\n\nimport java.sql.Statement;\nimport org.flywaydb.core.api.migration.BaseJavaMigration;\n"
        + "import org.flywaydb.core.api.migration.Context;\n\npublic class V2__Change extends BaseJavaMigration {\n"
        + members + "\n  @Override\n  public void migrate(Context context) throws Exception {\n"
        + "    try (Statement st = context.getConnection().createStatement()) {\n" + body + "\n    }\n  }\n}\n";
  }

  @Test
  void flywayJava() throws Exception {
    run(new App("flyway-java", "Flyway Java", files(
        "src/main/resources/application.properties", "spring.datasource.url=jdbc:postgresql://db/shop\n"
            + "spring.flyway.postgresql.transactional-lock=false\n",
        "src/main/resources/db/migration/V1__users.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL,"
            + " nickname text);\n",
        "src/main/java/shop/UserRepository.java", "package shop;\nclass UserRepository {\n  static final String BY_ID ="
            + " \"SELECT email, nickname FROM users WHERE id = ?\";\n}\n"),
        "src/main/java/db/migration/V2__Change.java", java("",
            "      st.execute(\"ALTER TABLE users DROP COLUMN nickname\");"), "src/main/java/shop/UserRepository.java",
        "src/main/java/db/migration/V2__Change.java", java("  @Override\n  public boolean canExecuteInTransaction() {\n"
            + "    return false;\n  }\n", "      st.execute(\"SET lock_timeout = '2s'\");\n"
            + "      st.execute(\"CREATE INDEX CONCURRENTLY users_nickname_idx ON users (nickname)\");")));
  }
}
