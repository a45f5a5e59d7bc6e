package dev.tollgate.kafka;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a start has started so far (Kafka clients, Streams, their threads), so that a later step that fails stops them
 * again: a failed start must not leave threads running in the process (a {@code serve} that reports a taken port, a test
 * that embeds the gate). The gate and the probe workers both use it.
 *
 * <p>{@link #stopAll} stops in reverse order, after a failed start and on a normal stop alike. Each part's close is
 * bounded by the part itself (every Kafka client and Streams close here takes a timeout). After a failed start, the
 * start's failure is what the caller reports; a part that fails to stop is logged (and added to it as suppressed), and
 * the rest are still stopped. Not thread-safe: one thread at a time (the start's, then the stop's).
 */
public final class StartedParts {
  private static final Logger log = LoggerFactory.getLogger(StartedParts.class);

  private record Part(String name, AutoCloseable stop) {}

  private final String owner;
  private final Deque<Part> parts = new ArrayDeque<>();

  /** @param owner what is starting ({@code gate}, {@code workers}), for the log */
  public StartedParts(String owner) {
    this.owner = owner;
  }

  /** Records {@code part} as started (or constructed: a Kafka client has threads from its constructor on); returns it. */
  public <T extends AutoCloseable> T add(String name, T part) {
    parts.push(new Part(name, part));
    return part;
  }

  /** Records how to stop a part that is not itself {@link AutoCloseable}. */
  public void onStop(String name, AutoCloseable stop) {
    parts.push(new Part(name, stop));
  }

  /**
   * Stops every part recorded so far, the last one first, because {@code failure} ended the start; a part that failed
   * to stop is added to {@code failure} as suppressed, for the caller to rethrow.
   */
  public void stopAll(Throwable failure) {
    log.atWarn().addKeyValue("event", owner + ".start.failed").addKeyValue("parts", parts.size())
        .log("{} start failed ({}): stopping the {} parts it started", owner, failure.toString(), parts.size());
    stopAll().forEach(e -> {
      if (e != failure) {
        failure.addSuppressed(e);
      }
    });
  }

  /**
   * Stops every part recorded so far, the last one first (a normal stop too); a part that fails to stop is logged and
   * the rest are still stopped. Returns those failures.
   */
  public List<Throwable> stopAll() {
    List<Throwable> failures = new ArrayList<>();
    while (!parts.isEmpty()) {
      Part part = parts.pop();
      try {
        part.stop().close();
      } catch (Exception | Error e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        log.atWarn().addKeyValue("event", owner + ".stop.failed").addKeyValue("part", part.name())
            .log("{} part {} did not stop cleanly: {}", owner, part.name(), e.toString());
        failures.add(e);
      }
    }
    return failures;
  }
}
