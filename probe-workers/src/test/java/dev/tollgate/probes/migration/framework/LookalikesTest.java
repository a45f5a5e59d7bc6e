package dev.tollgate.probes.migration.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every lookalike entry with a file it must recognize, and files it must not (gitleaks-style data tests). */
class LookalikesTest {
  static Stream<Arguments> recognized() {
    return Stream.of(
        Arguments.of("database/migrations/2024_05_01_000000_x.php", "Schema::table('users', ...)", "Laravel"),
        Arguments.of("src/Migrations/Version20240101.php", "final class Version20240101 extends AbstractMigration", "Doctrine Migrations"),
        Arguments.of("db/migrations/20240101_x.php", "use Phinx\\Migration\\AbstractMigration;", "Phinx"),
        Arguments.of("src/migrations/1700000000-Drop.ts", "export class Drop implements MigrationInterface {", "TypeORM"),
        Arguments.of("migrations/20240101-drop.js", "await queryInterface.removeColumn('users', 'nick')", "Sequelize"),
        Arguments.of("migrations/1700_drop.js", "exports.up = pgm => { pgm.dropColumn('users', 'nick') }", "node-pg-migrate"),
        Arguments.of("src/migrations/Migration2024.ts", "import { Migration } from '@mikro-orm/migrations';", "MikroORM"),
        Arguments.of("migrations/20240101_drop.js", "exports.up = function (knex) { return knex.schema.table('u') }", "Knex"),
        Arguments.of("Data/Migrations/20240101_Drop.cs", "migrationBuilder.DropColumn(name: \"Nick\"); MigrationBuilder", "Entity Framework Core"),
        Arguments.of("src/Migrations/M001.cs", "using FluentMigrator;\n[Migration(1)]", "FluentMigrator"),
        Arguments.of("priv/repo/migrations/20240101_drop.exs", "use Ecto.Migration", "Ecto"),
        Arguments.of("db/migrations/00012_drop.sql", "-- +goose Up\nALTER TABLE users DROP COLUMN nick;", "goose"),
        Arguments.of("internal/migrations/00013_backfill.go", "func init() { goose.AddMigrationContext(up, down) }", "goose (Go migration)"),
        Arguments.of("deploy/drop_nick.sql", "-- Deploy app:drop_nick to pg\nBEGIN;", "sqitch"),
        Arguments.of("src/main/java/db/migration/V3__Backfill.java", "class V3__Backfill extends BaseJavaMigration", "Flyway Java migration"),
        Arguments.of("migrations/2024-01-01-000000_drop/up.sql", "ALTER TABLE users DROP COLUMN nick;", "Diesel"),
        Arguments.of("drizzle/0003_drop.sql", "ALTER TABLE \"users\" DROP COLUMN \"nick\";--> statement-breakpoint", "Drizzle"),
        Arguments.of("db/migrations/0007_drop.sql", "ALTER TABLE users DROP COLUMN nick;", "an unrecognized SQL migration tool"));
  }

  @ParameterizedTest
  @MethodSource("recognized")
  void recognizesEachFrameworkByPathAndContent(String path, String text, String framework) {
    assertTrue(Lookalikes.mayLookLike(path), "content is read only where the path allows: " + path);
    Lookalikes.Lookalike l = Lookalikes.match(path, text);
    assertEquals(framework, l == null ? null : l.framework());
  }

  @Test
  void everyEntryHasARecognizedSample() {
    Set<String> covered = new HashSet<>();
    recognized().forEach(a -> covered.add((String) a.get()[2]));
    for (Lookalikes.Lookalike l : Lookalikes.ALL) {
      assertTrue(covered.contains(l.framework()), "no sample for " + l.framework());
    }
  }

  static Stream<Arguments> notRecognized() {
    return Stream.of(
        Arguments.of("app/models/user.rb", "class User < ApplicationRecord"),
        Arguments.of("src/migration_helpers/format.php", "<?php function fmt($s) { return trim($s); }"),
        Arguments.of("Data/Migrations/20240101_Drop.Designer.cs", "[Migration(\"20240101_Drop\")] MigrationBuilder"),
        Arguments.of("deploy/kubernetes/app.yaml", "kind: Deployment"),
        Arguments.of("docs/migrations/how-to.md", "ALTER TABLE users DROP COLUMN nick;"),
        Arguments.of("src/migrations/util.ts", "export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));"));
  }

  @ParameterizedTest
  @MethodSource("notRecognized")
  void leavesOtherFilesAlone(String path, String text) {
    assertNull(Lookalikes.mayLookLike(path) ? Lookalikes.match(path, text) : null, path);
  }
}
