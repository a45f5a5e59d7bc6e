package dev.tollgate.probes.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.probes.runtime.ProbeOutcome;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The author of a change controls every byte of it and wants a key through: each test hides one in a way the author
 * could, on a real repository, and expects a blocking finding naming the file (the key itself never shows). Where the
 * attack held before this suite, the test stays as a guard; where it got through, the fix is named.
 */
class AuthorEvasionTest {
  private final RuleHarness harness = RuleHarness.of(new SecretLeakageProbe());
  private final Canary canary = new Canary(33);
  private final String token = canary.github();

  @TempDir
  Path dir;

  private FixtureRepo deployed() {
    return FixtureRepo.create(dir).commit("README.md", "# shop\n").deployed();
  }

  /** The probe blocks on the token in {@code file}, and nothing it says quotes the token. */
  private void blocksIn(FixtureRepo repo, String file) {
    ProbeOutcome outcome = harness.run(repo);
    assertEquals(ProbeStatus.FAIL, outcome.status(), outcome.reason() + "\n" + RuleHarness.render(outcome.findings()));
    assertTrue(outcome.findings().stream().anyMatch(f -> file.equals(f.file())
        && f.ruleId().equals("secrets/github-pat-classic")), RuleHarness.render(outcome.findings()));
    assertFalse(outcome.toString().contains(token), "the key never shows");
  }

  // Files the scan skipped or read wrongly (TextView: a NUL made the file "binary" and it was never read).

  @Test
  void aNulBeforeTheKeyDoesNotHideIt() {
    blocksIn(deployed().commitBytes("config/prod.env", ("\0\nGITHUB_TOKEN=" + token + "\n").getBytes(StandardCharsets.UTF_8)),
        "config/prod.env");
  }

  @Test
  void aKeyInsideABinaryIsFoundInItsPrintableRuns() {
    byte[] png = ("\u0089PNG\r\n\u001a\n\0\0\0\rIHDR\0\0\0\u0001tEXtComment\0GITHUB_TOKEN=" + token + "\0IEND")
        .getBytes(StandardCharsets.ISO_8859_1);
    blocksIn(deployed().commitBytes("img/logo.png", png), "img/logo.png");
  }

  @ParameterizedTest
  @ValueSource(strings = {"UTF-16LE+BOM", "UTF-16BE+BOM", "UTF-16LE", "UTF-16BE", "UTF-32LE+BOM", "UTF-32BE+BOM",
      "UTF-32LE", "UTF-32BE"})
  void wideTextIsReadAsText(String encoding) {
    String charset = encoding.replace("+BOM", "");
    String text = (encoding.endsWith("+BOM") ? "\uFEFF" : "") + "# settings\r\nGITHUB_TOKEN=" + token + "\r\n";
    byte[] bytes = text.getBytes(Charset.forName(charset));
    blocksIn(deployed().commitBytes("config/prod.env", bytes), "config/prod.env");
  }

  // "Wide" is a guess (a mark, or the first 8000 bytes): a wrong guess must not turn the key into CJK (review of redteam33).

  @ParameterizedTest
  @ValueSource(ints = {0xFF, 0xFE})
  void twoByteOrderMarkBytesBeforeAnAsciiKeyDoNotHideIt(int first) {
    // FF FE (or FE FF), then plain ASCII with no NUL at all: decoded as UTF-16 alone, the key was never seen.
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(first);
    b.write(first ^ 0x01);
    b.writeBytes(("\nGITHUB_TOKEN=" + token + "\n").getBytes(StandardCharsets.US_ASCII));
    blocksIn(deployed().commitBytes("config/prod.env", b.toByteArray()), "config/prod.env");
  }

