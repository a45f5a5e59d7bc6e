package dev.tollgate.probes.secrets;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.re2j.Matcher;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pre-filter loses nothing: a rule's pattern only runs where one of its keywords occurs (and the checks on the
 * bytes pass), so a credential the pattern would match but the pre-filter skips is a silent recall loss. For every
 * rule, its pattern is run on every line of every sample of every rule (some 1,500 texts, credentials of all kinds and
 * their near misses), without any pre-filter; each match whose value the rule would report must also be a match of
 * the scanner, which runs the pattern only where the pre-filter woke it.
 */
class PrefilterReachabilityTest {
  private static final RuleBook BOOK = RuleBook.standard();
  private static final TextScanner SCANNER = new TextScanner(BOOK);
  private static final ValueCheck CHECK = new ValueCheck(BOOK);
  private static final List<SecretRule.Sample> TEXTS = texts();

  static Stream<Arguments> rules() {
    return BOOK.rules().stream().map(r -> Arguments.of(r.id().value(), r));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void everyMatchOfThePatternIsWokenByThePrefilter(String id, SecretRule rule) {
    int index = BOOK.indexOf(id);
    List<String> missed = new ArrayList<>();
    int matched = 0;
    for (SecretRule.Sample sample : TEXTS) {
      if (!rule.appliesTo(sample.path())) {
        continue;
      }
      byte[] bytes = sample.text().getBytes(StandardCharsets.UTF_8);
      Set<String> woken = SCANNER.matches(sample.path(), bytes, bytes.length, null, false).stream()
          .filter(m -> m.rule() == index).map(m -> m.line() + ":" + m.value()).collect(Collectors.toSet());
      Set<String> everywhere = everywhere(rule, sample.text());
      matched += everywhere.size();
      for (String m : everywhere) {
        if (!woken.contains(m)) {
          // Only the line number and the sample's path: the value is a generated credential.
          missed.add(sample.path() + " line " + m.substring(0, m.indexOf(':')));
        }
      }
    }
    assertTrue(missed.isEmpty(), () -> id + ": the pattern matches where the pre-filter does not wake the rule: " + missed);
    if (!rule.mustMatch().isEmpty()) {
      assertTrue(matched > 0, id + ": the pattern matched none of the samples");
    }
  }

  /**
   * The rule's pattern run from the start of every line (over as many lines as the rule reads), without keywords:
   * {@code line:value} of each match the rule would report (its value passes the checks, no inline allow marker).
   */
  private static Set<String> everywhere(SecretRule rule, String text) {
    String[] lines = text.split("\n", -1);
    Set<String> out = new TreeSet<>();
    for (int i = 0; i < lines.length; i++) {
      String window = String.join("\n", java.util.Arrays.copyOfRange(lines, i, Math.min(lines.length, i + rule.lines())));
      Matcher m = rule.pattern().matcher(window);
      while (m.find()) {
        if (m.start() > lines[i].length()) {
          break; // starts on a later line, found from there
        }
        int g = rule.secretGroup();
        if (m.start(g) < 0 || m.end(g) <= m.start(g)) {
          continue;
        }
        String value = window.substring(m.start(g), m.end(g));
        String user = rule.userGroup() >= 0 ? m.group(rule.userGroup()) : null;
        String touched = window.substring(window.lastIndexOf('\n', m.start()) + 1,
            window.indexOf('\n', m.end(g)) < 0 ? window.length() : window.indexOf('\n', m.end(g)));
        if (TextScanner.INLINE_ALLOW.stream().anyMatch(touched::contains)
            || CHECK.example(rule, value) != null || !CHECK.accepts(rule, value, user, RepoSecretsConfig.none())
            || outsideTheRule(rule, window, m.start())) {
          continue;
        }
        int line = i + 1 + (int) window.substring(0, m.start(g)).chars().filter(c -> c == '\n').count();
        out.add(line + ":" + value);
      }
    }
    return out;
  }

  /**
   * What a rule says about the bytes around its match, beyond where its pattern may run: with {@code boundary} the
   * match does not continue a word ({@code TASK…} is no Twilio {@code SK…} key), and with {@code keyStopwords} the key
   * names something about a secret ({@code hashed_secret}). These are the rule's meaning, so the reference keeps them.
   */
  private static boolean outsideTheRule(SecretRule rule, String window, int start) {
    byte[] bytes = window.getBytes(StandardCharsets.UTF_8);
    int at = window.substring(0, start).getBytes(StandardCharsets.UTF_8).length;
    int lineStart = window.lastIndexOf('\n', start - 1) + 1;
    if (rule.boundary() && start > lineStart && Character.isLetterOrDigit(window.charAt(start - 1))
        && window.charAt(start - 1) < 0x80) {
      return true;
    }
    return !rule.keyStopwords().isEmpty() && TextScanner.keyStopped(bytes,
        window.substring(0, lineStart).getBytes(StandardCharsets.UTF_8).length, bytes.length, at, rule.keyStopwords());
  }

  /** Every sample of every rule, expanded as {@code SecretRuleSamplesTest} expands them. */
  private static List<SecretRule.Sample> texts() {
    List<SecretRule.Sample> out = new ArrayList<>();
    for (SecretRule r : BOOK.rules()) {
      String id = r.id().value();
      for (int i = 0; i < r.mustMatch().size(); i++) {
        out.add(new SecretRule.Sample(r.mustMatch().get(i).path(),
            SampleText.expand(r.mustMatch().get(i).text(), id.hashCode() * 31L + i)));
      }
      for (int i = 0; i < r.mustNotMatch().size(); i++) {
        out.add(new SecretRule.Sample(r.mustNotMatch().get(i).path(),
            SampleText.expand(r.mustNotMatch().get(i).text(), id.hashCode() * 31L + 100 + i)));
      }
    }
    return out;
  }
}
