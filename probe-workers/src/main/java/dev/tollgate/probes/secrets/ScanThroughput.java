package dev.tollgate.probes.secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * In-process throughput of the scanner (issue #3 asks for at least 100 MB/s per core, JVM start excluded): loads a
 * tree into memory, warms the JIT up, then scans it on one thread several times and prints MB per second of that
 * thread's CPU time (per core, robust to other processes on a shared machine) and of wall time.
 *
 * <pre>java -cp tollgate.jar dev.tollgate.probes.secrets.ScanThroughput DIR [ROUNDS]</pre>
 */
public final class ScanThroughput {
  private ScanThroughput() {}

  /** Prints bytes, findings and MB/s of the best and the median round. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: ScanThroughput DIR [ROUNDS]");
      System.exit(2);
    }
    Path root = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<String> names = new ArrayList<>();
    List<byte[]> contents = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        if (!p.toString().contains("/.git/")) {
          names.add(root.relativize(p).toString());
          contents.add(Files.readAllBytes(p));
        }
      }
    }
    long bytes = contents.stream().mapToLong(b -> b.length).sum();
    SecretScanner scanner = new SecretScanner(RuleBook.standard(), RepoSecretsConfig.none(), null);
    for (int i = 0; i < 3; i++) {
      scanAll(scanner, names, contents); // JIT warm-up
    }
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    double[] cpuMbps = new double[rounds];
    double[] wallMbps = new double[rounds];
    int findings = 0;
    for (int r = 0; r < rounds; r++) {
      long c0 = cpu.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      findings = scanAll(scanner, names, contents);
      wallMbps[r] = bytes / 1e6 / ((System.nanoTime() - t0) / 1e9);
      cpuMbps[r] = bytes / 1e6 / ((cpu.getCurrentThreadCpuTime() - c0) / 1e9);
    }
    java.util.Arrays.sort(cpuMbps);
    java.util.Arrays.sort(wallMbps);
    System.out.printf(Locale.ROOT, "scanned %d files, %.1f MB, %d findings; one thread, median of %d rounds: %.0f MB/s of CPU time "
        + "(best %.0f), %.0f MB/s of wall time%n", names.size(), bytes / 1e6, findings, rounds, cpuMbps[rounds / 2],
        cpuMbps[rounds - 1], wallMbps[rounds / 2]);
  }

  private static int scanAll(SecretScanner scanner, List<String> names, List<byte[]> contents) {
    int n = 0;
    for (int i = 0; i < names.size(); i++) {
      n += scanner.scanFile(names.get(i), contents.get(i)).size();
    }
    return n;
  }
}
