package dev.tollgate.probes.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the old-code search recognizes references (and what it must not count). */
class OldCodeTest {
  private final OldCode code = OldCode.of(Map.of(
      "src/main/java/app/User.java", """
          @Entity
          @Table(name = "users")
          class User {
            // legacy_flag used to be here
            private boolean legacyFlag;
            public boolean isLegacyFlag() { return legacyFlag; }
          }
          """,
      "src/main/java/app/Report.java", """
          class Report {
            String sql = "SELECT email FROM accounts";
          }
          """,
      "src/main/resources/mapper/Orders.xml", "<insert id=\"add\">INSERT INTO order_items (id, qty) VALUES (#{id}, #{qty})</insert>\n",
      "web/api.ts", "const url = '/users/' + id;  // a URL, not the table\n"));

  @Test
  void camelCaseFieldOfTheEntityMappedToTheTableCounts() {
    OldCode.Usage u = code.column("users", "legacy_flag");
    assertTrue(u.used());
    assertEquals(List.of(5, 6), u.references().stream().map(OldCode.Reference::line).toList(), "comment line 4 ignored");
  }

  @Test
  void commonColumnNameInAnotherTablesFileDoesNotCount() {
    assertFalse(code.column("users", "email").used(), "Report.java reads accounts.email, not users.email");
  }

  @Test
  void tableReferencesNeedSqlContextUnlessTheNameIsDistinctive() {
    assertTrue(code.table("order_items").used());
    assertTrue(code.table("users").used(), "@Table(name = \"users\")");
    assertEquals(List.of("src/main/java/app/User.java"),
        code.table("users").references().stream().map(OldCode.Reference::path).distinct().toList(), "the URL in api.ts is not a query");
  }

  @Test
  void insertsAreFoundInSqlAndJpaEntities() {
    assertEquals("src/main/resources/mapper/Orders.xml:1", code.inserts("order_items").evidence(3));
    assertEquals("src/main/java/app/User.java:2", code.inserts("users").evidence(3));
    assertFalse(code.inserts("accounts").used());
  }

  @Test
  void testsAndMigrationsAreNotTheRunningReleasesCode() {
    MigrationSettings s = MigrationSettings.defaults();
    assertFalse(OldCode.isCode("src/test/java/app/UserTest.java", s));
    assertFalse(OldCode.isCode("app/models_test.go", s));
    assertFalse(OldCode.isCode("README.md", s));
    assertTrue(OldCode.isCode("src/main/kotlin/app/Repo.kt", s));
  }
}
