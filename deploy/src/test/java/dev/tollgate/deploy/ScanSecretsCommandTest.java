package dev.tollgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tollgate scan-secrets}: exit codes, the three formats, paths, config, --git, and no value in any output. */
class ScanSecretsCommandTest {
  @TempDir
  Path dir;

  /** A GitHub token made at test time (never written in the sources). */
  private static String token(long seed) {
    Random r = new Random(seed);
    String alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder b = new StringBuilder("ghp" + "_");
    for (int i = 0; i < 36; i++) {
      b.append(alnum.charAt(r.nextInt(alnum.length())));
    }
    return b.toString();
  }

  private record Run(int exit, String out, String err) {}

  private static Run cli(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = Cli.run(args);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private Path write(String path, String content) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  @Test
  void exitsZeroWhenNothingIsFound() throws IOException {
    write("src/app.py", "print('hello')\n");
    Run run = cli("scan-secrets", dir.toString());
    assertEquals(0, run.exit(), run.err());
    assertEquals("", run.out());
    assertTrue(run.err().contains("tollgate: 0 findings (1 file scanned, "), run.err());
  }

  /** Issue 20 item 15: "in 3 file(s)" counted the files scanned, not the files with findings. */
  @Test
  void countsTheFilesWithFindingsApartFromTheFilesScanned() throws IOException {
    write("a.env", "GITHUB_TOKEN=" + token(3) + "\n");
    write("b.env", "GITHUB_TOKEN=" + token(4) + "\nOTHER_TOKEN=" + token(5) + "\n");
    write("c.txt", "nothing here\n");
    Run run = cli("scan-secrets", dir.toString());
    assertEquals(1, run.exit(), run.err());
    assertTrue(run.err().contains("tollgate: 3 findings in 2 files (3 files scanned, "), run.err());
  }

  @Test
  void printsJsonFindingsRelativeToThePathGivenAndExitsOne() throws IOException {
    String t = token(1);
    write("config/app.env", "LOG_LEVEL=info\nGITHUB_TOKEN=" + t + "\n");
    Run run = cli("scan-secrets", "--format", "json", dir.toString());

    assertEquals(1, run.exit(), run.err());
    JsonNode f = Json.mapper().readTree(run.out()).path("findings").get(0);
    assertEquals("config/app.env", f.path("file").asText());
    assertEquals(2, f.path("line").asInt());
    assertEquals("secrets/github-pat-classic", f.path("ruleId").asText());
    assertEquals("ghp_…", f.path("preview").asText());
    assertTrue(f.path("fingerprint").asText().matches("[0-9a-f]{32}"));
    assertFalse((run.out() + run.err()).contains(t), "the value leaked");
  }

  @Test
  void printsSarifForCodeScanning() throws IOException {
    String t = token(2);
    write("app.env", "GITHUB_TOKEN=" + t + "\n");
    Run run = cli("scan-secrets", "--format", "sarif", dir.toString());

    assertEquals(1, run.exit(), run.err());
    JsonNode sarif = Json.mapper().readTree(run.out());
    assertEquals("2.1.0", sarif.path("version").asText());
    JsonNode runNode = sarif.path("runs").get(0);
    assertEquals("tollgate-secrets", runNode.path("tool").path("driver").path("name").asText());
    assertEquals("secrets/github-pat-classic", runNode.path("tool").path("driver").path("rules").get(0).path("id").asText());
    JsonNode result = runNode.path("results").get(0);
    assertEquals("secrets/github-pat-classic", result.path("ruleId").asText());
    assertEquals("error", result.path("level").asText());
    JsonNode location = result.path("locations").get(0).path("physicalLocation");
    assertEquals("app.env", location.path("artifactLocation").path("uri").asText());
    assertEquals(1, location.path("region").path("startLine").asInt());
    assertTrue(result.path("partialFingerprints").path("tollgateSecret/v1").asText().matches("[0-9a-f]{32}"));
    assertFalse(run.out().contains(t), "the value leaked");
  }

  @Test
  void printsTextFindingsWithoutTheValue() throws IOException {
    String t = token(3);
    Path file = write("deploy/app.env", "GITHUB_TOKEN=" + t + "\n");
    Run run = cli("scan-secrets", file.toString());

    assertEquals(1, run.exit(), run.err());
    assertTrue(run.out().startsWith("BLOCK secrets/github-pat-classic " + file + ":1\n"), run.out());
    assertTrue(run.out().contains("GitHub personal access token (classic): ghp_… (40 characters)"), run.out());
    assertFalse(run.out().contains(t));
  }

  @Test
  void reportsADocumentedExampleKeyInDeployedConfigAsANoteAndExitsZero() throws IOException {
    // AWS's documented example key (split so this source holds no literal): a note, never a failure.
    write("config/application.yml", "aws:\n  accessKeyId: AKIA" + "IOSFODNN7EXAMPLE\n");
    write("src/Client.java", "class Client { String key = \"AKIA" + "IOSFODNN7EXAMPLE\"; }\n");
    Run run = cli("scan-secrets", dir.toString());

    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().startsWith("INFO secrets/example-credential config/application.yml:2\n"), run.out());
    assertTrue(run.out().contains("Documented example AWS access key ID"), run.out());
    assertFalse(run.out().contains("Client.java"), "an example in source code is no finding at all");
  }

