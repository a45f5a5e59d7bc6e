package dev.tollgate.probes.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An in-code acknowledgement (Rails safety_assured) never hides a blocking finding: it is named in the finding, and only
 * the operators' policy may turn a risk inside it into a warning; failures and unread code stay blocking.
 */
class AcknowledgementsTest {
  private static Migration acknowledged() {
    return UnreadableMigrationRuleTest.migration("db/migrate/1_x.rb", b -> {
      b.sql("ALTER TABLE users DROP COLUMN nick", 5);
      b.sql("CREATE INDEX CONCURRENTLY idx ON users (email)", 6);
      b.acknowledged("safety_assured", 4, 4, 7);
      b.sql("ALTER TABLE users DROP COLUMN plan", 9);
    });
  }

  private static MigrationSettings operators(String yaml) throws Exception {
    var node = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(yaml);
    return MigrationSettings.read(node, "tollgate.yml", null, ".tollgate.yml");
  }

  @Test
  void byDefaultABlockingFindingInsideStaysBlockingAndSaysItWasAcknowledged() {
    MigrationSet set = MigrationSet.standalone(acknowledged(), MigrationSettings.defaults());
    List<RuleViolation> out = Acknowledgements.apply(set, new DropColumnRule(), new DropColumnRule().check(set));
    assertEquals(2, out.size());
    assertEquals(null, out.get(0).severity(), "the rule's own severity: BLOCK");
    assertEquals("Drops column `users.nick`: instances of the running release that select, insert or map it fail as soon"
        + " as it is gone (ORMs such as Hibernate name every mapped column). Acknowledged in the migration with"
        + " `safety_assured` (line 4): Tollgate reports it anyway; an approver's override accepts it.", out.get(0).message());
    assertEquals(false, out.get(1).message().contains("Acknowledged"), "line 9 is outside the block");
  }

  @Test
  void theOperatorsMayAcceptItAsAWarning() throws Exception {
    MigrationSet set = MigrationSet.standalone(acknowledged(), operators("acknowledgements: warn"));
    List<RuleViolation> out = Acknowledgements.apply(set, new DropColumnRule(), new DropColumnRule().check(set));
    assertEquals(Severity.WARN, out.get(0).severity());
    assertEquals(true, out.get(0).message().endsWith("which the operators' policy accepts as a warning"
        + " (migrations.acknowledgements: warn)."));
    assertEquals(null, out.get(1).severity(), "outside the block: still the rule's BLOCK");
  }

  @Test
  void aMigrationThatWillFailStaysBlockingWhateverThePolicy() throws Exception {
    // CONCURRENTLY inside the migration's transaction fails at deploy time: acknowledging it does not make it work.
    MigrationSet set = MigrationSet.standalone(acknowledged(), operators("acknowledgements: warn"));
    PgConcurrentInTransactionRule rule = new PgConcurrentInTransactionRule();
    List<RuleViolation> raw = rule.check(set);
    assertEquals(raw, Acknowledgements.apply(set, rule, raw));
    assertEquals(1, raw.size());
  }
}
