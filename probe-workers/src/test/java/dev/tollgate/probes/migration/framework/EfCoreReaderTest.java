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
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** EF Core: MigrationBuilder operations as Npgsql and Pomelo generate them, twins, suppressed transactions, DbSets. */
class EfCoreReaderTest {
  static final String PATH = "src/App/Migrations/20240501120000_ChangeUsers.cs";
  @TempDir Path dir;

  static String migration(String body) {
    return """
        using Microsoft.EntityFrameworkCore.Migrations;

        #nullable disable

        namespace App.Migrations
        {
            /// <inheritdoc />
            public partial class ChangeUsers : Migration
            {
                /// <inheritdoc />
                protected override void Up(MigrationBuilder migrationBuilder)
                {
        %s
                }

                /// <inheritdoc />
                protected override void Down(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.DropTable(name: "Nothing");
                }
            }
        }
        """.formatted(body);
  }

  @TestFactory
  Stream<DynamicTest> migrationBuilderUnsafeAndSafe() {
    return Twins.run("postgresql", PATH, "ef_core", EfCoreReaderTest::migration, List.of(
        // Safe: nullable: true.
        new Twin("AddColumn NOT NULL without default", """
                    migrationBuilder.AddColumn<string>(name: "Nick", table: "Users", type: "text", nullable: false);""",
            "add-column-required", """
                    migrationBuilder.AddColumn<string>(name: "Nick", table: "Users", type: "text", nullable: true);"""),
        // Safe: the constant default EF Core scaffolds for a new NOT NULL column fills existing rows (PostgreSQL 11+).
        new Twin("AddColumn with a volatile defaultValueSql", """
                    migrationBuilder.AddColumn<Guid>(name: "Token", table: "Users", type: "uuid", nullable: false,
                        defaultValueSql: "gen_random_uuid()");""", "pg-add-column-volatile-default", """
                    migrationBuilder.AddColumn<bool>(name: "Active", table: "Users", type: "boolean", nullable: false,
                        defaultValue: false);"""),
        new Twin("DropColumn", "            migrationBuilder.DropColumn(name: \"Nick\", table: \"Users\");",
            "drop-column", null),
        // Safe: the expand step of a rename.
        new Twin("RenameColumn", """
                    migrationBuilder.RenameColumn(name: "Nick", table: "Users", newName: "Nickname");""",
            "rename-column", """
                    migrationBuilder.AddColumn<string>(name: "Nickname", table: "Users", type: "text", nullable: true);"""),
        // Safe: only NOT NULL dropped (a warning); the type stays.
        new Twin("AlterColumn type", """
                    migrationBuilder.AlterColumn<int>(name: "Age", table: "Users", type: "integer", nullable: true,
                        oldClrType: typeof(string), oldType: "text", oldNullable: true);""", "change-column-type", """
                    migrationBuilder.AlterColumn<string>(name: "Bio", table: "Users", type: "text", nullable: true,
                        oldClrType: typeof(string), oldType: "text");"""),
        new Twin("AlterColumn to NOT NULL", """
                    migrationBuilder.AlterColumn<string>(name: "Email", table: "Users", type: "text", nullable: false,
                        oldClrType: typeof(string), oldType: "text", oldNullable: true);""", "set-not-null", null),
        // Safe: Npgsql's CreatedConcurrently annotation (EF Core then suppresses the transaction itself).
        new Twin("CreateIndex", """
                    migrationBuilder.CreateIndex(name: "IX_Users_Email", table: "Users", column: "Email", unique: true);""",
            "pg-index-not-concurrent", """
                    migrationBuilder.CreateIndex(name: "IX_Users_Email", table: "Users", column: "Email", unique: true)
                        .Annotation("Npgsql:CreatedConcurrently", true);"""),
        // Safe: dropped concurrently outside the transaction.
        new Twin("DropIndex", "            migrationBuilder.DropIndex(name: \"IX_Users_Email\", table: \"Users\");",
            "pg-drop-index-not-concurrent", """
                    migrationBuilder.Sql("DROP INDEX CONCURRENTLY \\"IX_Users_Email\\"", suppressTransaction: true);"""),
        // Safe: NOT VALID in SQL, validated in a later migration.
        new Twin("AddForeignKey", """
                    migrationBuilder.AddForeignKey(name: "FK_Posts_Users_UserId", table: "Posts", column: "UserId",
                        principalTable: "Users", principalColumn: "Id", onDelete: ReferentialAction.Cascade);""",
            "add-foreign-key-validating", """
                    migrationBuilder.Sql(@"ALTER TABLE ""Posts"" ADD CONSTRAINT ""FK_Posts_Users_UserId""
                        FOREIGN KEY (""UserId"") REFERENCES ""Users"" (""Id"") NOT VALID;");"""),
        new Twin("AddUniqueConstraint", """
                    migrationBuilder.AddUniqueConstraint(name: "AK_Users_Email", table: "Users", column: "Email");""",
            "add-unique-constraint", null),
        new Twin("DropTable", "            migrationBuilder.DropTable(name: \"Users\");", "drop-table", null),
        new Twin("RenameTable", "            migrationBuilder.RenameTable(name: \"Users\", newName: \"Members\");",
            "rename-table", null),
        // Safe: a new table.
        new Twin("CreateTable", "            migrationBuilder.AddPrimaryKey(name: \"PK_Users\", table: \"Users\","
            + " column: \"Id\");", "add-primary-key", """
                    migrationBuilder.CreateTable(
                        name: "Posts",
                        columns: table => new
                        {
                            Id = table.Column<int>(type: "integer", nullable: false)
                                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                            Title = table.Column<string>(type: "text", nullable: false),
                            UserId = table.Column<int>(type: "integer", nullable: false)
                        },
                        constraints: table =>
                        {
                            table.PrimaryKey("PK_Posts", x => x.Id);
                            table.ForeignKey(name: "FK_Posts_Users_UserId", column: x => x.UserId,
                                principalTable: "Users", principalColumn: "Id", onDelete: ReferentialAction.Cascade);
                        });"""),
        // Safe: a NOT VALID check.
        new Twin("Sql", "            migrationBuilder.Sql(\"ALTER TABLE \\\"Users\\\" ALTER COLUMN \\\"Email\\\" SET NOT"
            + " NULL\");", "set-not-null", "            migrationBuilder.Sql(\"ALTER TABLE \\\"Users\\\" ADD CONSTRAINT"
            + " email_nn CHECK (\\\"Email\\\" IS NOT NULL) NOT VALID\");"),
        // Safe: SQL written out.
        new Twin("Sql built at run time", "            migrationBuilder.Sql(File.ReadAllText(\"up.sql\"));",
            "unreadable-migration", "            migrationBuilder.Sql(\"SELECT 1\");")));
  }