  @Test
  void appliesTheConfigsAllowedPaths() throws IOException {
    write("fixtures/creds.env", "GITHUB_TOKEN=" + token(4) + "\n");
    Path config = write("tollgate.yml", "secrets:\n  allowPaths: [\"fixtures/**\"]\n");
    assertEquals(0, cli("scan-secrets", "--config", config.toString(), dir.toString()).exit());
    // Without --config, PATH/.tollgate.yml applies.
    write(".tollgate.yml", "secrets:\n  allowPaths: [\"fixtures/**\"]\n");
    assertEquals(0, cli("scan-secrets", dir.toString()).exit());
  }

  @Test
  void scansTheCommitsOfAGitRangeAndNamesTheCommit() throws Exception {
    String t = token(5);
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      write("README.md", "# app\n");
      git.add().addFilepattern(".").call();
      String base = git.commit().setMessage("base").setSign(false).call().name();
      write("app.env", "GITHUB_TOKEN=" + t + "\n");
      git.add().addFilepattern(".").call();
      String added = git.commit().setMessage("add token").setSign(false).call().name();
      git.rm().addFilepattern("app.env").call();
      git.commit().setMessage("remove token").setSign(false).call();

      Run run = cli("scan-secrets", "--format", "json", "--git", base + "..HEAD", dir.toString());

      assertEquals(1, run.exit(), run.err());
      JsonNode f = Json.mapper().readTree(run.out()).path("findings").get(0);
      assertEquals("app.env", f.path("file").asText());
      assertEquals(added, f.path("commit").asText());
    }
  }

  @Test
  void warnsAboutFilesOverTheLimit() throws IOException {
    write("big.txt", "x".repeat(2000) + "\n");
    Run run = cli("scan-secrets", "--max-file-bytes", "1000", dir.toString());
    assertEquals(0, run.exit());
    assertTrue(run.err().contains("warning: big.txt: not scanned: larger than the file limit of 1000 bytes"), run.err());
  }

  @Test
  void exitsTwoOnErrors() {
    assertEquals(2, cli("scan-secrets", dir.resolve("missing").toString()).exit());
    assertEquals(2, cli("scan-secrets", "--format", "xml", dir.toString()).exit());
    assertEquals(2, cli("scan-secrets").exit());
  }

  @Test
  void usesTheFingerprintKeyFromTheEnvironment() throws Exception {
    write("app.env", "GITHUB_TOKEN=" + token(6) + "\n");
    String builtIn = fingerprint(Map.of());
    String keyed = fingerprint(Map.of(ScanSecretsCommand.KEY_ENV, "0123456789abcdef-ci-key"));
    assertTrue(!builtIn.equals(keyed) && keyed.equals(fingerprint(Map.of(ScanSecretsCommand.KEY_ENV, "0123456789abcdef-ci-key"))));
  }

  private String fingerprint(Map<String, String> env) throws IOException {
    StringWriter out = new StringWriter();
    int exit = new CommandLine(new ScanSecretsCommand(new PrintWriter(out), new PrintWriter(new StringWriter()), env))
        .execute("--format", "json", dir.toString());
    assertEquals(1, exit);
    return Json.mapper().readTree(out.toString()).path("findings").get(0).path("fingerprint").asText();
  }
}
