package dev.tollgate.probes.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.probes.runtime.ProbeOutcome;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Redaction is a guarantee (issue #3): canary credentials planted in a repository appear in no field of any finding,
 * not in the serialized result, not in the outcome's reason, and not in anything logged while the probe ran.
 */
class RedactionTest {
  private final Canary canary = new Canary(42);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Logger root;

  @TempDir
  Path dir;

  @BeforeEach
  void captureLogs() {
    root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.DEBUG);
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void stopCapture() {
    root.detachAppender(logs);
  }

  @Test
  void flagsCanariesWithoutWritingThemAnywhere() {
    List<String> canaries = List.of(canary.github(), canary.awsKeyId(), canary.stripe(), canary.slack(), canary.password());
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed()
        .commit(Map.of("app.env", "GITHUB_TOKEN=" + canaries.get(0) + "\nAWS_ACCESS_KEY_ID=" + canaries.get(1) + "\n",
            "billing.py", "STRIPE = \"" + canaries.get(2) + "\"\nSLACK = \"" + canaries.get(3) + "\"\n",
            "db.properties", "app.db.password=" + canaries.get(4) + "\n"), "add config");

    ProbeOutcome outcome = RuleHarness.of(new SecretLeakageProbe()).run(repo);

    assertEquals(5, outcome.findings().size(), () -> RuleHarness.render(outcome.findings()));
    String written = Json.writeString(outcome.findings()) + outcome.reason()
        + logs.list.stream().map(e -> e.getFormattedMessage() + e.getKeyValuePairs()).reduce("", String::concat);
    for (String c : canaries) {
      assertFalse(written.contains(c), "a canary leaked");
      assertFalse(written.contains(c.substring(0, 8)), "more than 4 characters of a canary leaked");
    }
    for (Finding f : outcome.findings()) {
      assertTrue(f.fingerprint().matches("[0-9a-f]{32}"), f.fingerprint());
      String preview = f.message().substring(f.message().indexOf(": ") + 2, f.message().indexOf('…'));
      assertTrue(preview.length() <= 4, f.message());
    }
  }

  @Test
  void previewShowsAtMostFourCharactersAndNeverMoreThanAQuarter() {
    assertEquals("ghp_…", Fingerprints.preview("ghp_" + "a1".repeat(18)));
    assertEquals("ab…", Fingerprints.preview("abcdefghij"));
    assertEquals("…", Fingerprints.preview("abc"));
  }

  @Test
  void fingerprintDependsOnKeyRulePathAndValueButNotOnLayout() {
    Fingerprints a = new Fingerprints("key-one-0123456789".getBytes(StandardCharsets.UTF_8));
    Fingerprints b = new Fingerprints("key-two-0123456789".getBytes(StandardCharsets.UTF_8));
    String v = canary.password();
    assertEquals(a.of("secrets/x", "p", v), a.of("secrets/x", "p", v));
    assertFalse(a.of("secrets/x", "p", v).equals(b.of("secrets/x", "p", v)));
    assertFalse(a.of("secrets/x", "p", v).equals(a.of("secrets/x", "q", v)));
    assertFalse(a.of("secrets/x", "p", v).equals(a.of("secrets/y", "p", v)));
    // A PEM body written on lines or as one string literal with \n is the same secret.
    assertEquals(a.of("secrets/x", "p", "AAAA\nBBBB"), a.of("secrets/x", "p", "AAAA\\nBBBB"));
  }

  @Test
  void scanFailureReasonNamesTheTypeNotTheContent() {
    // An exception's message may quote content; the runner keeps only its type and our frame.
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed().commit("a.txt", "x\n");
    ProbeOutcome outcome = RuleHarness.of(new SecretLeakageProbe())
        .withServerConfig("defaults:\n  secrets:\n    maxTotalBytes: 0\n").run(repo);
    assertTrue(outcome.reason().startsWith("rule secrets/scan-incomplete failed: IllegalArgumentException"), outcome.reason());
  }
}
