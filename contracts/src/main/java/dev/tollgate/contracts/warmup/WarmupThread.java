package dev.tollgate.contracts.warmup;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** The thread a warm-up runs on, for the gate's and the workers' alike. */
public final class WarmupThread {
  private final Thread thread;

  private WarmupThread(Thread thread) {
    this.thread = thread;
  }

  /**
   * Runs {@code body} on a daemon thread named {@code name} (a hung warm-up never keeps the process alive) and
   * completes {@code done} when it ends, whatever happened: a warm-up that throws is handed to {@code failed} and the
   * process starts cold, slower but not wrong.
   */
  public static WarmupThread start(String name, Runnable body, Consumer<RuntimeException> failed, CompletableFuture<Void> done) {
    Thread t = new Thread(() -> {
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
   * Asks the warm-up to stop (an interrupt: the loops end at their next batch or round, {@link JitQueue#drain} at
   * once): the service closes, and a warm-up still running would only spend its CPU.
   */
  public void cancel() {
    thread.interrupt();
  }

  /** True until the warm-up's body ended. */
  public boolean isAlive() {
    return thread.isAlive();
  }
}
