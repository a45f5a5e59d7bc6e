package dev.tollgate.probes.secrets;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * In-process throughput of the scanner (issue #3 asks for at least 100 MB/s per core, JVM start excluded): loads a
 * tree into memory, warms the JIT up (until a round compiles next to nothing), then scans it on one thread several
 * times and prints MB per second of that thread's CPU time (per core, robust to other processes on a shared
 * machine), of the whole process's CPU time (the garbage collector's and the JIT's threads included) and of wall
 * time.
 *
 * <p>Given the compiled secrets package of another revision ({@code OTHER}: a directory of classes and its
 * {@code secrets/} rule data), it loads that scanner too, in its own class loader in the same JVM, and alternates
 * one round of each: both see the same load, the same heap and the same JIT, so the ratio of each pair of rounds
 * compares the scanners and not the moments they ran at (issue #18: separate runs on a shared machine spread from
 * 51 to 120 MB/s, more than the difference looked for).
 *
 * <pre>java -cp tollgate.jar dev.tollgate.probes.secrets.ScanThroughput DIR [ROUNDS [OTHER]]</pre>
 */
public final class ScanThroughput {
  /** Warm-up rounds at most, when the compiler never settles (a loaded machine). */
  private static final int MAX_WARM_UP = 15;

  private ScanThroughput() {}

  /** Prints bytes, findings and MB/s (median and best rounds), and with OTHER the median ratio of the pairs. */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: ScanThroughput DIR [ROUNDS [OTHER_CLASSES_DIR]]");
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
    List<Subject> subjects = new ArrayList<>();
    subjects.add(new Subject("this build", ScanThroughput.class.getClassLoader(), rounds));
    if (args.length > 2) {
      Path other = Path.of(args[2]).toAbsolutePath().normalize();
      // compare-<rev>/classes is named by its revision
      Path named = other.getFileName().toString().equals("classes") ? other.getParent() : other;
      subjects.add(new Subject(named.getFileName().toString(), new ChildFirst(other), rounds));
    }
    // JIT warm-up: at least 3 rounds of each, then until a round of all of them leaves the compiler (nearly) idle, so
    // the rounds measured run compiled code and the compiler's threads do not take the measured thread's core.
    java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    int warmUp = 0;
    long compiled = jit.getTotalCompilationTime();
    while (warmUp < 3 || (warmUp < MAX_WARM_UP && jit.getTotalCompilationTime() - compiled > 20)) {
      compiled = jit.getTotalCompilationTime();
      for (Subject s : subjects) {
        s.findings = s.scanAll(names, contents);
      }
      warmUp++;
    }
    System.out.printf(Locale.ROOT, "warm-up: %d rounds%n", warmUp);
    java.lang.management.ThreadMXBean threadCpu = java.lang.management.ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    for (int r = 0; r < rounds; r++) {
      for (Subject s : subjects) {
        long c0 = threadCpu.getCurrentThreadCpuTime();
        long p0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        s.findings = s.scanAll(names, contents);
        s.wall[r] = bytes / 1e6 / ((System.nanoTime() - t0) / 1e9);
        s.cpu[r] = bytes / 1e6 / ((threadCpu.getCurrentThreadCpuTime() - c0) / 1e9);
        s.process[r] = bytes / 1e6 / ((os.getProcessCpuTime() - p0) / 1e9);
      }
    }
    for (Subject s : subjects) {
      System.out.printf(Locale.ROOT, "%-12s %d files, %.1f MB, %d findings, %d rules; one thread, median of %d rounds: "
          + "%.0f MB/s of CPU time (best %.0f), %.0f MB/s of the process's CPU time, %.0f MB/s of wall time%n", s.name,
          names.size(), bytes / 1e6, s.findings, s.rules, rounds, median(s.cpu), max(s.cpu), median(s.process),
          median(s.wall));
    }
    if (subjects.size() == 2) {
      double[] ratio = new double[rounds];
      double[] processRatio = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        ratio[r] = subjects.get(0).cpu[r] / subjects.get(1).cpu[r];
        processRatio[r] = subjects.get(0).process[r] / subjects.get(1).process[r];
      }
      System.out.printf(Locale.ROOT, "this build / %s, median of %d pairs of rounds: %.2fx the MB/s of thread CPU time "
          + "(pairs %.2f-%.2f), %.2fx of the process's CPU time%n", subjects.get(1).name, rounds, median(ratio),
          min(ratio), max(ratio), median(processRatio));
    }
  }

  /** One scanner, loaded by its own class loader. */
  private static final class Subject {
    final String name;
    final Object scanner;
    final Method scanFile;
    final int rules;
    int findings;
    final double[] cpu;
    final double[] process;
    final double[] wall;

    Subject(String name, ClassLoader loader, int rounds) throws ReflectiveOperationException {
      this.name = name;
      this.cpu = new double[rounds];
      this.process = new double[rounds];
      this.wall = new double[rounds];
      String pkg = ScanThroughput.class.getPackageName() + ".";
      Class<?> bookType = Class.forName(pkg + "RuleBook", true, loader);
      Class<?> configType = Class.forName(pkg + "RepoSecretsConfig", true, loader);
      Class<?> scannerType = Class.forName(pkg + "SecretScanner", true, loader);
      Object book = bookType.getMethod("standard").invoke(null);
      this.rules = ((List<?>) bookType.getMethod("ids").invoke(book)).size();
      Constructor<?> make = scannerType.getConstructor(bookType, configType, byte[].class);
      this.scanner = make.newInstance(book, configType.getMethod("none").invoke(null), null);
      this.scanFile = scannerType.getMethod("scanFile", String.class, byte[].class);
    }

    int scanAll(List<String> names, List<byte[]> contents) throws ReflectiveOperationException {
      int n = 0;
      for (int i = 0; i < names.size(); i++) {
        n += ((List<?>) scanFile.invoke(scanner, names.get(i), contents.get(i))).size();
      }
      return n;
    }
  }

  /** Loads the secrets package and its rule data from a directory before the parent: the other revision's scanner. */
  private static final class ChildFirst extends URLClassLoader {
    private final String pkg = ScanThroughput.class.getPackageName() + ".";

    ChildFirst(Path classes) throws IOException {
      super(new URL[] {classes.toUri().toURL()}, ScanThroughput.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        if (!name.startsWith(pkg)) {
          return super.loadClass(name, resolve);
        }
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          c = findClass(name);
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }

    @Override
    public URL getResource(String name) {
      URL own = name.startsWith("secrets/") ? findResource(name) : null;
      return own != null ? own : super.getResource(name);
    }
  }

  private static double median(double[] xs) {
    double[] s = sorted(xs);
    return s[s.length / 2];
  }

  private static double max(double[] xs) {
    return Arrays.stream(xs).max().orElse(0);
  }

  private static double min(double[] xs) {
    return Arrays.stream(xs).min().orElse(0);
  }

  private static double[] sorted(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s;
  }
}
