package dev.tollgate.contracts.warmup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/** The thread a warm-up runs on, for the gate's and the workers' alike. */
public final class WarmupThread {
  /** The most {@code gate.warmup} and {@code worker.warmup} may be: ready waits for the warm-up. */
  public static final java.time.Duration MAX_BUDGET = java.time.Duration.ofMinutes(5);

  private final Runner thread;

  private WarmupThread(Runner thread) {
    this.thread = thread;
  }

  /** The warm-up's thread, with the flag {@link #cancel} sets. */
  private static final class Runner extends Thread {
    private volatile boolean cancelled;

    Runner(Runnable body, String name) {
      super(body, name);
    }
  }

  /**
   * Runs {@code body} on a daemon thread named {@code name} (a hung warm-up never keeps the process alive) and
   * completes {@code done} when it ends, whatever happened: a warm-up that throws is handed to {@code failed} and the
   * process starts cold, slower but not wrong.
   */
  public static WarmupThread start(String name, Runnable body, Consumer<RuntimeException> failed, CompletableFuture<Void> done) {
    Runner t = new Runner(() -> {
      try {
        body.run();
      } catch (RuntimeException e) {
        failed.accept(e);
      } finally {
        done.complete(null);
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return new WarmupThread(t);
  }

  /**
   * Asks the warm-up to stop: the service closes, and a warm-up still running would only spend its CPU. Its loops end
   * at their next batch or round ({@link #cancelled}), {@link JitQueue#drain} at once. A flag and an unpark, not an
   * interrupt: an interrupt closes the NIO channel a probe is reading (JGit's pack files) and fails its rules.
   */
  public void cancel() {
    thread.cancelled = true;
    LockSupport.unpark(thread);
  }

  /**
   * True once the current thread was asked to stop: {@link #cancel} on a warm-up's thread, or an interrupt on any
   * thread (an interrupted thread's {@code parkNanos} returns at once: a wait that ignored it would busy-poll).
   */
  public static boolean cancelled() {
    Thread current = Thread.currentThread();
    return current instanceof Runner r && r.cancelled || current.isInterrupted();
  }

  /**
   * The thread of one kind of warm-up in this process (the gate's, the workers'), for {@link #cancel} from its
   * service's close.
   */
  public static final class Running {
    private final AtomicReference<WarmupThread> thread = new AtomicReference<>();

    /** {@link WarmupThread#start}, remembered for {@link #cancel}. */
    public void start(String name, Runnable body, Consumer<RuntimeException> failed, CompletableFuture<Void> done) {
      thread.set(WarmupThread.start(name, body, failed, done));
    }

    /** Stops the warm-up if one was started and still runs ({@link WarmupThread#cancel}). */
    public void cancel() {
      WarmupThread running = thread.get();
      if (running != null) {
        running.cancel();
      }
    }
  }
}
