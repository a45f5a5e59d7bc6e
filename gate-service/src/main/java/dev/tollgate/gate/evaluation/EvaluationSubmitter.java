package dev.tollgate.gate.evaluation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.contracts.evaluation.GitHubOrigin;
import dev.tollgate.contracts.evaluation.GitLabOrigin;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.gate.kafka.EventPublisher;
import dev.tollgate.gate.view.EvaluationView;
import dev.tollgate.gate.view.EvaluationViews;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path from a request (API, webhook) to an {@code EvaluationRequested} on Kafka: chooses the baseline the gate
 * trusts (see {@link #baseline}), records who submitted it as authenticated, attaches the deploy history, enforces
 * idempotency keys (a retry or a redelivered webhook gets the same evaluation; a key reused for another request is a
 * conflict), and completes only once the broker acknowledged the record.
 */
public final class EvaluationSubmitter {
  private static final Logger log = LoggerFactory.getLogger(EvaluationSubmitter.class);

  private final String topic;
  private final EventPublisher publisher;
  private final EvaluationViews views;
  private final Clock clock;
  /** Accepted here but maybe not yet read back into the views: id → (tenant, fingerprint). */
  private final Cache<String, Known> recent;
  /** Publishes in progress on this instance, so a concurrent retry with the same key waits for the first. */
  private final Map<String, Future<Void>> inFlight = new ConcurrentHashMap<>();

  private record Known(String tenant, String fingerprint) {}

  /**
   * What to evaluate.
   *
   * @param target as asked; the baseline is the caller's wish, which the gate keeps only when it trusts it
   * @param requestedBy a label for people (the caller may choose it); it decides nothing
   * @param submittedBy the authenticated submitter: the token's name, or the platform identity of a webhook
   * @param deployers further platform identities bound to the deploy (who may not vote on it either)
   * @param idempotencyKey client key or webhook delivery key; null for none
   * @param fingerprint hash of what the caller asked, to tell a retry from a reused key
   * @param github where a request from GitHub came from (who to answer), else null
   * @param gitlab where a request from GitLab came from (who to answer), else null
   * @param artifactDigest the artifact the deploy ships ({@code sha256:<hex>}), when the caller named it, else null
   */
  public record Submission(String requestId, DeployTarget target, Source source, String requestedBy, String submittedBy,
      List<String> deployers, String deliveryId, String idempotencyKey, String fingerprint, List<ProbeId> extraProbes,
      GitHubOrigin github, GitLabOrigin gitlab, String artifactDigest) {
    public Submission {
      Objects.requireNonNull(submittedBy, "submittedBy");
      deployers = List.copyOf(deployers);
      extraProbes = List.copyOf(extraProbes);
    }

    /** A submission that names no artifact (the webhooks': their payloads carry no artifact digest). */
    public Submission(String requestId, DeployTarget target, Source source, String requestedBy, String submittedBy,
        List<String> deployers, String deliveryId, String idempotencyKey, String fingerprint, List<ProbeId> extraProbes,
        GitHubOrigin github, GitLabOrigin gitlab) {
      this(requestId, target, source, requestedBy, submittedBy, deployers, deliveryId, idempotencyKey, fingerprint, extraProbes,
          github, gitlab, null);
    }

    /** The evaluation id: derived from the key (so retries agree), else random. */
    public String evaluationId() {
      return idempotencyKey == null ? UUID.randomUUID().toString() : idFromKey(target.tenant(), idempotencyKey);
    }
  }

  /** What happened to a submission. */
  public sealed interface Outcome {
    /** The id of the evaluation. */
    String evaluationId();
  }

  /** Published now, or already known under the same key and request. */
  public record Accepted(String evaluationId, boolean replayed) implements Outcome {}

  /** The key was used before for a different request; nothing was published. */
  public record Conflict(String evaluationId) implements Outcome {}

  public EvaluationSubmitter(String topic, EventPublisher publisher, EvaluationViews views, Clock clock, MeterRegistry meters) {
    this.topic = topic;
    this.publisher = publisher;
    this.views = views;
    this.clock = clock;
    this.recent = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(10)).recordStats().build();
    CaffeineCacheMetrics.monitor(meters, recent, "tollgate.evaluations.accepted");
  }

  /** Submits; the future fails only when Kafka did not take the record. */
  public Future<Outcome> submit(Submission s) {
    String id = s.evaluationId();
    if (s.idempotencyKey() != null) {
      Optional<String> previous = knownFingerprint(id, s.target().tenant());
      if (previous.isPresent()) {
        return Future.succeededFuture(previous.get().equals(s.fingerprint()) ? new Accepted(id, true) : new Conflict(id));
      }
      Future<Void> running = inFlight.get(id);
      if (running != null) {
        return running.map(v -> new Accepted(id, true));
      }
    }
    DeployTarget asked = s.target();
    Baseline baseline = baseline(asked);
    DeployTarget target = new DeployTarget(asked.tenant(), asked.repository(), asked.environment(), asked.candidate(),
        baseline.used());
    DeployHistory history = views.historyFor(target.tenant(), target.repository(), target.environment(), target.candidate());
    EvaluationRequested request = EvaluationRequested.of(id, s.requestId(), target, s.source(), s.requestedBy(),
        s.deliveryId(), s.idempotencyKey(), s.fingerprint(), s.extraProbes(), clock.instant(), history)
        .withSubmitter(s.submittedBy(), s.deployers()).withUntrustedBaseline(baseline.untrusted())
        .withArtifactDigest(s.artifactDigest());
    if (s.github() != null) {
      request = request.withGitHub(s.github());
    }
    if (s.gitlab() != null) {
      request = request.withGitLab(s.gitlab());
    }
    Future<Void> published = publisher.publish(topic, request);
    if (s.idempotencyKey() != null) {
      inFlight.put(id, published);
    }
    return published.<Outcome>map(v -> {
      recent.put(id, new Known(target.tenant(), s.fingerprint()));
      log.atInfo().addKeyValue("event", "evaluation.requested").addKeyValue("requestId", s.requestId())
          .addKeyValue("evaluationId", id).addKeyValue("tenant", target.tenant())
          .addKeyValue("environment", target.environment()).addKeyValue("source", s.source().name().toLowerCase(java.util.Locale.ROOT))
          .log("evaluation requested");
      return new Accepted(id, false);
    }).onComplete(r -> inFlight.remove(id));
  }

  /**
   * The baseline the range is checked from, and the one the gate refused to trust.
   *
   * @param used null: a first deploy (the whole tree)
   * @param untrusted the baseline asked for, or last deployed, that was not used; null when none was refused
   */
  record Baseline(String used, String untrusted) {}

  /**
   * The baseline is the gate's, not the requester's: the one asked for counts only if Tollgate decided GO or OVERRIDDEN
   * for that commit in this tenant's repository and environment (so {@code baseline == candidate} is a no-op re-check
   * only for a candidate that passed already). Otherwise, and without one, the range starts at the newest deploy of the
   * environment Tollgate decided GO for (none: a first deploy, the whole tree). A deploy recorded without a GO is never
   * the start, so what it shipped is checked again. Index lookups only: no evaluation is scanned.
   */
  Baseline baseline(DeployTarget asked) {
    String tenant = asked.tenant();
    String repository = asked.repository();
    String environment = asked.environment();
    if (asked.baseline() != null && views.commitStatus(tenant, repository, environment, asked.baseline()).go()) {
      return new Baseline(asked.baseline(), null);
    }
    String trusted = views.lastTrustedDeploy(tenant, repository, environment).orElse(null);
    String untrusted = asked.baseline() != null ? asked.baseline()
        : views.lastDeployed(tenant, repository, environment).filter(c -> !c.equals(trusted)).orElse(null);
    return new Baseline(trusted, untrusted);
  }

  /** The tenant of an evaluation accepted here and perhaps not yet in the views. */
  public Optional<String> recentTenant(String id) {
    Known k = recent.getIfPresent(id);
    return k == null ? Optional.empty() : Optional.of(k.tenant());
  }

  private Optional<String> knownFingerprint(String id, String tenant) {
    Optional<EvaluationView> view = views.get(id).filter(v -> v.tenant().equals(tenant));
    if (view.isPresent()) {
      return Optional.ofNullable(view.get().requestFingerprint());
    }
    Known known = recent.getIfPresent(id);
    return known != null && known.tenant().equals(tenant) ? Optional.of(known.fingerprint()) : Optional.empty();
  }

  /** Hash of what identifies a request: the target as asked and the added probes. */
  public static String fingerprint(DeployTarget target, List<ProbeId> probes) {
    return fingerprint(target, probes, null);
  }

  /**
   * Hash of what identifies a request: the target as asked, the added probes and the artifact named (a retry with
   * another artifact is another request). Without an artifact, the same hash as before artifacts could be named.
   */
  public static String fingerprint(DeployTarget target, List<ProbeId> probes, String artifactDigest) {
    String canonical = String.join("\n", target.tenant(), target.repository(), target.environment(), target.candidate(),
        String.valueOf(target.baseline()), new TreeSet<>(probes).toString());
    return sha256Hex(artifactDigest == null ? canonical : canonical + "\n" + artifactDigest).substring(0, 32);
  }

  /** A stable evaluation id for (tenant, idempotency key): a redelivered request maps to the same evaluation. */
  public static String idFromKey(String tenant, String key) {
    byte[] h = HexFormat.of().parseHex(sha256Hex(tenant + "\u0000" + key));
    h[6] = (byte) ((h[6] & 0x0f) | 0x80); // version 8 (custom), RFC 9562
    h[8] = (byte) ((h[8] & 0x3f) | 0x80); // IETF variant
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (h[i] & 0xff);
      lsb = (lsb << 8) | (h[8 + i] & 0xff);
    }
    return new UUID(msb, lsb).toString();
  }

  private static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
