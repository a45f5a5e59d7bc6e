package dev.tollgate.probes.migration.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.migration.Framework;
import dev.tollgate.probes.migration.MigrationSafetyProbe;
import dev.tollgate.probes.migration.OrmModel;
import dev.tollgate.probes.runtime.ProbeOutcome;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prisma Migrate: migration.sql files through the whole migrations probe, with the dialect of migration_lock.toml,
 * Prisma's one-query transaction model, and schema.prisma's models for the old-code check.
 */
class PrismaReaderTest {
  @TempDir Path dir;
  private int repos;

  static final String SCHEMA = """
      datasource db {
        provider = "postgresql"
        url      = env("DATABASE_URL") // postgres://...
      }

      enum Plan {
        FREE
        PRO
      }

      model User {
        id       Int     @id @default(autoincrement())
        email    String  @unique
        nickname String? @map("nick_name")
        plan     Plan    @default(FREE)
        posts    Post[]
        scratch  String? @ignore

        @@map("users")
      }

      model Post {
        id       Int  @id
        authorId Int
        author   User @relation(fields: [authorId], references: [id])
      }
      """;

  static final String INITIAL = """
      CREATE TYPE "Plan" AS ENUM ('FREE', 'PRO');
      CREATE TABLE "users" ("id" SERIAL PRIMARY KEY, "email" TEXT NOT NULL, "nick_name" TEXT, "plan" "Plan" NOT NULL
        DEFAULT 'FREE', "scratch" TEXT, "legacy" TEXT);
      CREATE TABLE "Post" ("id" INTEGER PRIMARY KEY, "authorId" INTEGER NOT NULL);
      """;

  private FixtureRepo repo(String provider, String sql) {
    Map<String, String> base = new LinkedHashMap<>();
    base.put("package.json", "{\"dependencies\": {\"@prisma/client\": \"5.20.0\"}}\n");
    base.put(".tollgate.yml", "migrations:\n  lockTimeoutSetByRole: true\n");
    base.put("prisma/schema.prisma", SCHEMA.replace("\"postgresql\"", "\"" + provider + "\""));
    base.put("prisma/migrations/migration_lock.toml", "provider = \"" + provider + "\"\n");
    base.put("prisma/migrations/20240101000000_init/migration.sql", INITIAL);
    base.put("src/users.ts", "export const find = (id: number) => prisma.user.findUnique({ where: { id } });\n");
    return FixtureRepo.create(dir.resolve("r" + repos++)).commit(base, "release 1").deployed()
        .commit("prisma/migrations/20240202000000_change/migration.sql", sql);
  }

  private ProbeOutcome run(String sql) {
    return RuleHarness.of(new MigrationSafetyProbe()).run(repo("postgresql", sql));
  }

  private Set<String> findings(String sql) {
    return RailsReaderTest.severe(run(sql));
  }

  @Test
  void flagsDropColumnTheSchemaPrismaModelMaps() {
    ProbeOutcome out = run("ALTER TABLE \"users\" DROP COLUMN \"nick_name\";\n");
    Finding f = out.findings().stream().filter(x -> x.ruleId().equals("migration/drop-column")).findFirst().orElseThrow();
    assertEquals(Severity.BLOCK, f.severity());
    assertTrue(f.message().contains("prisma/schema.prisma:14"), f.message());
    assertTrue(out.reason().endsWith("read 1 Prisma migration"), out.reason());
  }

  @Test
  void passesDropColumnNoModelMaps() {
    // Safe: `legacy` is not in the model, and an @ignore field is not in the client either.
    assertEquals(Set.of(), findings("ALTER TABLE \"users\" DROP COLUMN \"legacy\";\nALTER TABLE \"users\" DROP COLUMN \"scratch\";\n"));
  }

