package dev.tollgate.gate.lock;

import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.lock.EnvironmentGateChanged;
import dev.tollgate.contracts.lock.LockRequested;
import dev.tollgate.gate.kafka.EventPublisher;
import dev.tollgate.gate.report.ReportText;
import dev.tollgate.gate.view.EnvironmentGates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one way a lock command is sent, whichever channel it came from (API, Slack): it registers for the outcome, then
 * publishes the command to the environment's single writer and completes with what that writer decided.
 */
public final class LockService {
  /** How long a command's outcome is waited for before the caller is told to look again. */
  public static final Duration OUTCOME_WAIT = Duration.ofSeconds(10);
  /** No control or bidirectional-override characters: a reason is shown on every platform. */
  private static final Pattern UNSAFE = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]");

  private final Vertx vertx;
  private final Topics topics;
  private final EventPublisher publisher;
  private final EnvironmentGates gates;

  public LockService(Vertx vertx, Topics topics, EventPublisher publisher, EnvironmentGates gates) {
    this.vertx = vertx;
    this.topics = topics;
    this.publisher = publisher;
    this.gates = gates;
  }

  /** Publishes {@code cmd} and completes with its outcome, or fails (Kafka down, or no outcome within the wait). */
  public Future<EnvironmentGateChanged.Outcome> send(LockRequested cmd) {
    var outcome = gates.outcome(cmd.tenant(), cmd.environment(), cmd.commandId(), OUTCOME_WAIT);
    return publisher.publish(topics.locksRequested(), cmd.environmentKey(), cmd)
        .compose(v -> Future.fromCompletionStage(outcome, vertx.getOrCreateContext()));
  }

  /** The environment's locks and queue as last published. */
  public Optional<EnvironmentGateChanged> state(String tenant, String environment) {
    return gates.get(tenant, environment);
  }

  /**
   * A lock's or a break's reason, stripped: 10-500 characters of one line, no control or direction-override characters,
   * credential-shaped strings masked. Masked here, once, because the reason goes everywhere verbatim from here on: the
   * command and state records, the audit, the API, Slack, the dashboard, the held verdicts and the platforms.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static String reason(String raw) {
    // The length the user typed, not the masked one: "got 505" for 495 characters typed would make no sense to them.
    String typed = raw == null ? "" : raw.strip();
    if (typed.length() < 10 || typed.length() > 500) {
      throw new IllegalArgumentException("expected 10-500 characters, got " + typed.length());
    }
    if (UNSAFE.matcher(typed).find()) {
      throw new IllegalArgumentException("one line of text: no control or direction-override characters");
    }
    // A mask may be longer than what it hides (a one-character URL password): still at most 500 characters.
    return ReportText.bounded(ReportText.maskTokens(typed), 500);
  }
}
