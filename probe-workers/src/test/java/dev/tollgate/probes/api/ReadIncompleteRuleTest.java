package dev.tollgate.probes.api;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule every probe uses for what it could not read: one finding per file, BLOCK, or the downgraded severity with
 * the downgrade named. Each probe's own test (migration, parity, rollback {@code ReadIncompleteRuleTest}) performs the
 * attacks on what that probe reads.
 */
class ReadIncompleteRuleTest {
  @TempDir Path dir;

  static ReadIncompleteRule rule(List<NotRead> notRead) {
    return new ReadIncompleteRule("t", "summary", "help", ctx -> notRead);
  }

  @Test
  void flagsEachFileOnceAndTheWholeRangeWithoutAFile() {
    var repo = FixtureRepo.create(dir).commit("a.txt", "1\n");
    RuleHarness.of(rule(List.of(NotRead.tooLarge("big.sql", 2_000_000, 1_048_576, "Migration"),
        NotRead.unparseable("big.sql", "Manifest", "not valid YAML"),
        new NotRead(null, ReadLimit.COMMITS, "the range has more than 20 commits")))).assertViolations(repo, """
        BLOCK t/read-incomplete big.sql
          Migration not read: 2000000 bytes, over the file limit of 1048576 bytes (worker.maxFileBytes)
        BLOCK t/read-incomplete -
          the range has more than 20 commits
        """);
  }

  @Test
  void flagsADowngradeByNamingIt() {
    var repo = FixtureRepo.create(dir).commit("a.txt", "1\n");
    RuleHarness.of(rule(List.of(NotRead.unparseable("k8s/x.yaml", "deploy manifest", "not valid YAML"))))
        .withServerConfig("environments:\n  production:\n    readLimits: {unparseable: info}\n").assertViolations(repo, """
        INFO t/read-incomplete k8s/x.yaml
          deploy manifest cannot be read: not valid YAML (downgraded to INFO for environment production by \
        readLimits.unparseable in the server's tollgate.yml)
        """);
  }

  @Test
  void passesWhenEverythingWasRead() {
    // Safe: nothing was cut, so there is nothing to report.
    RuleHarness.of(rule(List.of())).assertNoViolations(FixtureRepo.create(dir).commit("a.txt", "1\n"));
  }
}
