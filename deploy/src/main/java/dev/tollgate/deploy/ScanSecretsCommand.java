package dev.tollgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RepoConfig;
import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.repo.RepoSnapshots;
import dev.tollgate.probes.secrets.FileTreeScan;
import dev.tollgate.probes.secrets.RepoSecretsConfig;
import dev.tollgate.probes.secrets.RuleBook;
import dev.tollgate.probes.secrets.ScanReport;
import dev.tollgate.probes.secrets.ScanWarning;
import dev.tollgate.probes.secrets.SecretFinding;
import dev.tollgate.probes.secrets.SecretScanner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tollgate scan-secrets PATH...}: the secrets probe's engine on files and directories (no git needed), or on
 * the commits of a range with {@code --git}. Prints redacted findings only. Exit code 0 none (or INFO notes only),
 * 1 findings, 2 error.
 */
@Command(name = "scan-secrets", mixinStandardHelpOptions = true,
    description = "Scan files and directories (or, with --git, the commits of a range) for credentials. "
        + "Findings are redacted: rule, place, a keyed fingerprint and at most the first 4 characters. "
        + "Exit code 0 no findings (or INFO notes only), 1 findings, 2 usage or error.")
final class ScanSecretsCommand implements Callable<Integer> {
  static final String KEY_ENV = "TOLLGATE_SECRETS_FINGERPRINT_KEY";

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories; with --git, the repository")
  List<Path> paths = new ArrayList<>();

  @Option(names = "--format", defaultValue = "text", description = "text, json or sarif (default: ${DEFAULT-VALUE})")
  String format;

  @Option(names = "--config", paramLabel = "FILE",
      description = "A .tollgate.yml whose secrets: section (allowPaths, stopwords) applies (default: PATH/.tollgate.yml)")
  Path config;

  @Option(names = "--baseline", paramLabel = "FILE",
      description = "Accepted fingerprints (default: PATH/" + RepoSecretsConfig.BASELINE_PATH + ")")
  Path baseline;

  @Option(names = "--git", paramLabel = "RANGE",
      description = "Scan what the commits of BASE..HEAD added (each secret tied to the commit that introduced it); "
          + "a single revision scans its whole history and tree (a first deploy)")
  String range;

  @Option(names = "--max-file-bytes", defaultValue = "1048576", description = "Larger files are skipped with a warning (default: ${DEFAULT-VALUE})")
  long maxFileBytes;

  @Option(names = "--threads", description = "Files scanned at once (default: the number of processors)")
  Integer threads;

  private final PrintWriter out;
  private final PrintWriter err;
  private final Map<String, String> env;

  ScanSecretsCommand() {
    this(new PrintWriter(System.out, false, StandardCharsets.UTF_8), new PrintWriter(System.err, true, StandardCharsets.UTF_8),
        System.getenv());
  }

  ScanSecretsCommand(PrintWriter out, PrintWriter err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    String fmt = format.toLowerCase(Locale.ROOT);
    if (!List.of("text", "json", "sarif").contains(fmt)) {
      throw new IllegalArgumentException("--format: expected text, json or sarif, got \"" + format + "\"");
    }
    if (maxFileBytes < 1) {
      throw new IllegalArgumentException("--max-file-bytes: expected a positive number, got " + maxFileBytes);
    }
    long started = System.nanoTime();
    byte[] key = fingerprintKey();
    // Parsing the rule book is most of a small run: it loads while the tree is listed.
    CompletableFuture<RuleBook> loading = CompletableFuture.supplyAsync(RuleBook::standard);
    ScanReport report = range != null ? scanRange(join(loading), key) : scanFiles(loading, key);
    RuleBook rules = join(loading);
    long ms = (System.nanoTime() - started) / 1_000_000;
    switch (fmt) {
      case "json" -> out.println(Json.writeString(json(report)));
      case "sarif" -> out.println(Json.writeString(sarif(report, rules)));
      default -> text(report);
    }
    out.flush();
    for (ScanWarning w : report.warnings()) {
      err.println("tollgate: warning: " + (w.file() == null ? "" : w.file() + ": ") + w.message());
    }
    err.println(summary(report, ms));
    err.flush();
    // An INFO note (a documented example key in deployed config) is reported but fails nothing, as in the gate.
    return report.findings().stream().allMatch(f -> f.severity() == Severity.INFO) ? Cli.GO : Cli.NO_GO;
  }

