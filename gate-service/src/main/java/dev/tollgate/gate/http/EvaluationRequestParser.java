package dev.tollgate.gate.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.contracts.Checks;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.RepositoryLocation;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.gate.GateConfig;
import dev.tollgate.gate.auth.Principal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Validates the body of {@code POST /api/v1/evaluations}. Strict: unknown fields, duplicate keys and wrong types
 * are 400s naming the field, so a typo never silently changes what is checked.
 *
 * <pre>
 * {"repository": "https://github.com/acme/shop", "environment": "production",
 *  "candidate": "3f2c...", "baseline": "a1b2...", "probes": ["secrets"], "requestedBy": "jane", "tenant": "acme"}
 * </pre>
 */
public final class EvaluationRequestParser {
  private static final ObjectMapper STRICT = Json.mapper().copy().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final Set<String> FIELDS = Set.of("repository", "environment", "candidate", "baseline", "probes",
      "requestedBy", "tenant");
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");
  private static final Pattern ACTOR = Pattern.compile("[\\p{L}\\p{N} ._@+-]{1,100}");

  private final GateConfig config;

  public EvaluationRequestParser(GateConfig config) {
    this.config = config;
  }

  /** A rejected request: HTTP status, the field at fault (or null), and why. */
  public static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String field;

    Rejected(int status, String field, String detail) {
      super(detail, null, false, false);
      this.status = status;
      this.field = field;
    }
  }

  /** A valid request, ready to become an {@code EvaluationRequested}. */
  public record Parsed(String evaluationId, DeployTarget target, List<ProbeId> extraProbes, String requestedBy,
      String idempotencyKey, String fingerprint) {}

  /**
   * Validates a request body.
   *
   * @param idempotencyKey the {@code Idempotency-Key} header, or null
   * @throws Rejected with a status and the field at fault
   */
  public Parsed parse(byte[] body, Principal principal, String idempotencyKey) throws Rejected {
    if (body == null || body.length == 0) {
      throw new Rejected(400, null, "expected a JSON object body");
    }
    JsonNode root;
    try {
      root = STRICT.readTree(body);
    } catch (JsonProcessingException e) {
      throw new Rejected(400, null, "body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new Rejected(400, null, "body could not be read");
    }
    if (root == null || !root.isObject()) {
      throw new Rejected(400, null, "expected a JSON object body");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new Rejected(400, f, "unknown field \"" + Checks.abbreviate(f) + "\" (expected: " + new TreeSet<>(FIELDS) + ")");
      }
    }
    String tenant = tenant(root, principal);
    String repository = repository(root);
    String environment = requiredText(root, "environment");
    if (config.policy().environment(environment).isEmpty()) {
      throw new Rejected(400, "environment", "unknown environment \"" + Checks.abbreviate(environment) + "\" (configured: "
          + config.policy().environments().keySet() + ")");
    }
    String candidate = commit(root, "candidate", true);
    String baseline = commit(root, "baseline", false);
    List<ProbeId> probes = probes(root);
    String requestedBy = principal.name();
    JsonNode actor = root.path("requestedBy");
    if (!actor.isMissingNode() && !actor.isNull()) {
      if (!actor.isTextual() || !ACTOR.matcher(actor.asText()).matches()) {
        throw new Rejected(400, "requestedBy", "expected a name of up to 100 letters, digits, spaces or ._@+-");
      }
      requestedBy = actor.asText() + " (token " + principal.name() + ")";
    }
    if (idempotencyKey != null && !KEY.matcher(idempotencyKey).matches()) {
      throw new Rejected(400, "Idempotency-Key", "expected 1-200 visible ASCII characters");
    }
    DeployTarget target = new DeployTarget(tenant, repository, environment, candidate, baseline);
    String fingerprint = fingerprint(target, probes);
    String id = idempotencyKey == null ? UUID.randomUUID().toString() : idFromKey(tenant, idempotencyKey);
    return new Parsed(id, target, probes, requestedBy, idempotencyKey, fingerprint);
  }

  private String tenant(JsonNode root, Principal principal) throws Rejected {
    JsonNode t = root.path("tenant");
    String tenant;
    if (t.isMissingNode() || t.isNull()) {
      List<String> own = principal.tenants().stream().filter(x -> !x.equals("*")).sorted().toList();
      tenant = own.size() == 1 ? own.get(0) : config.defaultTenant();
      if (tenant == null) {
        throw new Rejected(400, "tenant", "this token may use several tenants: name one in \"tenant\"");
      }
    } else {
      if (!t.isTextual()) {
        throw new Rejected(400, "tenant", "expected a string");
      }
      tenant = t.asText();
      if (!config.tenants().contains(tenant)) {
        throw new Rejected(400, "tenant", "unknown tenant \"" + Checks.abbreviate(tenant) + "\"");
      }
    }
    if (!principal.canAccess(tenant)) {
      throw new Rejected(403, "tenant", "token \"" + principal.name() + "\" may not act for tenant \"" + tenant + "\"");
    }
    return tenant;
  }

  private String repository(JsonNode root) throws Rejected {
    String raw = requiredText(root, "repository");
    RepositoryLocation location;
    try {
      location = RepositoryLocation.parse(raw);
    } catch (IllegalArgumentException e) {
      throw new Rejected(400, "repository", e.getMessage().replaceFirst("^repository: ", ""));
    }
    var rejection = config.allowList().rejection(location);
    if (rejection.isPresent()) {
      throw new Rejected(400, "repository", rejection.get());
    }
    return location.value();
  }

  private static String commit(JsonNode root, String field, boolean required) throws Rejected {
    JsonNode node = root.path(field);
    if (!required && (node.isMissingNode() || node.isNull())) {
      return null;
    }
    String value = requiredText(root, field).toLowerCase(Locale.ROOT);
    if (!Checks.isCommit(value)) {
      throw new Rejected(400, field, "expected a full commit id (40 hex characters, or 64 for SHA-256 repositories); "
          + "resolve branches and short ids with `git rev-parse`");
    }
    return value;
  }

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

  private static String requiredText(JsonNode root, String field) throws Rejected {
    JsonNode node = root.path(field);
    if (node.isMissingNode() || node.isNull()) {
      throw new Rejected(400, field, "\"" + field + "\" is required");
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      throw new Rejected(400, field, "expected a non-empty string");
    }
    return node.asText().strip();
  }

  static String fingerprint(DeployTarget target, List<ProbeId> probes) {
    String canonical = String.join("\n", target.tenant(), target.repository(), target.environment(), target.candidate(),
        String.valueOf(target.baseline()), new TreeSet<>(probes).toString());
    return sha256Hex(canonical).substring(0, 32);
  }

  /** A stable evaluation id for (tenant, idempotency key): a redelivered request maps to the same evaluation. */
  static String idFromKey(String tenant, String key) {
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
