package dev.tollgate.probes.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.framework.MigrationBuilder;
import dev.tollgate.probes.migration.framework.MigrationSource;
import dev.tollgate.probes.migration.framework.RepoFiles;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What a framework reader could not read is a finding: schema code blocks, application code on the data warns. */
class UnreadableMigrationRuleTest {
  private final UnreadableMigrationRule rule = new UnreadableMigrationRule();

  static Migration migration(String path, java.util.function.Consumer<MigrationBuilder> build) {
    MigrationSource src = new MigrationSource(path, "", Dialect.POSTGRESQL, MigrationSettings.defaults(), RepoFiles.none());
    MigrationBuilder b = new MigrationBuilder(src, Framework.PLAIN, "1", Dialect.POSTGRESQL);
    b.unit("one transaction", 1, true);
    build.accept(b);
    return b.build();
  }

  static String render(List<RuleViolation> vs) {
    return vs.stream().map(v -> v.severity() + " " + v.file() + ":" + v.line() + " " + v.message())
        .collect(Collectors.joining("\n"));
  }

  @Test
  void flagsSchemaCodeItCannotReadAsBlocking() {
    Migration m = migration("db/migrate/20240101_x.rb", b -> {
      b.sql("ALTER TABLE users ADD COLUMN plan text", 4);
      b.unread(5, "remove_column_safely :users, :nick", "a Rails method the probe does not know", Unread.Kind.SCHEMA);
    });
    assertEquals("null db/migrate/20240101_x.rb:5 Cannot read `remove_column_safely :users, :nick` (a Rails method the"
        + " probe does not know): what it does to the schema was not checked, so the probe cannot call this plain SQL"
        + " migration safe.", render(rule.check(MigrationSet.standalone(m, MigrationSettings.defaults()))));
  }

  @Test
  void flagsApplicationCodeOnTheDataAsAWarning() {
    Migration m = migration("db/migrate/20240101_x.rb", b -> b.unread(7, "User.find_each { |u| u.touch }",
        "application code", Unread.Kind.DATA));
    assertEquals("WARN db/migrate/20240101_x.rb:7 Runs application code `User.find_each { |u| u.touch }` (application"
        + " code): the probe cannot see what it does to the data or how long it holds the migration's locks.",
        render(rule.check(MigrationSet.standalone(m, MigrationSettings.defaults()))));
  }

  @Test
  void passesWhenTheReaderReadEverything() {
    // Safe to say nothing: every operation became a statement the other rules check.
    Migration m = migration("db/migrate/20240101_x.rb", b -> b.sql("ALTER TABLE users ADD COLUMN plan text", 4));
    assertEquals(List.of(), rule.check(MigrationSet.standalone(m, MigrationSettings.defaults())));
  }
}
