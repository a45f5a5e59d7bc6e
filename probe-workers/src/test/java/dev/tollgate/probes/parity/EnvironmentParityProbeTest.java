package dev.tollgate.probes.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.runtime.ProbeRegistry;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The probe's shape and the house rules (STYLE.md §8, §9) for each of its rules, until a shared AllRulesTest exists. */
class EnvironmentParityProbeTest {
  private static final Path DOCS = Path.of("../docs");
  private final EnvironmentParityProbe probe = new EnvironmentParityProbe();

  @Test
  void isRegisteredForProductionUnderItsId() {
    assertEquals(ProbeId.PARITY, probe.id());
    assertTrue(ProbeRegistry.production().find(ProbeId.PARITY).isPresent());
  }

  @Test
  void rulesAreListedInIdOrderWithUniqueParityIds() {
    List<String> ids = probe.rules().stream().map(r -> r.id().value()).toList();
    assertEquals(ids.stream().sorted().distinct().toList(), ids);
    assertTrue(ids.stream().allMatch(id -> id.startsWith("parity/")), ids.toString());
  }

  @Test
  void everyRuleHasADocsPageWithTheFourSections() throws IOException {
    for (Rule rule : probe.rules()) {
      Path page = DOCS.resolve("rules").resolve(rule.id().value() + ".md");
      assertTrue(Files.exists(page), "missing " + page);
      String text = Files.readString(page);
      for (String section : List.of("## Problem", "## Why it breaks deploys", "## Fix", "## Examples")) {
        assertTrue(text.contains(section), page + " lacks " + section);
      }
      assertTrue(text.contains(rule.id().value()), page + " does not name " + rule.id());
    }
    assertTrue(Files.exists(DOCS.resolve("parity.md")));
  }

  @Test
  void everyRuleHasATestWithFlagsAndPassesCases() throws ClassNotFoundException {
    for (Rule rule : probe.rules()) {
      Class<?> test = Class.forName(rule.getClass().getName() + "Test");
      List<String> methods = Arrays.stream(test.getDeclaredMethods()).map(Method::getName).toList();
      assertTrue(methods.stream().anyMatch(m -> m.startsWith("flags")), test + " has no flags… case");
      assertTrue(methods.stream().anyMatch(m -> m.startsWith("passes")), test + " has no passes… case");
    }
  }

  @Test
  void everyRuleOpensWithTextsForFindings() {
    for (Rule rule : probe.rules()) {
      assertTrue(rule.summary().endsWith("."), rule.id() + " summary");
      assertTrue(!rule.help().isBlank(), rule.id() + " help");
    }
  }
}
