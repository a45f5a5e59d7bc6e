package dev.tollgate.gate.dashboard;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleDocsTest {
  private final RuleDocs docs = new RuleDocs();

  @Test
  void rendersARulesPageFromDocsRules() {
    Optional<String> page = docs.page("calendar/freeze-window");
    assertTrue(page.isPresent(), "docs/rules/calendar/freeze-window.md is copied into the jar");
    assertTrue(page.get().contains("<h1>") || page.get().contains("<h2>"), page.get());
    assertTrue(page.get().contains("/assets/app.css"));
  }

  @Test
  void onlyWellFormedRuleIdsAreLookedUp() {
    assertFalse(docs.page("../../openapi").isPresent());
    assertFalse(docs.page("calendar/../../x").isPresent());
    assertFalse(docs.page("migration/README").isPresent());
    assertFalse(docs.page("test/fail").isPresent(), "a rule without a docs page");
  }

  @Test
  void rawHtmlInMarkdownIsEscaped() {
    String html = RuleDocs.escape("<script>alert(1)</script>");
    assertFalse(html.contains("<script>"), html);
  }
}
