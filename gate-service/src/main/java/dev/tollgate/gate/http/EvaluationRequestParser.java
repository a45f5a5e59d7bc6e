package dev.tollgate.gate.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Checks;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.gate.GateConfig;
import dev.tollgate.gate.auth.Principal;
import dev.tollgate.gate.http.RequestFields.Rejected;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Validates the body of {@code POST /api/v1/evaluations}. Strict: unknown fields, duplicate keys and wrong types
 * are 400s naming the field, so a typo never silently changes what is checked.
 *
 * <pre>
 * {"repository": "https://github.com/acme/shop", "environment": "production",
 *  "candidate": "3f2c...", "baseline": "a1b2...", "probes": ["secrets"], "requestedBy": "jane", "tenant": "acme",
 *  "artifactDigest": "sha256:9f86..."}
 * </pre>
 *
 * The baseline is a wish: the gate keeps it only when it trusts it ({@code EvaluationSubmitter}). {@code requestedBy} is
 * a label for people, shown with the token's name; it never decides who may vote (the token does).
 */
public final class EvaluationRequestParser {
  private static final Set<String> FIELDS = Set.of("repository", "environment", "candidate", "baseline", "probes",
      "requestedBy", "tenant", "artifactDigest");
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");
  private static final Pattern ACTOR = Pattern.compile("[\\p{L}\\p{N} ._@+-]{1,100}");

  private final GateConfig config;
  private final RequestFields fields;

  public EvaluationRequestParser(GateConfig config) {
    this.config = config;
    this.fields = new RequestFields(config);
  }

  /**
   * A valid request, ready to become an {@code EvaluationRequested}.
   *
   * @param target the target as asked (baseline null when the caller gave none)
   * @param artifactDigest the artifact the deploy ships, lower-case ({@code sha256:<hex>}), or null
   */
  public record Parsed(DeployTarget target, List<ProbeId> extraProbes, String requestedBy, String idempotencyKey,
      String artifactDigest) {}

  /**
   * Validates a request body.
   *
   * @param idempotencyKey the {@code Idempotency-Key} header, or null
   * @throws Rejected with a status and the field at fault
   */
  Parsed parse(byte[] body, Principal principal, String idempotencyKey) throws Rejected {
    JsonNode root = RequestFields.object(body, FIELDS);
    String tenant = fields.tenant(root, principal);
    String repository = fields.repository(root);
    String environment = fields.environment(root);
    String candidate = RequestFields.commit(root, "candidate", true);
    String baseline = RequestFields.commit(root, "baseline", false);
    List<ProbeId> probes = probes(root);
    String actor = RequestFields.optionalText(root, "requestedBy", ACTOR, "a name of up to 100 letters, digits, spaces or ._@+-");
    String requestedBy = actor == null ? principal.name() : actor + " (token " + principal.name() + ")";
    if (idempotencyKey != null && !KEY.matcher(idempotencyKey).matches()) {
      throw new Rejected(400, "Idempotency-Key", "expected 1-200 visible ASCII characters");
    }
    return new Parsed(new DeployTarget(tenant, repository, environment, candidate, baseline), probes, requestedBy,
        idempotencyKey, RequestFields.artifactDigest(root));
  }

  /**
   * The artifact the deploy ships, as {@code sha256:<64 hex>} (or sha384/sha512 at their lengths): the image digest a
   * pipeline pins (OCI), named by the attestation so that an admission check can match the image to the verdict. A
   * truncated or malformed digest is a 400, never ignored: the attestation would silently not name the image.
   */
  private List<ProbeId> probes(JsonNode root) throws Rejected {
    JsonNode node = root.path("probes");
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new Rejected(400, "probes", "expected a list of probe names");
    }
    List<ProbeId> probes = new ArrayList<>();
    for (JsonNode p : node) {
      ProbeId id;
      try {
        id = ProbeId.of(p.asText());
      } catch (IllegalArgumentException e) {
        throw new Rejected(400, "probes", "\"" + Checks.abbreviate(p.asText()) + "\" is not a probe name");
      }
      if (!config.knownProbes().contains(id)) {
        throw new Rejected(400, "probes", "unknown probe \"" + id + "\" (known: " + new TreeSet<>(config.knownProbes()) + ")");
      }
      if (!probes.contains(id)) {
        probes.add(id);
      }
    }
    return probes;
  }
}
