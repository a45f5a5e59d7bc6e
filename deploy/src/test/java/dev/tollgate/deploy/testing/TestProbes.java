package dev.tollgate.deploy.testing;

import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Probe;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.runtime.ProbeRegistry;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Probes defined in test code to prove the framework's behaviour (fail closed, deadlines, redelivery): the
 * production registry lists only real probes.
 */
public final class TestProbes {
  /** Passes when the change set can be read: it counts the changed files, so a broken repository fails it. */
  public static final Probe PASS = probe("pass", Severity.INFO, ctx -> {
    ctx.changes().files();
    return List.of();
  });

  /** Always finds one blocking problem in the first changed file. */
  public static final Probe FAIL = probe("fail", Severity.BLOCK, ctx -> List.of(RuleViolation.at(
      ctx.changes().files().isEmpty() ? "-" : ctx.changes().files().get(0).path(), 1, "test rule always fails")));

  /** Always warns. */
  public static final Probe WARN = probe("warn", Severity.WARN, ctx -> List.of(RuleViolation.general("test rule warns")));

  /** Throws. */
  public static final Probe THROW = probe("throw", Severity.BLOCK, ctx -> {
    throw new IllegalStateException("boom with content that must not leak: hunter2");
  });

  /** Reports what history the gate attached: the rollback target's commit and the baseline. */
  public static final Probe HISTORY = probe("history", Severity.INFO, ctx -> List.of(RuleViolation.general(
      "baseline=" + ctx.changes().baseline().orElse("none") + " lastDeployed="
          + ctx.history().lastSuccessful().map(d -> d.commit()).orElse("none") + " deploys=" + ctx.history().deploys().size())));

  private TestProbes() {}

  /** Blocks like a freeze window until {@code until}, then passes: the gate should hold and re-evaluate. */
  public static Probe window(java.util.function.Supplier<java.time.Instant> until) {
    return probe("window", Severity.BLOCK, ctx -> ctx.clock().instant().isBefore(until.get())
        ? List.of(RuleViolation.general("frozen until " + until.get()).clearingAt(until.get()))
        : List.of());
  }

  /**
   * A window that ends {@code length} after the first check looks at it. A window fixed in wall-clock time before the
   * request ("ends in 4 s") is already over when a busy machine runs the check later, and the test then sees a GO
   * instead of a hold: this one is open at the first check, whenever that is, and over at the re-evaluation.
   */
  public static final class LazyWindow implements java.util.function.Supplier<java.time.Instant> {
    private final java.util.concurrent.atomic.AtomicReference<java.time.Instant> end = new java.util.concurrent.atomic.AtomicReference<>();
    private final java.time.Duration length;

    public LazyWindow(java.time.Duration length) {
      this.length = length;
    }

    @Override
    public java.time.Instant get() {
      return end.updateAndGet(e -> e != null ? e : java.time.Instant.now().plus(length));
    }

    /** The end, once a check has looked; null before. */
    public java.time.Instant end() {
      return end.get();
    }
  }

  /** A probe that blocks until {@link Gate#release()} (or 60 s), so tests can act while a check runs. */
  public static final class Gate {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    /** The blocking probe, id {@code slow}. */
    public Probe probe() {
      return TestProbes.probe("slow", Severity.INFO, ctx -> {
        entered.countDown();
        try {
          released.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted");
        }
        return List.of();
      });
    }

    /** Waits until a worker is inside the probe. */
    public boolean awaitEntered(long seconds) throws InterruptedException {
      return entered.await(seconds, TimeUnit.SECONDS);
    }

    /** Lets every run of the probe finish. */
    public void release() {
      released.countDown();
    }
  }

  /**
   * A probe that spins like a catastrophic regular expression: it never looks at the interrupt the worker sends at the
   * end of its budget, so its thread stays busy until {@link #release()}.
   */
  public static final class Spin {
    private final CountDownLatch entered = new CountDownLatch(1);
    private volatile boolean released;

    /** The spinning probe, id {@code spin}. */
    public Probe probe() {
      return TestProbes.probe("spin", Severity.INFO, ctx -> {
        entered.countDown();
        long x = 0;
        while (!released) {
          x += System.nanoTime() & 3; // busy work, no sleep: an interrupt does not end it
        }
        return x < 0 ? List.of(RuleViolation.general("never")) : List.of();
      });
    }

    public boolean awaitEntered(long seconds) throws InterruptedException {
      return entered.await(seconds, TimeUnit.SECONDS);
    }

    public void release() {
      released = true;
    }
  }

  /** Passes like {@link #PASS}, under another id: an environment with several passing probes. */
  public static Probe passing(String id) {
    return probe(id, Severity.INFO, ctx -> {
      ctx.changes().files();
      return List.of();
    });
  }

  /** A registry of the given probes. */
  public static ProbeRegistry registry(Probe... probes) {
    return new ProbeRegistry(List.of(probes));
  }

  static Probe probe(String id, Severity severity, Function<RuleContext, List<RuleViolation>> check) {
    Rule rule = new Rule() {
      @Override
      public RuleId id() {
        return RuleId.of("test/" + id);
      }

      @Override
      public Severity severity() {
        return severity;
      }

      @Override
      public String summary() {
        return "test probe " + id;
      }

      @Override
      public String help() {
        return "nothing to do: this is a test probe";
      }

      @Override
      public List<RuleViolation> check(RuleContext ctx) {
        return check.apply(ctx);
      }
    };
    return new Probe() {
      @Override
      public ProbeId id() {
        return ProbeId.of(id);
      }

      @Override
      public List<Rule> rules() {
        return List.of(rule);
      }
    };
  }
}
