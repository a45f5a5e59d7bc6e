package dev.tollgate.deploy;

import dev.tollgate.probes.migration.MigrationLinter;
import dev.tollgate.probes.migration.framework.FrameworkReaders;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tollgate lint-migrations PATH...}: lints migration files on their own (no repository, no old-code evidence)
 * with the migration probe's rules. The engine is {@link MigrationLinter}; this class only wires files, options and
 * output. Exit codes: 0 safe, 1 unsafe (an error-severity finding), 2 usage or I/O error.
 */
@Command(name = "lint-migrations", mixinStandardHelpOptions = true,
    description = "Lint migration files (Flyway, Liquibase, golang-migrate, dbmate, plain SQL, and the frameworks the"
        + " probe reads: see docs/rules/migration/frameworks.md) for multi-instance safety. Directories are searched for"
        + " .sql, .xml, .yaml and .yml files and for the frameworks' migration files. Exit code 0 safe, 1 unsafe, 2 error.")
public final class LintMigrationsCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Migration files or directories")
  List<Path> paths = new ArrayList<>();

  @Option(names = "--dialect", defaultValue = "auto", description = "postgresql, mysql or auto (default: ${DEFAULT-VALUE},"
      + " detected per file)")
  String dialect;

  @Option(names = "--pg-version", description = "Target PostgreSQL major version (default: 18)")
  Integer pgVersion;

  @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
  String format;

  @Option(names = "--stats", description = "Print the number of statements and the linting rate to standard error")
  boolean stats;

  @Option(names = "--allow-empty", description = "Exit 0 when the paths hold no migration file (default: exit 2, since a "
      + "wrong path would otherwise pass silently)")
  boolean allowEmpty;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String fmt = format.toLowerCase(Locale.ROOT);
    if (!fmt.equals("text") && !fmt.equals("json")) {
      return fail(err, "--format: expected text or json, got \"" + format + "\"");
    }
    String d = dialect.toLowerCase(Locale.ROOT);
    if (!List.of("auto", "postgresql", "postgres", "mysql", "mariadb").contains(d)) {
      return fail(err, "--dialect: expected postgresql, mysql or auto, got \"" + dialect + "\"");
    }
    MigrationLinter linter;
    try {
      linter = new MigrationLinter(d, pgVersion);
    } catch (IllegalArgumentException e) {
      return fail(err, e.getMessage());
    }
    List<Path> files = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile).filter(LintMigrationsCommand::isMigrationFile).sorted().forEach(files::add);
        } catch (IOException e) {
          return fail(err, "cannot read directory " + p + ": " + e.getMessage());
        }
      } else if (Files.isRegularFile(p)) {
        files.add(p);
      } else {
        return fail(err, "no such file or directory: " + p);
      }
    }
    if (files.isEmpty() && !allowEmpty) {
      // A wrong path in CI must not pass as "0 files: safe".
      return fail(err, "no migration file (.sql, .xml, .yaml, .yml) in " + paths.stream().map(Path::toString).toList()
          + ": nothing was read; pass --allow-empty if that is expected");
    }
    List<MigrationLinter.FileReport> reports = new ArrayList<>();
    long lintNanos = 0;
    int statements = 0;
    for (Path f : files) {
      String content;
      try {
        content = read(f);
      } catch (IOException e) {
        return fail(err, "cannot read " + f + ": " + e.getMessage());
      }
      long t0 = System.nanoTime();
      MigrationLinter.FileReport r = linter.lint(f.toString(), content);
      lintNanos += System.nanoTime() - t0;
      statements += r.statements();
      reports.add(r);
    }
    boolean unsafe = reports.stream().anyMatch(MigrationLinter.FileReport::unsafe);
    if (fmt.equals("json")) {
      out.print(json(reports));
    } else {
      out.print(text(reports));
    }
    out.flush();
    if (stats) {
      double seconds = lintNanos / 1e9;
      err.printf(Locale.ROOT, "lint-migrations: %d statements in %d files, linted in %.1f ms (%.0f statements/s)%n",
          statements, files.size(), seconds * 1000, seconds > 0 ? statements / seconds : 0.0);
      err.flush();
    }
    return unsafe ? Cli.NO_GO : Cli.GO;
  }

  private static boolean isMigrationFile(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".sql") || n.endsWith(".xml") || n.endsWith(".yaml") || n.endsWith(".yml")
        || FrameworkReaders.claiming(p.toString().replace('\\', '/')) != null;
  }

  /** UTF-8; the String constructor replaces malformed bytes, so a Latin-1 comment does not stop the lint. */
  private static String read(Path f) throws IOException {
    return new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
  }

  private static int fail(PrintWriter err, String message) {
    err.println("tollgate lint-migrations: " + message);
    err.flush();
    return Cli.ERROR;
  }

  static String text(List<MigrationLinter.FileReport> reports) {
    StringBuilder b = new StringBuilder();
    int errors = 0;
    int warnings = 0;
    for (MigrationLinter.FileReport r : reports) {
      for (MigrationLinter.Finding f : r.findings()) {
        b.append(r.file()).append(':').append(f.line()).append(": ").append(f.severity()).append(' ').append(f.rule())
            .append('\n').append("    ").append(f.message()).append('\n').append("    fix: ").append(f.fix()).append('\n');
        errors += f.severity().equals("error") ? 1 : 0;
        warnings += f.severity().equals("warning") ? 1 : 0;
      }
    }
    long unsafe = reports.stream().filter(MigrationLinter.FileReport::unsafe).count();
    b.append(reports.size()).append(reports.size() == 1 ? " file" : " files").append(", ").append(errors)
        .append(errors == 1 ? " error" : " errors").append(", ").append(warnings).append(warnings == 1 ? " warning" : " warnings")
        .append(unsafe == 0 ? ": safe" : ": " + unsafe + " unsafe").append('\n');
    return b.toString();
  }

  /** The JSON of issue #4, written by hand: exact key order, and no ObjectMapper start-up on the CLI's hot path. */
  static String json(List<MigrationLinter.FileReport> reports) {
    StringBuilder b = new StringBuilder(256 + reports.size() * 256);
    b.append("{\"files\":[");
    for (int i = 0; i < reports.size(); i++) {
      MigrationLinter.FileReport r = reports.get(i);
      b.append(i == 0 ? "" : ",").append("{\"file\":");
      string(b, r.file());
      b.append(",\"unsafe\":").append(r.unsafe()).append(",\"findings\":[");
      for (int j = 0; j < r.findings().size(); j++) {
        MigrationLinter.Finding f = r.findings().get(j);
        b.append(j == 0 ? "" : ",").append("{\"ruleId\":");
        string(b, f.rule());
        // Deprecated spelling of ruleId, kept for one release for readers of the old output (docs/json.md).
        b.append(",\"rule\":");
        string(b, f.rule());
        b.append(",\"line\":").append(f.line()).append(",\"severity\":");
        string(b, f.severity());
        b.append(",\"message\":");
        string(b, f.message());
        b.append(",\"fix\":");
        string(b, f.fix());
        b.append('}');
      }
      b.append("]}");
    }
    return b.append("]}\n").toString();
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
