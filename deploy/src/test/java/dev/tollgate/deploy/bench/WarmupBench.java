package dev.tollgate.deploy.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.gate.GateWarmup;
import dev.tollgate.gate.attestation.AttestationKey;
import dev.tollgate.gate.policy.ServerPolicy;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * What "ready" costs the first requests, in CPU (a measure load barely moves): in a fresh JVM, optionally warmed by
 * {@link GateWarmup} with {@code budget}, the gate's in-memory path (policy, view, Ed25519 signature, the JSON of every
 * message) is then run for {@code slices} slices of 250 ms, each reporting the evaluations done and the thread CPU per
 * evaluation. Run cold, warm and drained in separate JVMs, alternating ({@code bench/warmup.sh}). {@code warm}: the
 * warm-up's loop only; {@code drained}: the loop, then the wait for C2's queue the gate does before ready (issue #24,
 * round 5: what that wait buys the first requests).
 *
 * <p>Usage: {@code WarmupBench cold|warm|drained [budget-ms=5000] [slices=12]}
 */
public final class WarmupBench {
  private WarmupBench() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "warm";
    long budget = args.length > 1 ? Long.parseLong(args[1]) : 5000;
    int slices = args.length > 2 ? Integer.parseInt(args[2]) : 12;
    ServerPolicy policy = ServerPolicy.from(MissingNode.getInstance(), new ObjectMapper(new YAMLFactory()).readTree(
        "{production: {}, staging: {}}"), Set.copyOf(ProbeId.KNOWN));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (!mode.equals("cold")) {
      long cpu = threads.getCurrentThreadCpuTime();
      Duration drain = mode.equals("drained") ? Duration.ofMillis(budget / 2) : Duration.ZERO;
      GateWarmup.Report r = new GateWarmup(policy, AttestationKey.Kind.ED25519, Clock.systemUTC()).run(Duration.ofMillis(budget), drain);
      System.out.printf(Locale.ROOT, "%s warm-up: %d evaluations, %d ms, stopped by %s, thread CPU %d ms; C2 queue %d -> %d in %d ms (%s)%n",
          mode, r.evaluations(), r.loop().took().toMillis(), r.loop().stoppedBy(), (threads.getCurrentThreadCpuTime() - cpu) / 1_000_000,
          r.drain().queuedAtStart(), r.drain().queuedAtEnd(), r.drain().waited().toMillis(), r.drain().stoppedBy());
    }
    // "After ready": the same path, another instance (another key, other evaluation ids).
    GateWarmup requests = new GateWarmup(policy, AttestationKey.Kind.ED25519, Clock.systemUTC());
    for (int s = 0; s < slices; s++) {
      long cpu = threads.getCurrentThreadCpuTime();
      GateWarmup.Report r = requests.run(Duration.ofMillis(250), Duration.ZERO);
      long n = r.loop().units();
      System.out.printf(Locale.ROOT, "%s slice %2d (%5d-%5d ms after ready): %5d evaluations, %8.1f µs CPU each%n", mode, s,
          s * 250, (s + 1) * 250, n, (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / Math.max(1, n));
    }
  }
}
