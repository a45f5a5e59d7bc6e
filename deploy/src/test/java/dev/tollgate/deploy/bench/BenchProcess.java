package dev.tollgate.deploy.bench;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A JVM a bench starts as its own process (a Tollgate gate, a Kafka broker), and what Linux and the JVM say about it:
 * resident memory, threads, open files and CPU time from {@code /proc/<pid>}, heap after a full collection over JMX
 * (attached through the JDK's attach API: no port of our own). Output goes to a log file beside the bench's data.
 */
final class BenchProcess implements AutoCloseable {
  /** Linux clock ticks per second ({@code getconf CLK_TCK}), the unit of /proc/<pid>/stat times. */
  private static final long CLK_TCK = 100;

  private final String name;
  private final Process process;
  private JMXConnector jmx;
  private MBeanServerConnection mbeans;

  private BenchProcess(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  /** Starts {@code command} with its output appended to {@code log}. */
  static BenchProcess start(String name, List<String> command, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    return new BenchProcess(name, p);
  }

  /** {@code java} of the JDK running the bench, with the given JVM options, then {@code args}. */
  static List<String> java(List<String> jvmOptions, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of(args));
    return cmd;
  }

  long pid() {
    return process.pid();
  }

  String name() {
    return name;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** What /proc says now. */
  record Sample(long rssKb, int threads, int openFiles, long cpuMillis) {}

  Sample sample() {
    Path proc = Path.of("/proc", Long.toString(pid()));
    try {
      long rss = 0;
      int threads = 0;
      for (String line : Files.readAllLines(proc.resolve("status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
        } else if (line.startsWith("Threads:")) {
          threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
        }
      }
      int files;
      try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
        files = (int) fds.count();
      }
      return new Sample(rss, threads, files, cpuMillis());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc of " + name + " (" + pid() + ")", e);
    }
  }

  /** User + system CPU time of the process so far. */
  long cpuMillis() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
      // Fields after the command name (which may hold spaces), 1-based from the state field: utime is 12th, stime 13th.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / CLK_TCK;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/" + pid() + "/stat", e);
    }
  }

  /**
   * User + system CPU time so far per thread name, from {@code /proc/<pid>/task/*}: threads whose names differ only in
   * digits are summed ("C2 CompilerThread0" and "1" are one entry). Linux keeps 15 characters of a thread's name.
   */
  Map<String, Long> threadCpuMillis() {
    Map<String, Long> byName = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "N");
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          byName.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / CLK_TCK, Long::sum);
        } catch (NoSuchFileException e) {
          // the thread ended between the listing and the read
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/" + pid() + "/task", e);
    }
    return byName;
  }

  /** Heap after a full collection, and how long that collection took. */
  record Heap(long usedBytes, long gcMillis) {}

  /**
   * Forces a full collection in the process (System.gc() over JMX) and reads the heap right after: what is live.
   * The collection pauses the process; benches do it once a minute and say so.
   */
  Heap heapAfterGc() throws Exception {
    MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(mbeans(), ManagementFactory.MEMORY_MXBEAN_NAME,
        MemoryMXBean.class);
    long before = gcMillis();
    memory.gc();
    return new Heap(memory.getHeapMemoryUsage().getUsed(), gcMillis() - before);
  }

  /** Total time the process spent in collections so far. */
  long gcMillis() throws Exception {
    long total = 0;
    for (ObjectName n : mbeans().queryNames(new ObjectName(ManagementFactory.GARBAGE_COLLECTOR_MXBEAN_DOMAIN_TYPE + ",*"), null)) {
      total += ManagementFactory.newPlatformMXBeanProxy(mbeans(), n.toString(), GarbageCollectorMXBean.class).getCollectionTime();
    }
    return total;
  }

  /**
   * The {@code attribute} of every MBean matching {@code pattern}, summed per value of the name's {@code key} (e.g.
   * Kafka's request metrics, one MBean per request type and version, summed per request type).
   */
  Map<String, Long> mbeanCounts(String pattern, String key, String attribute) throws Exception {
    Map<String, Long> sums = new TreeMap<>();
    for (ObjectName n : mbeans().queryNames(new ObjectName(pattern), null)) {
      String k = n.getKeyProperty(key);
      if (k != null && mbeans().getAttribute(n, attribute) instanceof Number v) {
        sums.merge(k, v.longValue(), Long::sum);
      }
    }
    return sums;
  }

  private MBeanServerConnection mbeans() throws Exception {
    if (mbeans == null) {
      VirtualMachine vm = VirtualMachine.attach(Long.toString(pid()));
      try {
        jmx = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
        mbeans = jmx.getMBeanServerConnection();
      } finally {
        vm.detach();
      }
    }
    return mbeans;
  }

  /** Polls {@code url} until it answers 200, the process dies, or {@code timeout} passes. */
  void awaitHttp200(String url, Duration timeout) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + " before " + url + " answered");
      }
      try {
        if (client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(name + ": " + url + " not 200 within " + timeout);
  }

  /** Stops the process: SIGTERM, then SIGKILL after 30 s. */
  @Override
  public void close() {
    try {
      if (jmx != null) {
        jmx.close();
      }
    } catch (IOException e) {
      // the process may be gone already
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
