package dev.tollgate.probes.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.probes.api.Rule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/rules/secrets/coverage.md}, the table of what Tollgate covers of gitleaks and trufflehog: every rule it
 * names exists and has samples, every row without a rule says why, and every "keyword + format" claim holds when a
 * value of that format is assigned to a key named after the detector.
 */
class CoverageTableTest {
  static final Path TABLE = Path.of("..", "docs", "rules", "secrets", "coverage.md");
  private static final Pattern RULE = Pattern.compile("secrets/[a-z0-9]+(?:-[a-z0-9]+)*");
  private static final Pattern KEYWORD_FORMAT = Pattern.compile("^keyword \\+ `([^`]+)`$");
  private static final Pattern TOKEN = Pattern.compile("\\[([^\\]]+)]\\{(\\d+)(?:,(\\d*))?}|(.)");
  private static final RuleBook BOOK = RuleBook.standard();
  private static final SecretScanner SCANNER = new SecretScanner(BOOK, RepoSecretsConfig.none(), null);

  /** One row: the peer's rule or detector, its format (trufflehog only, else empty), the Tollgate ids, the note. */
  record Row(String section, String peer, String format, Set<String> rules, String note) {}

  static List<Row> rows() throws IOException {
    List<Row> out = new ArrayList<>();
    String section = "";
    for (String line : Files.readAllLines(TABLE, StandardCharsets.UTF_8)) {
      if (line.startsWith("## ")) {
        section = line.substring(3).strip();
      }
      if (!line.startsWith("| `")) {
        continue; // headers, separators and prose
      }
      List<String> cells = cells(line);
      boolean th = section.equals("trufflehog");
      String rulesCell = cells.get(th ? 3 : 2);
      Matcher m = RULE.matcher(rulesCell);
      Set<String> ids = new LinkedHashSet<>();
      while (m.find()) {
        ids.add(m.group());
      }
      out.add(new Row(section, cells.get(1).replace("`", ""), th ? cells.get(2) : "", ids, cells.get(th ? 4 : 3)));
    }
    return out;
  }

  private static List<String> cells(String line) {
    List<String> cells = new ArrayList<>();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length() && line.charAt(i + 1) == '|') {
        b.append('|');
        i++;
      } else if (c == '|') {
        cells.add(b.toString().strip());
        b.setLength(0);
      } else {
        b.append(c);
      }
    }
    cells.add(b.toString().strip());
    return cells;
  }

  @Test
  void listsAsManyRowsAsItSaysItConsidered() throws IOException {
    String text = Files.readString(TABLE);
    List<Row> rows = rows();
    Matcher gl = Pattern.compile("\\((\\d+) rules\\)").matcher(text);
    Matcher th = Pattern.compile("\\((\\d+) detector packages\\)").matcher(text);
    assertTrue(gl.find() && th.find(), "the introduction names how many rules and detectors were considered");
    assertEquals(Integer.parseInt(gl.group(1)), rows.stream().filter(r -> r.section().equals("gitleaks")).count());
    assertEquals(Integer.parseInt(th.group(1)), rows.stream().filter(r -> r.section().equals("trufflehog")).count());
  }

  @Test
  void everyNamedRuleExistsAndHasSamplesAndEveryRowWithoutOneSaysWhy() throws IOException {
    Set<String> probeRules = new SecretLeakageProbe().rules().stream().map(Rule::id).map(Object::toString)
        .collect(Collectors.toSet());
    List<String> problems = new ArrayList<>();
    for (Row r : rows()) {
      if (r.rules().isEmpty() && r.note().isBlank()) {
        problems.add(r.peer() + ": no Tollgate rule and no reason");
      }
      for (String id : r.rules()) {
        int i = BOOK.indexOf(id);
        if (!probeRules.contains(id)) {
          problems.add(r.peer() + ": " + id + " is no rule of the secrets probe");
        } else if (i >= 0 && (BOOK.rule(i).mustMatch().isEmpty() || BOOK.rule(i).mustNotMatch().isEmpty())) {
          problems.add(r.peer() + ": " + id + " has no samples");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  /**
   * The attack the table claims to stop: a value of the detector's format assigned to a key named after it (for a
   * JWT row, a signed JWT) is found by one of the rules the row names.
   */
  @Test
  void everyKeywordFormatClaimIsFoundWhereTheTableSays() throws IOException {
    List<String> missed = new ArrayList<>();
    int checked = 0;
    for (Row r : rows()) {
      if (r.rules().isEmpty()) {
        continue;
      }
      String key = r.peer().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
      Random random = new Random(r.peer().hashCode());
      String line;
      Matcher f = KEYWORD_FORMAT.matcher(r.format());
      if (f.matches()) {
        line = key + "_API_KEY = \"" + sample(f.group(1), random) + "\"";
      } else if (r.format().equals("JWT")) {
        line = key + "_TOKEN = \"" + SampleText.expand("{{jwt:43}}", random.nextLong()) + "\"";
      } else {
        continue;
      }
      checked++;
      List<String> found = SCANNER.scanFile("config/settings.py", line.getBytes(StandardCharsets.UTF_8)).stream()
          .map(SecretFinding::ruleId).toList();
      if (found.stream().noneMatch(r.rules()::contains)) {
        missed.add(r.peer() + " (" + r.format() + "): found " + found);
      }
    }
    assertTrue(checked > 500, "format claims checked: " + checked);
    assertEquals(List.of(), missed);
  }

  /** A value of a format written as character classes with counts and literal characters. */
  static String sample(String format, Random random) {
    StringBuilder b = new StringBuilder();
    Matcher m = TOKEN.matcher(format);
    while (m.find()) {
      if (m.group(4) != null) {
        b.append(m.group(4));
        continue;
      }
      String alphabet = expand(m.group(1));
      int lo = Integer.parseInt(m.group(2));
      int n = m.group(3) == null ? lo : Math.max(lo, Math.min(m.group(3).isEmpty() ? 32 : Integer.parseInt(m.group(3)), 32));
      for (int i = 0; i < n; i++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
    }
    return b.toString();
  }

  private static String expand(String cls) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cls.length(); i++) {
      char c = cls.charAt(i);
      if (i + 2 < cls.length() && cls.charAt(i + 1) == '-' && Character.isLetterOrDigit(c)
          && Character.isLetterOrDigit(cls.charAt(i + 2))) {
        for (char x = c; x <= cls.charAt(i + 2); x++) {
          b.append(x);
        }
        i += 2;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