  /** {@code 2 findings in 1 file (3 files scanned, 0.1 MB, 40 ms)}: the files with findings, then what was read. */
  static String summary(ScanReport report, long ms) {
    int findings = report.findings().size();
    long withFindings = report.findings().stream().map(SecretFinding::file).distinct().count();
    return String.format(Locale.ROOT, "tollgate: %s%s (%s scanned, %.1f MB, %d ms)", count(findings, "finding"),
        findings == 0 ? "" : " in " + count(withFindings, "file"), count(report.filesScanned(), "file"),
        report.bytesScanned() / 1e6, ms);
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private ScanReport scanFiles(CompletableFuture<RuleBook> loading, byte[] key) throws IOException, InterruptedException {
    Path home = Files.isDirectory(paths.get(0)) ? paths.get(0) : null;
    JsonNode section = section(configText(home));
    String baselineText = baselineText(home);
    CompletableFuture<SecretScanner> scanner = loading.thenApply(
        rules -> new SecretScanner(rules, RepoSecretsConfig.parse(section, baselineText, rules.ids()), key));
    int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    return FileTreeScan.scan(scanner, paths, maxFileBytes, n);
  }

  private static RuleBook join(CompletableFuture<RuleBook> loading) {
    try {
      return loading.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : e;
    }
  }

  private ScanReport scanRange(RuleBook rules, byte[] key) throws IOException {
    if (paths.size() != 1) {
      throw new IllegalArgumentException("--git: expected exactly one PATH, the repository");
    }
    String repoPath = paths.get(0).toAbsolutePath().normalize().toString();
    String[] ends = range.contains("..") ? range.split("\\.\\.", 2) : new String[] {null, range};
    String candidate = resolve(repoPath, ends[1].isEmpty() ? "HEAD" : ends[1]);
    String base = ends[0] == null || ends[0].isEmpty() ? null : resolve(repoPath, ends[0]);
    try (ChangeSet changes = ChangeSet.open(RepoSnapshots.openLocal(repoPath), candidate, base,
        new ChangeSet.Limits(maxFileBytes, ChangeSet.Limits.DEFAULT.maxCommits()))) {
      String configText = config != null ? Files.readString(config) : changes.readCandidateText(RepoConfig.FILE_NAMES.get(0)).orElse(null);
      String baselineText = baseline != null ? Files.readString(baseline)
          : changes.readCandidateText(RepoSecretsConfig.BASELINE_PATH).orElse(null);
      RepoSecretsConfig repo = RepoSecretsConfig.parse(section(configText), baselineText, rules.ids());
      return new SecretScanner(rules, repo, key).scanRange(changes, Long.MAX_VALUE);
    }
  }

  private static String resolve(String repo, String revision) {
    try {
      return RepoSnapshots.resolveLocal(repo, revision);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--git: " + e.getMessage(), e);
    }
  }

  private String configText(Path home) throws IOException {
    if (config != null) {
      return Files.readString(config);
    }
    Path implicit = home == null ? null : home.resolve(RepoConfig.FILE_NAMES.get(0));
    return implicit != null && Files.isRegularFile(implicit) ? Files.readString(implicit) : null;
  }

  private String baselineText(Path home) throws IOException {
    if (baseline != null) {
      return Files.readString(baseline);
    }
    Path implicit = home == null ? null : home.resolve(RepoSecretsConfig.BASELINE_PATH);
    return implicit != null && Files.isRegularFile(implicit) ? Files.readString(implicit) : null;
  }

  private JsonNode section(String yaml) {
    if (yaml == null) {
      return MissingNode.getInstance();
    }
    return RepoConfig.parse(config != null ? config.toString() : RepoConfig.FILE_NAMES.get(0), yaml).section("secrets");
  }

  private byte[] fingerprintKey() {
    String k = env.get(KEY_ENV);
    if (k == null || k.isEmpty()) {
      return null;
    }
    if (k.length() < 16) {
      throw new IllegalArgumentException(KEY_ENV + ": expected at least 16 characters"); // never echo the key
    }
    return k.getBytes(StandardCharsets.UTF_8);
  }

  private void text(ScanReport report) {
    for (SecretFinding f : report.findings()) {
      out.println(f.severity() + " " + f.ruleId() + " " + f.file() + ":" + f.line());
      out.println("    " + f.message());
      out.println("    fingerprint " + f.fingerprint());
    }
  }

  private static Map<String, Object> json(ScanReport report) {
    List<Map<String, Object>> findings = new ArrayList<>();
    for (SecretFinding f : report.findings()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", f.file());
      m.put("line", f.line());
      m.put("ruleId", f.ruleId());
      m.put("rule", f.ruleId()); // deprecated spelling of ruleId, kept for one release (docs/json.md)
      m.put("severity", f.severity().name());
      m.put("fingerprint", f.fingerprint());
      m.put("preview", f.preview());
      m.put("length", f.length());
      if (f.commit() != null) {
        m.put("commit", f.commit());
      }
      findings.add(m);
    }
    List<Map<String, Object>> warnings = new ArrayList<>();
    for (ScanWarning w : report.warnings()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", w.file());
      m.put("commit", w.commit());
      m.put("message", w.message());
      warnings.add(m);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("findings", findings);
    doc.put("warnings", warnings);
    return doc;
  }

  /** SARIF 2.1.0 as GitHub code scanning accepts it: one run, the rules that fired, one result per finding. */
  private static Map<String, Object> sarif(ScanReport report, RuleBook rules) {
    Map<String, Integer> ruleIndex = new LinkedHashMap<>();
    List<Map<String, Object>> ruleList = new ArrayList<>();
    List<Map<String, Object>> results = new ArrayList<>();
    for (SecretFinding f : report.findings()) {
      Integer idx = ruleIndex.get(f.ruleId());
      if (idx == null) {
        idx = ruleList.size();
        ruleIndex.put(f.ruleId(), idx);
        ruleList.add(Map.of("id", f.ruleId(), "name", f.ruleId().substring(f.ruleId().indexOf('/') + 1),
            "shortDescription", Map.of("text", f.description()),
            "help", Map.of("text", "Revoke and rotate the credential, remove it from the code and read it from a secret store."),
            "defaultConfiguration", Map.of("level", level(f)),
            "properties", Map.of("tags", List.of("security", "secret"), "security-severity", "9.0")));
      }
      Map<String, Object> region = Map.of("startLine", f.line());
      Map<String, Object> location = Map.of("physicalLocation", Map.of(
          "artifactLocation", Map.of("uri", f.file(), "uriBaseId", "%SRCROOT%"), "region", region));
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("ruleId", f.ruleId());
      r.put("ruleIndex", idx);
      r.put("level", level(f));
      r.put("message", Map.of("text", f.message()));
      r.put("locations", List.of(location));
      r.put("partialFingerprints", Map.of("tollgateSecret/v1", f.fingerprint()));
      results.add(r);
    }
    Map<String, Object> driver = new LinkedHashMap<>();
    driver.put("name", "tollgate-secrets");
    driver.put("semanticVersion", version());
    driver.put("rules", ruleList);
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("tool", Map.of("driver", driver));
    run.put("results", results);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    doc.put("version", "2.1.0");
    doc.put("runs", List.of(run));
    return doc;
  }

  private static String level(SecretFinding f) {
    return switch (f.severity()) {
      case WARN -> "warning";
      case INFO -> "note";
      default -> "error";
    };
  }

  private static String version() {
    String v = ScanSecretsCommand.class.getPackage().getImplementationVersion();
    return v == null ? "0.0.0-dev" : v;
  }
}
