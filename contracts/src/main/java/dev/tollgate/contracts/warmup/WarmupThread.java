package dev.tollgate.contracts.warmup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/** The thread a warm-up runs on, for the gate's and the workers' alike. */
public final class WarmupThread {
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

  /** True on a warm-up's thread once it was asked to stop (elsewhere: when the thread is interrupted). */
  public static boolean cancelled() {
    Thread current = Thread.currentThread();
    return current instanceof Runner r ? r.cancelled : current.isInterrupted();
  }
}