  @Test
  void concurrentIndexOutsideTheTransactionIsEfCoresSafePatternAndPasses() {
    // EF Core's own safe pattern: a suppressed transaction for the concurrent build (raw SQL or Npgsql's annotation).
    assertNotBlocked(lint("postgresql", PATH, migration("""
                    migrationBuilder.Sql("CREATE INDEX CONCURRENTLY \\"IX_Users_Email\\" ON \\"Users\\" (\\"Email\\")",
                        suppressTransaction: true);""")));
  }

  @Test
  void concurrentIndexInsideEfCoresTransactionFails() {
    var r = lint("postgresql", PATH, migration("""
                    migrationBuilder.Sql("CREATE INDEX CONCURRENTLY \\"IX_Users_Email\\" ON \\"Users\\" (\\"Email\\")");"""));
    assertBlocked("pg-concurrent-in-transaction", r);
    assertTrue(r.findings().stream().anyMatch(f -> f.fix().contains("suppressTransaction: true")), Twins.render(r));
  }

  @Test
  void suppressedCommandsSplitTheMigrationsTransaction() {
    Migration m = new EfCoreReader().read(new MigrationSource(PATH, migration("""
                    migrationBuilder.AddColumn<string>(name: "A", table: "Users", type: "text", nullable: true);
                    migrationBuilder.Sql("VACUUM \\"Users\\"", suppressTransaction: true);
                    migrationBuilder.AddColumn<string>(name: "B", table: "Users", type: "text", nullable: true);"""),
        Dialect.POSTGRESQL, MigrationSettings.defaults(), RepoFiles.none()));
    assertEquals(Framework.EF_CORE, m.framework());
    assertEquals("20240501120000", m.version());
    assertEquals(List.of(true, false, true), m.units().stream().map(u -> u.transactional()).toList());
    assertEquals(List.of(13, 14, 15), m.statements().stream().map(s -> s.line()).toList());
    assertTrue(m.wayBack().isPresent());
  }

  @Test
  void pomeloMigrationsAreMysql() {
    Migration m = new EfCoreReader().read(new MigrationSource(PATH, migration("""
                    migrationBuilder.AddColumn<string>(name: "Nick", table: "Users", type: "longtext", nullable: true)
                        .Annotation("MySql:CharSet", "utf8mb4");"""), null, MigrationSettings.defaults(), RepoFiles.none()));
    assertEquals(Dialect.MYSQL, m.dialect());
    assertEquals("ALTER TABLE `Users` ADD COLUMN `Nick` longtext NULL", m.statements().get(0).text().strip());
  }

