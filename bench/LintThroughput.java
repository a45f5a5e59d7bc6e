import dev.tollgate.probes.migration.MigrationLinter;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.migration.sql.SqlScript;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * In-process throughput of the migration linter (bench/migrations.sh compiles and runs it against the jar):
 * parse only, and the whole lint (parse, transaction units, schema replay, 46 rules), after warm-up. Reports both
 * wall-clock and this thread's CPU time, because the benchmark machine is shared: CPU time is what the linter costs.
 *
 * Usage: java -cp tollgate.jar:bench/out LintThroughput FILE [warmup] [runs]
 */
public final class LintThroughput {
  public static void main(String[] args) throws Exception {
    String sql = Files.readString(Path.of(args[0]));
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 7;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    MigrationLinter linter = new MigrationLinter("postgresql", null);
    int statements = 0;
    double[] parseWall = new double[runs], parseCpu = new double[runs], lintWall = new double[runs], lintCpu = new double[runs];
    for (int i = -warmup; i < runs; i++) {
      long w0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime();
      statements = SqlScript.parse(sql, Dialect.POSTGRESQL).statements().size();
      long w1 = System.nanoTime(), c1 = mx.getCurrentThreadCpuTime();
      linter.lint(args[0], sql);
      long w2 = System.nanoTime(), c2 = mx.getCurrentThreadCpuTime();
      if (i >= 0) {
        parseWall[i] = (w1 - w0) / 1e9;
        parseCpu[i] = (c1 - c0) / 1e9;
        lintWall[i] = (w2 - w1) / 1e9;
        lintCpu[i] = (c2 - c1) / 1e9;
      }
    }
    System.out.printf("in-process, %d statements, median of %d runs after %d warm-up runs:%n", statements, runs, warmup);
    System.out.printf("  parse only : %,.0f statements/s (wall), %,.0f statements/s (thread CPU)%n",
        statements / median(parseWall), statements / median(parseCpu));
    System.out.printf("  whole lint : %,.0f statements/s (wall), %,.0f statements/s (thread CPU)%n",
        statements / median(lintWall), statements / median(lintCpu));
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }
}
