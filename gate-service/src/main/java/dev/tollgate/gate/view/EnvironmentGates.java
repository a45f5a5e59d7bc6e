package dev.tollgate.gate.view;

import dev.tollgate.contracts.lock.EnvironmentGateChanged;
import dev.tollgate.contracts.lock.LockRequested;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every environment's locks and queue as its single writer last published them (the compacted
 * {@code tollgate.environment-gates.changed}, read by every gate's views), and the outcome of lock commands this gate
 * is waiting for.
 */
public final class EnvironmentGates {
  private final Map<String, EnvironmentGateChanged> gates = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<EnvironmentGateChanged.Outcome>> waiting = new ConcurrentHashMap<>();

  void onChange(EnvironmentGateChanged changed) {
    gates.put(LockRequested.environmentKey(changed.tenant(), changed.environment()), changed);
    for (EnvironmentGateChanged.Outcome o : changed.outcomes()) {
      CompletableFuture<EnvironmentGateChanged.Outcome> f = waiting.remove(o.commandId());
      if (f != null) {
        f.complete(o);
      }
    }
  }

  /** The environment's state, if anything ever happened there. */
  public Optional<EnvironmentGateChanged> get(String tenant, String environment) {
    return Optional.ofNullable(gates.get(LockRequested.environmentKey(tenant, environment)));
  }

  /**
   * Registers interest in a command's outcome before it is published; the future completes when the environment's
   * state names it (or is already completed when it does).
   */
  public CompletableFuture<EnvironmentGateChanged.Outcome> outcome(String tenant, String environment, String commandId,
      Duration timeout) {
    CompletableFuture<EnvironmentGateChanged.Outcome> f = new CompletableFuture<>();
    waiting.put(commandId, f);
    get(tenant, environment).flatMap(g -> g.outcomes().stream().filter(o -> o.commandId().equals(commandId)).findFirst())
        .ifPresent(o -> {
          waiting.remove(commandId);
          f.complete(o);
        });
    return f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((o, e) -> waiting.remove(commandId));
  }
}
