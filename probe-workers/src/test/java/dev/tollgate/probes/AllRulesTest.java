package dev.tollgate.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tollgate.probes.api.Probe;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.runtime.ProbeRegistry;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every rule of every production probe: a unique, well-formed id, listed alphabetically, a docs page, and a test
 * class with at least one {@code flags…} and one {@code passes…} method (STYLE.md §8). Rules defined as data (many
 * rules of one class, e.g. secret patterns) are checked by their own parameterized test, and each has a page generated
 * from its data at build time (on the classpath under {@code rule-docs/}, where the dashboard serves pages from).
 */
class AllRulesTest {
  static final Path DOCS = Path.of("..", "docs", "rules");
  /** Where generated rule pages are on the classpath, as the dashboard's RuleDocs reads them. */
  static final String GENERATED = "rule-docs/";

  @Test
  void everyProductionRuleIsDocumentedAndTested() {
    List<String> problems = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    List<Probe> probes = ProbeRegistry.production().all();
    assertFalse(probes.isEmpty(), "the production registry lists the real probes");
    for (Probe probe : probes) {
      Map<Class<?>, Integer> perClass = new HashMap<>();
      probe.rules().forEach(r -> perClass.merge(r.getClass(), 1, Integer::sum));
      List<String> order = probe.rules().stream().map(r -> r.id().value()).toList();
      List<String> sorted = order.stream().sorted().toList();
      if (!order.equals(sorted) && perClass.size() > 1) {
        problems.add(probe.id() + ": rules() is not in id order");
      }
      for (Rule rule : probe.rules()) {
        String id = rule.id().value();
        if (!ids.add(id)) {
          problems.add(id + ": duplicate rule id");
        }
        if (rule.summary() == null || rule.summary().isBlank() || rule.help() == null || rule.help().isBlank()) {
          problems.add(id + ": summary and help must say what is unsafe and what to do");
        }
        boolean data = perClass.get(rule.getClass()) > 3;
        if (data) {
          if (!Files.exists(DOCS.resolve(rule.id().probePart()).resolve("README.md"))) {
            problems.add(id + ": data rules need docs/rules/" + rule.id().probePart() + "/README.md");
          }
          // A data rule's page is generated at build from its data (RulePages); the dashboard serves it from the jar.
          if (AllRulesTest.class.getClassLoader().getResource(GENERATED + id + ".md") == null) {
            problems.add(id + ": no generated page " + GENERATED + id + ".md on the classpath (the build generates one per data rule)");
          }
          if (Files.exists(DOCS.resolve(id + ".md"))) {
            problems.add(id + ": docs/rules/" + id + ".md would collide with the generated page in the jar");
          }
          continue;
        }
        if (!Files.exists(DOCS.resolve(id + ".md"))) {
          problems.add(id + ": no docs page docs/rules/" + id + ".md");
        }
        String testName = rule.getClass().getName() + "Test";
        try {
          Method[] methods = Class.forName(testName).getDeclaredMethods();
          if (Arrays.stream(methods).noneMatch(m -> m.getName().startsWith("flags"))
              || Arrays.stream(methods).noneMatch(m -> m.getName().startsWith("passes"))) {
            problems.add(id + ": " + testName + " needs at least one flags… and one passes… test");
          }
        } catch (ClassNotFoundException e) {
          problems.add(id + ": no test class " + testName);
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems));
    }
    assertTrue(ids.size() >= probes.size());
  }

  @Test
  void ruleIdsStartWithTheirProbesName() {
    for (Probe probe : ProbeRegistry.production().all()) {
      for (Rule rule : probe.rules()) {
        String part = rule.id().probePart();
        assertTrue(probe.id().value().startsWith(part), rule.id() + " belongs to probe " + probe.id());
      }
    }
    assertEquals(ProbeRegistry.production().ids().size(), ProbeRegistry.production().all().size());
  }
}
