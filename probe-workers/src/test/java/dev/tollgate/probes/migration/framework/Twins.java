package dev.tollgate.probes.migration.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tollgate.probes.migration.MigrationLinter;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Unsafe/safe twins for a framework reader, run through {@code lint-migrations}' engine (every rule of the probe, no
 * repository): the unsafe twin must be blocked by the rule that should block it, the safe twin must not be blocked at
 * all — each twin is one operation of the framework written the unsafe way and the framework's safe way.
 */
final class Twins {
  /**
   * One operation.
   *
   * @param rule the rule id (without {@code migration/}) that blocks the unsafe twin
   * @param safe the framework's safe way, with a comment in the test saying why it is safe; null when the safe way
   *     needs a repository (old-code evidence) and is tested there
   */
  record Twin(String operation, String unsafe, String rule, String safe) {}

  private Twins() {}

  static MigrationLinter.FileReport lint(String dialect, String path, String content) {
    return new MigrationLinter(dialect, null).lint(path, content);
  }

  static String render(MigrationLinter.FileReport r) {
    return r.findings().stream().map(f -> f.severity() + " " + f.rule() + ":" + f.line() + " " + f.message())
        .collect(Collectors.joining("\n"));
  }

  /** Asserts the file is blocked by {@code rule} (and names the findings when not). */
  static void assertBlocked(String rule, MigrationLinter.FileReport r) {
    boolean hit = r.findings().stream().anyMatch(f -> f.rule().equals("migration/" + rule) && f.severity().equals("error"));
    if (!hit) {
      fail("expected migration/" + rule + " to block " + r.file() + " (" + r.framework() + "), got:\n" + render(r));
    }
  }

  /** Asserts nothing blocks the file. */
  static void assertNotBlocked(MigrationLinter.FileReport r) {
    if (r.unsafe()) {
      fail("expected " + r.file() + " (" + r.framework() + ") to pass, got:\n" + render(r));
    }
  }

  /** One dynamic test per twin: {@code wrap} puts an operation into a whole migration file. */
  static Stream<DynamicTest> run(String dialect, String path, String framework, UnaryOperator<String> wrap,
      List<Twin> twins) {
    return twins.stream().map(t -> DynamicTest.dynamicTest(t.operation(), () -> {
      MigrationLinter.FileReport unsafe = lint(dialect, path, wrap.apply(t.unsafe()));
      assertEquals(framework, unsafe.framework(), "read by the framework's reader");
      assertTrue(unsafe.statements() > 0 || t.rule().equals("unreadable-migration"), "the operation became SQL");
      assertBlocked(t.rule(), unsafe);
      if (t.safe() != null) {
        assertNotBlocked(lint(dialect, path, wrap.apply(t.safe())));
      }
    }));
  }
}