  @Test
  void aWideHeadDoesNotHideAnAsciiKeyAfterIt() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("# comment line\n".repeat(600).getBytes(StandardCharsets.UTF_16LE));
    b.writeBytes(("\nGITHUB_TOKEN=" + token + "\n").getBytes(StandardCharsets.US_ASCII));
    blocksIn(deployed().commitBytes("config/prod.env", b.toByteArray()), "config/prod.env");
  }

  @Test
  void aWideTextFileEditedLaterIsDiffedAsText() {
    // Only the added line is new: the finding names the commit that added it, the file's old lines are not re-reported.
    FixtureRepo repo = FixtureRepo.create(dir)
        .commitBytes("config/prod.env", "# settings\r\nLOG=info\r\n".getBytes(StandardCharsets.UTF_16LE)).deployed()
        .commitBytes("config/prod.env", ("# settings\r\nLOG=info\r\nGITHUB_TOKEN=" + token + "\r\n")
            .getBytes(StandardCharsets.UTF_16LE));
    List<Finding> findings = harness.run(repo).findings();
    assertEquals(1, findings.size(), RuleHarness.render(findings));
    assertEquals(3, findings.get(0).line());
  }

  @Test
  void gitattributesThatCallTheFileBinaryOrGeneratedChangeNothing() {
    // The scan reads content, never attributes: binary, -diff, linguist-generated and export-ignore are not exemptions.
    blocksIn(deployed().commit(Map.of(".gitattributes", "*.env binary -diff linguist-generated export-ignore\n",
        "config/prod.env", "GITHUB_TOKEN=" + token + "\n"), "attributes"), "config/prod.env");
  }

  @Test
  void anLfsPointerHeaderAboveTheKeyChangesNothing() {
    blocksIn(deployed().commit("assets/model.bin", "version https://git-lfs.github.com/spec/v1\n"
        + "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n"
        + "GITHUB_TOKEN=" + token + "\n"), "assets/model.bin");
  }

  @Test
  void aKeyAtTheEndOfAVeryLongLineIsFound() {
    blocksIn(deployed().commit("static/app.min.js", "var a=1;".repeat(60_000) + "var t='" + token + "';\n"),
        "static/app.min.js");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\r\n", "\r"})
  void crlfAndLoneCrLineEndsDoNotHideIt(String eol) {
    blocksIn(deployed().commit("config/prod.env", "LOG=info" + eol + "GITHUB_TOKEN=" + token + eol + "X=1" + eol),
        "config/prod.env");
  }

  // Git structure.

  @Test
  void aSymlinkWhoseTargetIsTheKeyIsFound() {
    blocksIn(deployed().symlink("config/token", "GITHUB_TOKEN=" + token), "config/token");
  }

  @Test
  void aModeChangeOrAPureRenameOfAFileAlreadyShippedShipsNothingNew() {
    // Safe: the key shipped with the running release (it is that release's finding); this range moves no new byte.
    FixtureRepo repo = FixtureRepo.create(dir).commit("config/prod.env", "GITHUB_TOKEN=" + token + "\n").deployed()
        .rename("config/prod.env", "config/production.env", null);
    harness.assertNoViolations(repo);
  }

  @Test
  void aKeyMovedOutOfAnAllowlistedPathIntoWhatShipsIsFound() {
    // A pure rename adds no line, but the key was never scanned where it was (fixtures/ is allowlisted).
    FixtureRepo repo = FixtureRepo.create(dir).commit(Map.of(".tollgate.yml", "secrets: {allowPaths: [\"fixtures/**\"]}\n",
        "fixtures/github.env", "GITHUB_TOKEN=" + token + "\n"), "fixtures").deployed()
        .rename("fixtures/github.env", "config/prod.env", null);
    blocksIn(repo, "config/prod.env");
  }

  @Test
  void aFileMovedToWhereAPathLimitedRuleAppliesIsScannedWhole() {
    // generic-secret-unquoted reads .env files, not .java ones: moving the file makes its old line a finding.
    String password = canary.password();
    FixtureRepo repo = FixtureRepo.create(dir).commit("notes/Main.java", "DB_PASSWORD=" + password + "\n").deployed()
        .rename("notes/Main.java", "config/prod.env", null);
    ProbeOutcome outcome = harness.run(repo);
    assertTrue(outcome.findings().stream().anyMatch(f -> f.file().equals("config/prod.env")
        && f.ruleId().equals("secrets/generic-secret-unquoted")), RuleHarness.render(outcome.findings()));
    assertFalse(outcome.toString().contains(password), "the value never shows");
  }

  @Test
  void aNearRenameThatAddsTheKeyIsFound() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("config/prod.env", "A=1\nB=2\nC=3\nD=4\nE=5\n").deployed()
        .rename("config/prod.env", "config/production.env", "A=1\nB=2\nC=3\nD=4\nE=5\nGITHUB_TOKEN=" + token + "\n");
    blocksIn(repo, "config/production.env");
  }

  @Test
  void aKeyAddedAndDeletedWithinTheRangeIsFound() {
    blocksIn(deployed().commit("config/prod.env", "GITHUB_TOKEN=" + token + "\n").delete("config/prod.env"),
        "config/prod.env");
  }

  @Test
  void aMergeWhoseResolutionIntroducesTheKeyIsFound() {
    FixtureRepo repo = deployed();
    String base = repo.head();
    String side = repo.commit("docs/a.md", "side\n").head();
    repo.resetTo(base).commit("docs/b.md", "main\n")
        .merge(side, Map.of("docs/a.md", "side\n", "config/prod.env", "GITHUB_TOKEN=" + token + "\n"));
    blocksIn(repo, "config/prod.env");
  }
}
