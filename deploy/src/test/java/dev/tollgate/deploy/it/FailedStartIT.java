package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.warmup.WarmupThread;
import dev.tollgate.deploy.AllInOne;
import dev.tollgate.deploy.ServerConfigFile;
import dev.tollgate.deploy.testing.LogCapture;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.deploy.testing.Waits;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that fails (its HTTP port is taken by another process) must not leave the two warm-ups running: they began
 * before the failure (the probes' before the broker, the gate's with the gate) and would otherwise spend a core each for
 * their whole budget beside whatever the user does next (AllInOne's catch block cancels both). Nor may it leave the
 * gate's Kafka parts running: listening is the gate's last step, after its producer, views, Streams aggregator and
 * attestation replay started, and the failed start has no gate for AllInOne to stop (GateService.start stops them).
 *
 * <p>In a process of its own: a warm-up runs once per process, so in this JVM (where other tests started gates and
 * workers) the start would begin none and the test would prove nothing. The child holds the port, starts the all-in-one
 * on it against the shared test broker (no broker of its own), and writes what it saw; the wait for the threads to end
 * is a condition in the child. Its clock holds each warm-up at its first reading of the time until the warm-up is
 * cancelled ({@link HeldClock}): without the cancel, both would still run when the wait gives up, on any machine.
 */
class FailedStartIT {
  private static final Set<String> WARMUPS = Set.of("probe-warmup", "gate-warmup");

  @TempDir
  Path tmp;

  @Test
  void aStartOnATakenPortSaysSoAndLeavesNoWarmupAndNoGateThreadRunning() throws Exception {
    Path result = tmp.resolve("result.txt");
    Path output = tmp.resolve("child.log");
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp",
        classPath, Child.class.getName(), SharedKafka.bootstrap(), tmp.toString(), result.toString())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    try {
      assertTrue(child.waitFor(Waits.budget(Duration.ofSeconds(60)).toSeconds(), TimeUnit.SECONDS), "the child ends");
    } finally {
      child.destroyForcibly();
    }
    String log = Files.readString(output);
    assertEquals(0, child.exitValue(), log);
    List<String> seen = Files.readAllLines(result);
    String port = value(seen, "port");
    assertEquals("http.port: 127.0.0.1:" + port + " is already in use by another process: stop it, or choose another port "
        + "with --http-port or http.port", value(seen, "error"), log);
    assertEquals("[]", value(seen, "running"), "warm-up threads still running after " + value(seen, "waitedMs") + " ms: " + log);
    assertEquals("[]", value(seen, "gateThreads"), "gate threads still running " + value(seen, "gateWaitedMs")
        + " ms after the failed start: " + log);
    List<String> warmed = seen.stream().filter(l -> l.startsWith("log=")).toList();
    assertTrue(warmed.stream().anyMatch(l -> l.contains("event=worker.warmed") && l.contains("stoppedBy=CANCELLED")), warmed.toString());
    assertTrue(warmed.stream().anyMatch(l -> l.contains("event=gate.warmed") && l.contains("stoppedBy=CANCELLED")), warmed.toString());
  }

  private static String value(List<String> lines, String key) {
    return lines.stream().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + key + " in " + lines));
  }

  /**
   * The system clock, except on a warm-up's thread: held at its first reading until the warm-up is cancelled (at most
   * {@link WarmupThread#MAX_BUDGET}, the longest a warm-up may be configured to run). A warm-up that ended on its own
   * before the start failed (its rounds stopped getting faster) would make the test pass without any cancel.
   */
  static final class HeldClock extends Clock {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      if (WARMUPS.contains(Thread.currentThread().getName())) {
        long until = System.nanoTime() + WarmupThread.MAX_BUDGET.toNanos();
        while (!WarmupThread.cancelled() && System.nanoTime() < until) {
          LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
      }
      return Instant.now();
    }
  }

  /** The failing start, in a fresh process: args are the broker's bootstrap, a directory, and the file to write. */
  static final class Child {
    public static void main(String[] args) throws Exception {
      List<String> seen = new ArrayList<>();
      Path dir = Path.of(args[1]);
      Path config = Files.writeString(dir.resolve("tollgate.yml"), """
          tenants: [acme]
          kafka: {topicNamespace: it-%s, replicationFactor: 1, partitions: 2}
          environments:
            staging: {probes: {pass: {}}}
          """.formatted(UUID.randomUUID().toString().substring(0, 8)));
      try (LogCapture logs = new LogCapture();
           ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
        seen.add("port=" + taken.getLocalPort());
        try (AllInOne started = AllInOne.start(new AllInOne.Options(ServerConfigFile.load(config), dir.resolve("data"),
            taken.getLocalPort(), args[0], AllInOne.Role.ALL, TestProbes.registry(TestProbes.PASS), new HeldClock()))) {
          seen.add("error=none: it started on port " + started.httpPort());
        } catch (IllegalArgumentException e) {
          seen.add("error=" + e.getMessage());
        }
        long failed = System.nanoTime();
        long deadline = Waits.deadline(Duration.ofSeconds(5));
        Set<String> running;
        while (!(running = warmupThreads()).isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(20); // a poll of the threads, bounded by the deadline
        }
        seen.add("running=" + running.stream().sorted().toList());
        seen.add("waitedMs=" + (System.nanoTime() - failed) / 1_000_000);
        // Kafka closes its clients' threads as their close returns; a close bounded by a timeout may end them late.
        deadline = Waits.deadline(Duration.ofSeconds(10));
        Set<String> gate;
        while (!(gate = gateThreads()).isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(20); // a poll of the threads, bounded by the deadline
        }
        seen.add("gateThreads=" + gate.stream().sorted().toList());
        seen.add("gateWaitedMs=" + (System.nanoTime() - failed) / 1_000_000);
        logs.containing("warm").forEach(l -> seen.add("log=" + l));
      } catch (Exception | Error e) {
        e.printStackTrace();
        Files.write(Path.of(args[2]), seen);
        System.exit(1);
      }
      Files.write(Path.of(args[2]), seen);
      System.exit(0); // whatever threads the failed start left behind
    }

    /**
     * The gate's threads: Kafka clients' ({@code kafka-producer-network-thread | gate-publisher}, the admin client's),
     * the Streams aggregator's (named for its application id, {@code <namespace>.tollgate-gate-…-StreamThread-1}), and the
     * gate's own loops ({@code gate-views}, {@code gate-kafka-health}, {@code attestation-signer}). Nothing else in this
     * process uses Kafka: the broker is the shared one in the parent, and the workers never started.
     */
    private static Set<String> gateThreads() {
      return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
          .filter(n -> n.startsWith("kafka-") || n.contains("gate") || n.contains("StreamThread") || n.startsWith("attestation"))
          .collect(Collectors.toSet());
    }

    private static Set<String> warmupThreads() {
      return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).filter(WARMUPS::contains)
          .collect(Collectors.toSet());
    }
  }
}
