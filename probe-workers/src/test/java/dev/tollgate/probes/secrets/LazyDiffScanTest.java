package dev.tollgate.probes.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.probes.api.ReadLimit;
import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.repo.DiffState;
import dev.tollgate.probes.repo.FileChange;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #24: the range scan diffs only the files whose new side could give a finding, and reports exactly what the
 * scan that diffs every file reports (findings, warnings, bytes and files scanned), limits included.
 */
class LazyDiffScanTest {
  private static final long NO_LIMIT = SecretsScan.DEFAULT_MAX_TOTAL_BYTES;
  private final Canary canary = new Canary(24);
  private final SecretScanner scanner = new SecretScanner(RuleBook.standard(), RepoSecretsConfig.none(), null);

  @TempDir
  Path dir;

  /** A source file of many lines, none of which wakes any rule. */
  private static String plain(int lines, String tag) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      b.append("int v").append(i).append(tag).append(" = compute(").append(i).append(");\n");
    }
    return b.toString();
  }

  /** The lazy scan of the repository's range, then the reference on the same change set: both must say the same. */
  private ScanReport scanBothWays(FixtureRepo repo, long max, Function<ChangeSet, Object> afterLazy) {
    try (ChangeSet cs = repo.changeSet()) {
      ScanReport lazy = scanner.scanRange(cs, max);
      afterLazy.apply(cs);
      ScanReport every = LazyScanCompare.diffingEveryFile(cs, max);
      assertEquals(LazyScanCompare.render(every), LazyScanCompare.render(lazy));
      return lazy;
    }
  }

  private static FileChange change(ChangeSet cs, String path) {
    return cs.filesOf(cs.commits().get(cs.commits().size() - 1)).stream().filter(f -> path.equals(f.path()))
        .findFirst().orElseThrow();
  }

  private static boolean mayMatch(String path, String text) {
    return new TextScanner(RuleBook.standard()).mayMatchLines(path, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aFileOfManyKeywordLinesThatAllFailAnswersMayMatchAfterTheCap() {
    // Each line wakes a rule whose pattern runs and fails: past PROBE_PATTERN_LINES such lines the check stops paying
    // for patterns on the whole new side and lets the diff decide.
    String line = "db.password = ${DB_PASSWORD_FROM_ENV}\n";
    assertFalse(mayMatch("app.properties", line.repeat(TextScanner.PROBE_PATTERN_LINES - 1)));
    assertTrue(mayMatch("app.properties", line.repeat(TextScanner.PROBE_PATTERN_LINES)));
  }

  @Test
  void aTextWithoutAnyMatchOnItsLinesCannotMatch() {
    assertFalse(mayMatch("src/A.java", plain(100, "a")));
    // Keywords that wake rules (pat, path, key, token) whose checks or patterns then reject the line.
    assertFalse(mayMatch("src/A.java", "Path path = Paths.get(\"/usr/lib\");\nString key = map.get(k);\nint token;\n"));
    assertFalse(mayMatch("empty.txt", ""));
  }

  @Test
  void aLineThatMatchesMayMatch() {
    assertTrue(mayMatch("app.env", "A=1\nGITHUB_TOKEN=" + canary.github() + "\n"));
    assertTrue(mayMatch("app.env", "A=1\nGITHUB_TOKEN=" + canary.github())); // no final line break
    assertTrue(mayMatch("app.env", "A=1\r\nGITHUB_TOKEN=" + canary.github() + "\r\n"));
  }

  @Test
  void aWokenRuleOfSeveralLinesMayMatchWhateverTheFileSays() {
    // In the file the value line is missing; among the added lines the next line may be another one of the file.
    assertTrue(mayMatch("k8s/deploy.yaml", "- name: DB_PASSWORD\n"));
  }

  @Test
  void aWokenLineThatIsNotAsciiMayMatchWhateverItsPatternsSay() {
    // The diff decodes such a line otherwise than the scan: only the added line itself can be judged.
    assertTrue(mayMatch("app.env", "password = \"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\"\n"));
    assertFalse(mayMatch("app.env", "caf\u00e9 = 1\n"), "a line no keyword wakes stays skipped");
    // A keyword whose byte checks fail: enough on an ASCII line, not on another (its bytes may read otherwise).
    assertFalse(mayMatch("notes.txt", "the password is set elsewhere.\n"));
    assertTrue(mayMatch("notes.txt", "the password is set \u00e9lsewhere.\n"));
  }

  @Test
  void findsASecretOnlyOnAnAddedLineAndDiffsItsFile() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("app.env", "LOG_LEVEL=info\n").deployed()
        .commit("app.env", "LOG_LEVEL=info\nGITHUB_TOKEN=" + canary.github() + "\n");
    ScanReport r = scanBothWays(repo, NO_LIMIT, cs -> {
      assertTrue(DiffState.diffRan(change(cs, "app.env")), "a line wakes a rule: the diff ran");
      return null;
    });
    assertEquals(1, r.findings().size());
    assertEquals("secrets/github-pat-classic", r.findings().get(0).ruleId());
    assertEquals(2, r.findings().get(0).line());
  }

  @Test
  void doesNotReportASecretOnAnUnchangedLineOfAModifiedFile() {
    String token = canary.github();
    FixtureRepo repo = FixtureRepo.create(dir).commit("app.env", "GITHUB_TOKEN=" + token + "\nA=1\n").deployed()
        .commit("app.env", "GITHUB_TOKEN=" + token + "\nA=2\n");
    ScanReport r = scanBothWays(repo, NO_LIMIT, cs -> {
      assertTrue(DiffState.diffRan(change(cs, "app.env")), "the unchanged line wakes a rule: diffed, then not found");
      return null;
    });
    assertEquals(List.of(), r.findings());
    assertEquals(4, r.bytesScanned()); // "A=2" and its line break
  }

  @Test
  void skipsTheDiffOfAFileNoLineOfWhichWakesARuleAndCountsItsAddedBytesExactly() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("src/Calc.java", plain(400, "a")).deployed()
        .commit("src/Calc.java", plain(200, "a") + "int added = 1;\n" + plain(200, "b"));
    ScanReport r = scanBothWays(repo, NO_LIMIT, cs -> {
      assertFalse(DiffState.diffRan(change(cs, "src/Calc.java")), "no line can match: the diff did not run");
      return null;
    });
    assertEquals(List.of(), r.findings());
    assertEquals(1, r.filesScanned());
    // The added lines: "int added = 1;" and the 200 lines of tag b, each with its line break.
    long expected = "int added = 1;\n".length() + plain(200, "b").length();
    assertEquals(expected, r.bytesScanned());
  }

  @Test
  void skipsOnlyTheFilesThatCannotMatchInARangeOfSeveralFiles() {
    Map<String, String> before = new LinkedHashMap<>();
    before.put("src/A.java", plain(50, "a"));
    before.put("config/app.properties", "server.port=8080\n");
    Map<String, String> after = new LinkedHashMap<>();
    after.put("src/A.java", plain(50, "a") + "int more = 2;\n");
    after.put("config/app.properties", "server.port=8080\nspring.datasource.password=" + canary.password() + "\n");
    FixtureRepo repo = FixtureRepo.create(dir).commit(before, "base").deployed().commit(after, "change");
    ScanReport r = scanBothWays(repo, NO_LIMIT, cs -> {
      assertFalse(DiffState.diffRan(change(cs, "src/A.java")));
      assertTrue(DiffState.diffRan(change(cs, "config/app.properties")));
      return null;
    });
    assertEquals(List.of("config/app.properties:2"), r.findings().stream().map(f -> f.file() + ":" + f.line()).toList());
  }

  @Test
  void findsAPrivateKeyBlockAddedToAModifiedFile() {
    String pem = "-----BEGIN RSA PRIVATE KEY-----\n" + pemBody() + "-----END RSA PRIVATE KEY-----\n";
    FixtureRepo repo = FixtureRepo.create(dir).commit("certs/notes.txt", "keys below\n").deployed()
        .commit("certs/notes.txt", "keys below\n" + pem);
    ScanReport r = scanBothWays(repo, NO_LIMIT, cs -> {
      assertTrue(DiffState.diffRan(change(cs, "certs/notes.txt")), "a rule of several lines woke: diffed");
      return null;
    });
    assertEquals(1, r.findings().size(), r::toString);
    assertEquals(2, r.findings().get(0).line());
  }

  @Test
  void aNameValuePairWhoseValueLineAloneWasAddedIsJudgedAsBefore() {
    // Rules of several lines read the next added line, which need not be the file's next line: never skipped.
    String before = "- name: API_TOKEN\n  value: placeholder\n";
    String after = "- name: API_TOKEN\n  value: \"" + canary.password() + "\"\n";
    FixtureRepo repo = FixtureRepo.create(dir).commit("k8s/deploy.yaml", before).deployed()
        .commit("k8s/deploy.yaml", after);
    scanBothWays(repo, NO_LIMIT, cs -> {
      assertTrue(DiffState.diffRan(change(cs, "k8s/deploy.yaml")));
      return null;
    });
  }

  private String pemBody() {
    Random random = new Random(7);
    StringBuilder b = new StringBuilder();
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int line = 0; line < 12; line++) {
      for (int i = 0; i < 64; i++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      b.append('\n');
    }
    return b.toString();
  }

  @Test
  void theTotalLimitCutsAtTheSameFileWithTheSameWarningWhenAFileWasSkipped() {
    // 680 bytes of plain lines added, then a token: the bound (the new side, 687) is over 500 already, so the exact
    // size decides at once, without a settle; the limit of 500 cuts at the first.
    FixtureRepo repo = FixtureRepo.create(dir).commit("a.txt", "start\n").deployed()
        .commit("a.txt", "start\n" + plain(30, "x"))
        .commit("b.env", "GITHUB_TOKEN=" + canary.github() + "\n");
    ScanReport r = scanBothWays(repo, 500, cs -> null);
    assertEquals(List.of(), r.findings());
    assertEquals(1, r.warnings().size());
    assertEquals(ReadLimit.TOTAL_BYTES, r.warnings().get(0).limit());
    assertTrue(r.warnings().get(0).message().endsWith("it and 1 newer commit(s) were not fully scanned"),
        r.warnings().get(0).message());
  }

  @Test
  void aFileCountedByItsBoundIsCutWhenItsExactSizeAndTheNextFilePassTheLimit() {
    // a.txt's bound (221) fits under 250, so it is skipped and counted by it; the token's 54 bytes then pass the limit
    // by the bound, the settle diffs a.txt (220 bytes added) and 220 + 54 still passes it: the cut is at b.env.
    FixtureRepo repo = FixtureRepo.create(dir).commit("start.txt", "start\n").deployed()
        .commit("a.txt", plain(10, "a"))
        .commit("b.env", "GITHUB_TOKEN=" + canary.github() + "\n");
    ScanReport r = scanBothWays(repo, 250, cs -> {
      assertTrue(DiffState.diffRan(change(cs, "b.env")), "reserved by its exact size");
      return null;
    });
    assertEquals(List.of(), r.findings());
    assertEquals(1, r.warnings().size());
    assertEquals(ReadLimit.TOTAL_BYTES, r.warnings().get(0).limit());
    assertTrue(r.warnings().get(0).message().endsWith("it and 0 newer commit(s) were not fully scanned"),
        r.warnings().get(0).message());
    assertEquals(220, r.bytesScanned());
    assertEquals(1, r.filesScanned());
  }

  @Test
  void aFileWhoseBoundPassesTheLimitButWhoseAddedLinesDoNotIsNotCut() {
    // The new side is over the limit, the added line is not: the exact size decides, as before (no warning).
    FixtureRepo repo = FixtureRepo.create(dir).commit("a.txt", plain(30, "a")).deployed()
        .commit("a.txt", plain(30, "a") + "int z = 0;\n")
        .commit("b.env", "GITHUB_TOKEN=" + canary.github() + "\n");
    ScanReport r = scanBothWays(repo, 500, cs -> null);
    assertEquals(List.of(), r.warnings());
    assertEquals(1, r.findings().size());
  }

  @Test
  void skippedFilesBeforeTheLimitAreCountedExactlyWhenALaterFileNearsIt() {
    // Two skipped files whose bounds (their whole new sides) exceed the limit together, their added lines do not.
    Map<String, String> before = Map.of("a.txt", plain(10, "a"), "b.txt", plain(10, "b"));
    Map<String, String> after = Map.of("a.txt", plain(10, "a") + "int p = 1;\n", "b.txt", plain(10, "b") + "int q = 1;\n",
        "c.env", "GITHUB_TOKEN=" + canary.github() + "\n");
    FixtureRepo repo = FixtureRepo.create(dir).commit(before, "base").deployed().commit(after, "change");
    // a.txt is counted by its bound (232), b.txt by its exact size (11, the bounds together pass 290); the token (54)
    // passes 290 by a.txt's bound (297), so the settle diffs a.txt during the scan: 11 + 11 + 54 fit, nothing is cut.
    ScanReport r = scanBothWays(repo, 290, cs -> {
      assertTrue(DiffState.diffRan(change(cs, "a.txt")), "settled during the scan, before any figure was read");
      return null;
    });
    assertEquals(List.of(), r.warnings());
    assertEquals(1, r.findings().size());
    assertEquals(3, r.filesScanned());
    assertEquals(11 + 11 + 54, r.bytesScanned());
  }

  @Test
  void crlfAndNoFinalNewlineFilesAreScannedAsBefore() {
    Map<String, String> before = new LinkedHashMap<>();
    before.put("win/App.cs", "class A {\r\n  int x = 1;\r\n}\r\n");
    before.put("win/app.env", "A=1\r\n");
    before.put("last.env", "A=1");
    before.put("plain.txt", "one\r\ntwo");
    Map<String, String> after = new LinkedHashMap<>();
    after.put("win/App.cs", "class A {\r\n  int x = 2;\r\n}\r\n");
    after.put("win/app.env", "A=1\r\nGITHUB_TOKEN=" + canary.github() + "\r\n");
    after.put("last.env", "A=1\nSTRIPE_KEY=" + canary.stripe());
    after.put("plain.txt", "one\r\ntwo\r\nthree");
    FixtureRepo repo = FixtureRepo.create(dir).commit(before, "base").deployed().commit(after, "change");
    ScanReport r = scanBothWays(repo, NO_LIMIT, cs -> {
      assertFalse(DiffState.diffRan(change(cs, "win/App.cs")));
      assertFalse(DiffState.diffRan(change(cs, "plain.txt")));
      assertTrue(DiffState.diffRan(change(cs, "win/app.env")));
      assertTrue(DiffState.diffRan(change(cs, "last.env")));
      return null;
    });
    assertEquals(List.of("last.env:2", "win/app.env:2"),
        r.findings().stream().map(f -> f.file() + ":" + f.line()).sorted().toList());
  }

  @Test
  void aKeywordOnALineThatIsNotAsciiIsNeverSkipped() {
    // The diff decodes a line that is not UTF-8 otherwise than the scan: such a line is judged among the added lines.
    byte[] latin1 = ("caf\u00e9 = 1\nGITHUB_TOKEN=" + canary.github() + " \u00e9\n").getBytes(StandardCharsets.ISO_8859_1);
    FixtureRepo repo = FixtureRepo.create(dir).commit("a.env", "caf\u00e9 = 0\n").deployed().commitBytes("a.env", latin1);
    scanBothWays(repo, NO_LIMIT, cs -> {
      assertTrue(DiffState.diffRan(change(cs, "a.env")));
      return null;
    });
  }

  /**
   * The attack: a user shapes a file so that the whole-file check says "nothing here" while an added line holds a
   * credential. Random edits of files built from lines around every boundary of the check (keywords at line ends,
   * values split over lines, CRLF, no final line break, Latin-1 bytes, allow markers, PEM blocks, name/value pairs)
   * must give exactly the findings and figures of the scan that diffs every file.
   */
  @Test
  void randomEditsOfAdversarialFilesGiveWhatDiffingEveryFileGives() {
    Random random = new Random(2424);
    String[] lines = {
        "int x = 1;", "GITHUB_TOKEN=" + canary.github(), "password", "password =", "  \"" + canary.password() + "\"",
        "api_key: " + canary.password(), "token", "# tollgate:allow GITHUB_TOKEN=" + canary.github(),
        "-----BEGIN RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEA7bq98CqF9fYdHdsdZ2v9x3bWJ0x0y1k1cT9b0b3", "-----END RSA PRIVATE KEY-----",
        "- name: DB_PASSWORD", "  value: " + canary.password(), "path = /usr/lib", "aws_secret_access_key =",
        "STRIPE_KEY=" + canary.stripe(), "AK" + "IA" + "ZZZZZZZZZZZZZZZZ", "caf\u00e9 token = \u00e9" + canary.password(),
        "x", "", "key", "secret:", "  " + canary.password(),
    };
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "#\n").deployed();
    String[] paths = {"a.env", "b/app.yaml", "C.java", "d.txt"};
    Map<String, String> current = new LinkedHashMap<>();
    for (int commit = 0; commit < 40; commit++) {
      Map<String, String> change = new LinkedHashMap<>();
      for (String path : paths) {
        if (random.nextInt(3) == 0) {
          continue;
        }
        String old = current.getOrDefault(path, "");
        List<String> body = new java.util.ArrayList<>(List.of(old.split("\n", -1)));
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
          int at = random.nextInt(body.size() + 1);
          String line = lines[random.nextInt(lines.length)] + (random.nextInt(4) == 0 ? "\r" : "");
          if (random.nextBoolean() && at < body.size()) {
            body.set(at, line);
          } else {
            body.add(at, line);
          }
        }
        String text = String.join("\n", body) + (random.nextBoolean() ? "\n" : "");
        current.put(path, text);
        change.put(path, text);
      }
      if (change.isEmpty()) {
        continue;
      }
      repo.commit(change, "edit " + commit);
      if (random.nextInt(3) == 0) {
        byte[] latin1 = current.get(paths[0]) == null ? new byte[0] : current.get(paths[0]).getBytes(StandardCharsets.ISO_8859_1);
        repo.commitBytes(paths[0], latin1);
      }
      int fileLimit = 1 << 20;
      for (long limit : new long[] {NO_LIMIT, 200, 1_000}) {
        // Views of a range are shared by its change sets of the same limits: another file limit gives fresh ones.
        try (ChangeSet cs = repo.changeSet(new ChangeSet.Limits(fileLimit++, 1000))) {
          LazyScanCompare.Result result = LazyScanCompare.compare(cs, limit);
          assertNull(result.difference(), result::difference);
        }
      }
    }
  }
}
