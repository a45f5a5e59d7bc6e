package dev.tollgate.probes.secrets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every data rule against its own samples (gitleaks' tp/fp validation): each mustMatch sample yields a finding of
 * the rule, each mustNotMatch sample none. Samples run through the whole scanner (keyword pre-filter, pattern,
 * allowlists), exactly as files do.
 */
class SecretRuleSamplesTest {
  private static final SecretScanner SCANNER = new SecretScanner(RuleBook.standard(), RepoSecretsConfig.none(), null);

  static Stream<Arguments> rules() {
    return RuleBook.standard().rules().stream().map(r -> Arguments.of(r.id().value(), r));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void flagsEveryMustMatchSampleAndPassesEveryMustNotMatchSample(String id, SecretRule rule) {
    List<SecretRule.Sample> tp = rule.mustMatch();
    for (int i = 0; i < tp.size(); i++) {
      int n = i;
      String text = SampleText.expand(tp.get(i).text(), seed(id, i));
      List<SecretFinding> found = SCANNER.scanFile(tp.get(i).path(), text.getBytes(StandardCharsets.UTF_8));
      assertTrue(found.stream().anyMatch(f -> f.ruleId().equals(id)),
          () -> id + " mustMatch[" + n + "] not found in " + tp.get(n).path() + "; found " + ids(found));
    }
    List<SecretRule.Sample> fp = rule.mustNotMatch();
    for (int i = 0; i < fp.size(); i++) {
      int n = i;
      String text = SampleText.expand(fp.get(i).text(), seed(id, 100 + i));
      List<SecretFinding> found = SCANNER.scanFile(fp.get(i).path(), text.getBytes(StandardCharsets.UTF_8));
      assertFalse(found.stream().anyMatch(f -> f.ruleId().equals(id)), () -> id + " mustNotMatch[" + n + "] was flagged");
    }
  }

  private static long seed(String id, int i) {
    return id.hashCode() * 31L + i;
  }

  private static List<String> ids(List<SecretFinding> found) {
    return found.stream().map(f -> f.ruleId() + ":" + f.line()).toList();
  }
}