  @Test
  void aSingleConcurrentIndexRunsAloneButNotBesideAnotherStatement() {
    // Safe: one statement is sent alone, outside any transaction.
    assertEquals(Set.of(), findings("CREATE INDEX CONCURRENTLY \"users_plan_idx\" ON \"users\"(\"plan\");\n"));
    // Unsafe: two statements are one query, which PostgreSQL runs as one implicit transaction.
    assertEquals(Set.of("BLOCK migration/pg-concurrent-in-transaction:2"), findings(
        "SET lock_timeout = '5s';\nCREATE INDEX CONCURRENTLY \"users_plan_idx\" ON \"users\"(\"plan\");\n"));
  }

  @Test
  void flagsWhatPrismaGeneratesForAnIndexAndARequiredColumn() {
    assertEquals(Set.of("BLOCK migration/pg-index-not-concurrent:2"), findings(
        "-- CreateIndex\nCREATE INDEX \"users_plan_idx\" ON \"users\"(\"plan\");\n"));
    assertEquals(Set.of("BLOCK migration/add-column-required:2"), findings(
        "-- AlterTable\nALTER TABLE \"users\" ADD COLUMN \"score\" INTEGER NOT NULL;\n"));
  }

  @Test
  void passesAColumnWithADefault() {
    assertEquals(Set.of(), findings("ALTER TABLE \"users\" ADD COLUMN \"score\" INTEGER NOT NULL DEFAULT 0;\n"));
  }

  @Test
  void mysqlFromMigrationLockIsNotTransactional() {
    // On MySQL a concurrent-index rule does not apply; the migration lock file says MySQL even though nothing else does.
    ProbeOutcome out = RuleHarness.of(new MigrationSafetyProbe()).run(repo("mysql",
        "ALTER TABLE `users` ADD INDEX `users_plan_idx` (`plan`), ALGORITHM=INPLACE, LOCK=NONE;\n"));
    assertEquals(Set.of(), RailsReaderTest.severe(out));
  }

  @Test
  void aProviderTheProbeDoesNotReadIsUnreadNotDropped() {
    ProbeOutcome out = RuleHarness.of(new MigrationSafetyProbe()).run(repo("sqlserver",
        "ALTER TABLE [users] DROP COLUMN [legacy];\n"));
    assertEquals(Set.of("BLOCK migration/unreadable-migration:1"), RailsReaderTest.severe(out));
  }

  @Test
  void modelsMapTablesColumnsAndClientAccessors() {
    List<OrmModel> models = new PrismaReader().models("prisma/schema.prisma", SCHEMA, RepoFiles.none());
    OrmModel user = models.stream().filter(m -> m.name().equals("User")).findFirst().orElseThrow();
    assertEquals(Framework.PRISMA, user.framework());
    assertEquals("users", user.table());
    assertEquals(Set.of("id", "email", "nick_name", "plan"), user.columns().keySet()); // no relation, no @ignore
    assertEquals(14, user.columns().get("nick_name"));
    assertEquals(Set.of("scratch"), user.ignoredColumns().keySet());
    assertTrue(user.accessors().contains("prisma.user"));
    OrmModel post = models.stream().filter(m -> m.name().equals("Post")).findFirst().orElseThrow();
    assertEquals("Post", post.table());
    assertEquals(Set.of("id", "authorId"), post.columns().keySet());
  }

  @Test
  void claimsPrismaMigrationDirectoriesOnly() {
    PrismaReader r = new PrismaReader();
    assertTrue(r.claims("prisma/migrations/20240101000000_init/migration.sql"));
    assertTrue(r.claims("packages/db/migrations/20240101000000_init/migration.sql"));
    assertEquals(false, r.claims("migrations/20240101000000_init/up.sql")); // Diesel
    assertEquals(false, r.claims("db/migrate/V1__init.sql"));
  }

  @Test
  void dialectFromTheSchemaWhenThereIsNoLockFile() {
    RepoFiles files = p -> p.equals("prisma/schema.prisma")
        ? Optional.of(SCHEMA.replace("\"postgresql\"", "\"mysql\"")) : Optional.empty();
    assertEquals("mysql", PrismaReader.provider(files, "prisma/migrations/"));
  }
}
