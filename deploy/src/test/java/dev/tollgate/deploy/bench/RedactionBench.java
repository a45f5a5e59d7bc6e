package dev.tollgate.deploy.bench;

import dev.tollgate.contracts.check.CheckRequested;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.probes.api.ServerSettings;
import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.repo.RepoSnapshots;
import dev.tollgate.probes.runtime.CheckExecutor;
import dev.tollgate.probes.runtime.ProbeRegistry;
import dev.tollgate.probes.runtime.ProbeRunner;
import dev.tollgate.probes.secrets.SecretRedactor;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * What the worker's one redaction point costs (issue 19, item 4), side by side with the check it follows, in one
 * process, warm: for each production probe on the load bench's repository (a realistic 50-file change), the time of a
 * whole check and the time to pass that check's result texts through {@link SecretRedactor} (each distinct text
 * once, as the worker does); then the worst case the worker allows: a result of 200 findings (worker.maxFindings),
 * each quoting SQL with a credential in it. Usage: {@code bench/redaction.sh [runs]}.
 */
public final class RedactionBench {
  private RedactionBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    SecretRedactor redactor = SecretRedactor.standard();
    FixtureRepo repo = BenchRepo.create(Files.createTempDirectory("tollgate-redaction").resolve("repo"));
    ProbeRegistry registry = ProbeRegistry.production();
    CheckExecutor executor = new CheckExecutor(registry, RepoSnapshots.localOnly(ChangeSet.Limits.DEFAULT), new ProbeRunner(200),
        ServerSettings.empty(), Clock.systemUTC(), "bench");
    System.out.println("probe      check ms  redaction us  texts  redaction/check");
    for (ProbeId probe : registry.ids()) {
      CheckRequested check = CheckRequested.of("b", "b", repo.target("staging"), probe, Instant.now().plusSeconds(600),
          Instant.now(), null);
      ProbeCompleted result = null;
      for (int i = 0; i < runs / 2; i++) {
        result = executor.execute(check);
      }
      List<String> texts = texts(result);
      long c0 = System.nanoTime();
      for (int i = 0; i < runs; i++) {
        executor.execute(check);
      }
      double checkMs = (System.nanoTime() - c0) / 1e6 / runs;
      double redactUs = redactAll(redactor, texts, runs * 20) * 1e3;
      System.out.printf(Locale.ROOT, "%-10s %8.2f %13.1f %6d %15.4f%n", probe, checkMs, redactUs, texts.size(),
          redactUs / 1e3 / checkMs);
    }
    List<String> worst = worstCase();
    double worstMs = redactAll(redactor, worst, runs);
    System.out.printf(Locale.ROOT, "worst case: 200 findings with a key in each (%d texts, %d KB): %.2f ms per result%n",
        worst.size(), worst.stream().mapToInt(String::length).sum() / 1024, worstMs);
    System.exit(0);
  }

  /** The distinct texts of a result, as the worker redacts them. */
  static List<String> texts(ProbeCompleted r) {
    Set<String> out = new LinkedHashSet<>();
    out.add(r.reason());
    for (Finding f : r.findings()) {
      out.add(f.message());
      out.add(f.fix());
      out.add(f.file());
      out.add(f.fingerprint());
    }
    if (r.repoPolicy() != null) {
      out.add(r.repoPolicy().source());
      out.add(r.repoPolicy().error());
    }
    out.remove(null);
    return new ArrayList<>(out);
  }

  /** Milliseconds to redact every text once, averaged over {@code runs} after as many warm-up rounds. */
  static double redactAll(SecretRedactor redactor, List<String> texts, int runs) {
    long sink = 0;
    for (int i = 0; i < runs; i++) {
      for (String t : texts) {
        sink += redactor.redact(t).length();
      }
    }
    long start = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      for (String t : texts) {
        sink += redactor.redact(t).length();
      }
    }
    double ms = (System.nanoTime() - start) / 1e6 / runs;
    if (sink == 42) {
      System.out.print("");
    }
    return ms;
  }

  static List<String> worstCase() {
    Random r = new Random(7);
    List<String> out = new ArrayList<>();
    out.add("200 blocking findings");
    for (int i = 0; i < 200; i++) {
      StringBuilder key = new StringBuilder("AK").append("IA");
      for (int k = 0; k < 16; k++) {
        key.append("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".charAt(r.nextInt(32)));
      }
      out.add("`ALTER TABLE users_" + i + " ADD COLUMN k text DEFAULT '" + key + "'` waits for a table lock with no "
          + "lock_timeout: behind a long transaction it stalls every query on users_" + i + ".");
      out.add("SET lock_timeout = '2s' before the statement, and retry the migration when it times out.");
      out.add("db/migration/V" + (i + 2) + "__add_k.sql");
      out.add("db/migration/V" + (i + 2) + "__add_k.sql:migration/missing-lock-timeout:1");
    }
    return out;
  }
}
