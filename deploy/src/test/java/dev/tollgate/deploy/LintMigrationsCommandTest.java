package dev.tollgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tollgate lint-migrations}: exit codes, the JSON shape of issue #4, dialects, and bad input. */
class LintMigrationsCommandTest {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  /** Runs the real command tree (so the subcommand registration in Cli is tested too). */
  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Cli());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of("lint-migrations"));
    all.addAll(List.of(args));
    int exit = cli.execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  private Path write(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }

  @Test
  void unsafeFileExitsOneWithTheIssuesJsonShape() throws Exception {
    Path f = write("V2__idx.sql", "SET lock_timeout = '2s';\n\nCREATE INDEX idx_users_email ON users (email);\n");
    Run r = run("--format", "json", f.toString());
    assertEquals(1, r.exit(), r.err());
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertEquals(List.of("files"), iterator(json.fieldNames()));
    JsonNode file = json.get("files").get(0);
    assertEquals(List.of("file", "unsafe", "findings"), iterator(file.fieldNames()));
    assertEquals(f.toString(), file.get("file").asText());
    assertTrue(file.get("unsafe").asBoolean());
    JsonNode finding = file.get("findings").get(0);
    assertEquals(List.of("ruleId", "rule", "line", "severity", "message", "fix"), iterator(finding.fieldNames()));
    assertEquals("migration/pg-index-not-concurrent", finding.get("ruleId").asText());
    assertEquals(3, finding.get("line").asInt());
    assertEquals("error", finding.get("severity").asText());
    assertTrue(finding.get("fix").asText().contains("CONCURRENTLY"));
  }

  @Test
  void safeFilesExitZeroAndDirectoriesAreSearched() throws Exception {
    write("db/V3__add.sql", "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN bio text;\n");
    write("db/notes.txt", "DROP TABLE users;  -- not a migration file: ignored\n");
    write("db/docker-compose.yml", "services:\n  db:\n    image: postgres:16\n");
    Run r = run(dir.resolve("db").toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertEquals("2 files, 0 errors, 0 warnings: safe\n", r.out(), "docker-compose.yml is read but is no changelog");
  }

  @Test
  void warningsAloneAreNotUnsafe() throws Exception {
    Path f = write("V4__col.sql", "ALTER TABLE users ADD COLUMN bio text;\n");
    Run r = run("--format", "json", f.toString());
    assertEquals(0, r.exit());
    JsonNode file = new ObjectMapper().readTree(r.out()).get("files").get(0);
    assertFalse(file.get("unsafe").asBoolean());
    assertEquals("warning", file.get("findings").get(0).get("severity").asText());
  }

  @Test
  void mysqlDialectAndPgVersionChangeTheVerdict() throws Exception {
    Path my = write("001_change.sql", "ALTER TABLE users ADD COLUMN bio TEXT, ALGORITHM=COPY;\n");
    Run r = run("--dialect", "mysql", my.toString());
    assertEquals(1, r.exit());
    assertTrue(r.out().contains("error migration/mysql-algorithm-copy"), r.out());

    Path dflt = write("V5__default.sql", "SET lock_timeout = '1s';\nALTER TABLE users ADD COLUMN active boolean DEFAULT true;\n");
    assertEquals(0, run(dflt.toString()).exit(), "a constant default is catalog-only from PostgreSQL 11");
    Run old = run("--pg-version", "10", dflt.toString());
    assertEquals(1, old.exit());
    assertTrue(old.out().contains("migration/pg-add-column-volatile-default"), old.out());
  }

  @Test
  void unparseableSqlIsAFindingNotACrash() throws Exception {
    Path f = write("V6__broken.sql", "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1;\n");
    Run r = run("--format", "json", f.toString());
    assertEquals(1, r.exit(), r.err());
    JsonNode finding = new ObjectMapper().readTree(r.out()).get("files").get(0).get("findings").get(0);
    assertEquals("migration/unparseable-sql", finding.get("ruleId").asText());
    assertTrue(finding.get("message").asText().contains("unterminated dollar-quoted string $$"), finding.toString());
  }

  @Test
  void badOptionsAndMissingFilesExitTwo() throws Exception {
    Path f = write("V7__x.sql", "SELECT 1;");
    Run badFormat = run("--format", "xml", f.toString());
    assertEquals(2, badFormat.exit());
    assertTrue(badFormat.err().contains("--format: expected text or json"), badFormat.err());
    assertEquals(2, run("--dialect", "oracle", f.toString()).exit());
    Run missing = run(dir.resolve("nope.sql").toString());
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("no such file or directory"), missing.err());
    assertEquals(2, run().exit(), "PATH is required");
  }

  private static List<String> iterator(java.util.Iterator<String> it) {
    List<String> l = new ArrayList<>();
    it.forEachRemaining(l::add);
    return l;
  }

  /** Issue 20 item 9: a directory without migrations printed "0 files ... safe" and exited 0, so a wrong CI path passed. */
  @Test
  void aPathWithoutMigrationsFailsUnlessThatIsExpected() throws Exception {
    write("src/Main.java", "class Main {}\n");
    Run r = run(dir.toString());
    assertEquals(2, r.exit(), r.out() + r.err());
    assertTrue(r.err().contains("no migration file (.sql, .xml, .yaml, .yml) in [" + dir + "]: nothing was read; pass --allow-empty"),
        r.err());
    assertEquals("", r.out());
    Run allowed = run("--allow-empty", dir.toString());
    assertEquals(0, allowed.exit(), allowed.err());
    assertTrue(allowed.out().startsWith("0 files"), allowed.out());
  }
}
