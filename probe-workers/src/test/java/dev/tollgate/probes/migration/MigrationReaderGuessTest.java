package dev.tollgate.probes.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** What a migration file's name alone says ({@link MigrationReader#guess}), whatever the case of its extension. */
class MigrationReaderGuessTest {
  @Test
  void frameworkNamesAreRecognizedWhateverTheCaseOfTheirExtension() {
    assertEquals(new MigrationReader.Guess(Framework.FLYWAY, MigrationKind.UP, "1.2", false),
        MigrationReader.guess("db/migration/V1_2__add.SQL"));
    assertEquals(new MigrationReader.Guess(Framework.FLYWAY, MigrationKind.UNDO, "3", false),
        MigrationReader.guess("u3__undo.Sql"));
    assertEquals(new MigrationReader.Guess(Framework.FLYWAY, MigrationKind.REPEATABLE, null, false),
        MigrationReader.guess("R__views.sQl"));
    assertEquals(new MigrationReader.Guess(Framework.GOLANG_MIGRATE, MigrationKind.DOWN, "7", false),
        MigrationReader.guess("migrations/7_x.DOWN.SQL"));
  }

  @Test
  void otherSqlXmlAndYamlFilesNeedTheirContentAndTheRestAreNotMigrations() {
    MigrationReader.Guess content = new MigrationReader.Guess(null, MigrationKind.UP, null, true);
    assertEquals(content, MigrationReader.guess("db/changelog.XML"));
    assertEquals(content, MigrationReader.guess("db/changelog.yaml"));
    assertEquals(content, MigrationReader.guess("db/changelog.YML"));
    assertEquals(content, MigrationReader.guess("schema.sql"));
    assertEquals(content, MigrationReader.guess("V1_add.sql"), "one underscore: not Flyway by name");
    assertNull(MigrationReader.guess("src/main/java/Service.java"));
    assertNull(MigrationReader.guess("db/migration/V1__add.sql.conf"));
    assertNull(MigrationReader.guess("db/migration/V1__add.sql.bak"));
    assertNull(MigrationReader.guess("sql"));
  }
}
