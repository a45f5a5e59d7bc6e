package dev.tollgate.probes.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.re2j.Pattern;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules file: strict parsing, every pattern valid RE2, and the file itself is no leak. */
class RuleBookTest {
  private static final String MINIMAL = """
      version: 1
      rules:
        - id: secrets/demo-token
          description: Demo token
          keywords: [demo_]
          pattern: '(?P<secret>demo_[a-z0-9]{8})'
          mustMatch: ['demo_abcd1234']
          mustNotMatch: ['demo_x']
      """;

  @Test
  void shipsAtLeast350RulesInIdOrder() {
    List<String> ids = RuleBook.standard().rules().stream().map(r -> r.id().value()).toList();
    assertTrue(ids.size() >= 350, "rules: " + ids.size());
    assertEquals(ids.stream().sorted().toList(), ids, "rules.yaml keeps its rules sorted by id");
  }

  @Test
  void everyPatternCompilesAndItsGroupsAreCountedRight() {
    for (SecretRule r : RuleBook.standard().compileAll().rules()) {
      Pattern p = r.pattern();
      assertEquals(p.namedGroups().getOrDefault("secret", p.groupCount() >= 1 ? 1 : 0), r.secretGroup(), r.id().value());
      assertEquals(p.namedGroups().getOrDefault("user", -1), r.userGroup(), r.id().value());
    }
  }

  @Test
  void rulesFileIsNotItselfALeak() throws IOException {
    // Samples are generator markers, never literal credentials: scanning the file finds nothing.
    try (InputStream in = RuleBook.class.getResourceAsStream(RuleBook.RESOURCE)) {
      SecretScanner scanner = new SecretScanner(RuleBook.standard(), RepoSecretsConfig.none(), null);
      assertEquals(List.of(), scanner.scanFile("probe-workers/src/main/resources/secrets/rules.yaml", in.readAllBytes()));
    }
  }

  @Test
  void parsesAMinimalRule() {
    RuleBook book = RuleBook.parse(MINIMAL);
    assertEquals(List.of("secrets/demo-token"), book.ids());
    assertEquals(SecretRule.Anchor.KEYWORD, book.rule(0).anchor());
  }

  @Test
  void rejectsUnknownKeysNamingThem() {
    var e = assertThrows(IllegalArgumentException.class, () -> RuleBook.parse(MINIMAL.replace("keywords:", "keyword:")));
    assertTrue(e.getMessage().startsWith("secrets/demo-token.keyword: unknown key"), e.getMessage());
  }

  @Test
  void rejectsPatternsRe2CannotCompileNamingTheRule() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> RuleBook.parse(MINIMAL.replace("pattern: '(?P<secret>demo_[a-z0-9]{8})'", "pattern: '(?P<secret>demo_(?=x))'"))
            .compileAll());
    assertTrue(e.getMessage().startsWith("secrets/demo-token.pattern: not a valid RE2 pattern"), e.getMessage());
  }

  @Test
  void rejectsRulesWithoutSamples() {
    var e = assertThrows(IllegalArgumentException.class, () -> RuleBook.parse(MINIMAL.replace("    mustNotMatch: ['demo_x']\n", "")));
    assertTrue(e.getMessage().contains("expected at least one mustMatch and one mustNotMatch sample"), e.getMessage());
  }

  @Test
  void rejectsDuplicateIdsAndUnknownMacros() {
    String twice = MINIMAL + MINIMAL.substring(MINIMAL.indexOf("  - id:"));
    assertThrows(IllegalArgumentException.class, () -> RuleBook.parse(twice));
    var e = assertThrows(IllegalArgumentException.class, () -> RuleBook.parse(MINIMAL.replace("{8}", "{8}${nope}")));
    assertTrue(e.getMessage().contains("unknown macro ${nope}"), e.getMessage());
  }

  @Test
  void rejectsSupersedingAnUnknownRuleAndKeyStopwordsOutsideAKey() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> RuleBook.parse(MINIMAL.replace("    mustMatch:", "    supersedes: ['secrets/no-such-rule']\n    mustMatch:")));
    assertTrue(e.getMessage().contains("secrets/demo-token.supersedes: secrets/no-such-rule is not another rule"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> RuleBook.parse(MINIMAL.replace("    mustMatch:", "    keyStopwords: [hash]\n    mustMatch:")));
    assertTrue(e.getMessage().contains("keyStopwords need inKey: true"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RuleBook.parse(MINIMAL.replace("rules:", "deployConfig: {path: ['*.yml']}\nrules:")));
    assertTrue(e.getMessage().startsWith("deployConfig.path: unknown key"), e.getMessage());
  }

  @Test
  void readsExampleCredentialsStrictlyWithoutQuotingThem() {
    String ok = "# comment\nAKIA0000EXAMPLE0000\tAWS access key ID\thttps://docs.aws.amazon.com/x\n";
    assertEquals(1, KnownExample.parse(ok).size());
    var e = assertThrows(IllegalArgumentException.class, () -> KnownExample.parse("AKIA0000EXAMPLE0000\tAWS access key ID\n"));
    assertEquals("secrets/examples.tsv line 1: expected 3 tab-separated columns (value, credential, source), got 2", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> KnownExample.parse("AKIA0000EXAMPLE0000\tAWS key\thttp://x\n"));
    assertTrue(e.getMessage().contains("an https source") && !e.getMessage().contains("AKIA0000"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> KnownExample.parse(ok + ok));
    assertTrue(e.getMessage().endsWith("line 4: duplicate example value"), e.getMessage());
  }

  @Test
  void shipsEveryExampleWithAnHttpsSourceAndDeployedConfigExcludesTestsAndDocs() {
    RuleBook book = RuleBook.standard();
    assertTrue(book.examples().size() >= 20, "examples: " + book.examples().size());
    assertTrue(book.examples().stream().allMatch(x -> x.source().startsWith("https://")));
    assertTrue(book.deployableConfig("src/main/resources/application.yml"));
    assertTrue(book.deployableConfig("deploy/.env"));
    assertTrue(book.deployableConfig("infra/main.tf"));
    assertFalse(book.deployableConfig("src/test/resources/application.yml"));
    assertFalse(book.deployableConfig("docs/config.yml"));
    assertFalse(book.deployableConfig("src/main/java/App.java"));
  }

  @Test
  void patternsRunInLinearTime() {
    // The classic ReDoS pattern: exponential in a backtracking engine, linear in RE2.
    Pattern evil = Pattern.compile("(a+)+$");
    String input = "a".repeat(50_000) + "!";
    long t = System.nanoTime();
    assertTrue(!evil.matcher(input).find());
    assertTrue(Duration.ofNanos(System.nanoTime() - t).toSeconds() < 10);
  }
}