  @Test
  void dbSetsAndTableEntitiesNameTheirTables() {
    String ctx = """
        public class AppDbContext : DbContext
        {
            public DbSet<Member> Users { get; set; }
            public DbSet<Catalog.Item> Items => Set<Catalog.Item>();
        }
        [Table("legacy_accounts")]
        public class Account
        {
            public int Id { get; set; }
            [Column("nick_name")] public string Nick { get; set; }
            [NotMapped] public string Display { get; set; }
        }
        """;
    List<OrmModel> models = new EfCoreReader().models("src/App/Data/AppDbContext.cs", ctx, RepoFiles.none());
    assertEquals(List.of("Member:Users", "Item:Items", "Account:legacy_accounts"),
        models.stream().map(m -> m.name() + ":" + m.table()).toList());
    assertEquals(List.of("Users"), models.get(0).accessors());
    assertTrue(models.get(2).maps("nick_name") && models.get(2).maps("Id") && !models.get(2).maps("Display"));
  }

  @Test
  void multiColumnIndexesAndGeneratedFilesAsBitwardenWritesThem() {
    // bitwarden: CreateIndex(columns: new[] { ... }) was unread; Designer files were searched as application code.
    var r = lint("postgresql", PATH, migration("""
                    migrationBuilder.CreateIndex(
                        name: "IX_Cipher_UserId_OrganizationId",
                        table: "Cipher",
                        columns: new[] { "UserId", "OrganizationId" })
                        .Annotation("Npgsql:CreatedConcurrently", true);"""));
    assertNotBlocked(r);
    EfCoreReader ef = new EfCoreReader();
    assertTrue(ef.claims("util/Migrations/20240101000000_Init.Designer.cs"));
    assertTrue(ef.claims("util/Migrations/DatabaseContextModelSnapshot.cs"));
    assertFalse(ef.confirms("util/Migrations/20240101000000_Init.Designer.cs", "MigrationBuilder"));
    assertFalse(ef.mayDefineModels("util/Migrations/DatabaseContextModelSnapshot.cs"));
  }

  FixtureRepo app() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("src/App/App.csproj", "<Project><ItemGroup><PackageReference Include=\"Npgsql.EntityFrameworkCore.PostgreSQL\""
        + " Version=\"8.0.4\" /></ItemGroup></Project>");
    files.put("src/App/Migrations/20230101000000_Init.cs", migration("""
                    migrationBuilder.CreateTable(
                        name: "Users",
                        columns: table => new
                        {
                            Id = table.Column<int>(type: "integer", nullable: false),
                            Email = table.Column<string>(type: "text", nullable: false),
                            Nickname = table.Column<string>(type: "text", nullable: true),
                            LegacyCode = table.Column<string>(type: "text", nullable: true)
                        },
                        constraints: table => table.PrimaryKey("PK_Users", x => x.Id));"""));
    files.put("src/App/Data/AppDbContext.cs", """
        public class AppDbContext : DbContext
        {
            public DbSet<Member> Users { get; set; }
        }
        """);
    files.put("src/App/Models/Member.cs", """
        public class Member
        {
            public int Id { get; set; }
            public string Email { get; set; }
            public string Nickname { get; set; }
        }
        """);
    return FixtureRepo.create(dir).commit(files, "app").deployed();
  }

  @Test
  void droppingAColumnTheEntityStillMapsFailsWithEvidence() {
    FixtureRepo repo = app().commit(PATH, migration(
        "            migrationBuilder.DropColumn(name: \"Nickname\", table: \"Users\");"));
    ProbeOutcome out = RuleHarness.of(new MigrationSafetyProbe()).run(repo);
    String text = RuleHarness.render(out.findings());
    assertEquals(ProbeStatus.FAIL, out.status(), text);
    assertTrue(text.contains("BLOCK migration/drop-column " + PATH + ":13"), text);
    assertTrue(text.contains("src/App/Models/Member.cs:5"), text);
    assertTrue(out.reason().contains("read 1 EF Core migration"), out.reason());
  }

  @Test
  void droppingAColumnNoCodeUsesPasses() {
    // Safe: no entity property and no code names LegacyCode.
    FixtureRepo repo = app().commit(PATH, migration(
        "            migrationBuilder.DropColumn(name: \"LegacyCode\", table: \"Users\");"));
    String text = RuleHarness.render(RuleHarness.of(new MigrationSafetyProbe()).run(repo).findings());
    assertTrue(text.contains("INFO migration/drop-column"), text);
    assertFalse(text.contains("BLOCK"), text);
  }
}
