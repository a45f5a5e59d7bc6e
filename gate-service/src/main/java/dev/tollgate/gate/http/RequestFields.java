package dev.tollgate.gate.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.contracts.Checks;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.evaluation.RepositoryLocation;
import dev.tollgate.gate.GateConfig;
import dev.tollgate.gate.auth.Principal;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Field validation shared by the API's request bodies: strict JSON (no unknown fields, no duplicate keys),
 * tenant, repository, environment and commit checks, each failure a {@link Rejected} naming the field.
 */
final class RequestFields {
  private static final ObjectMapper STRICT = Json.mapper().copy().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final GateConfig config;

  RequestFields(GateConfig config) {
    this.config = config;
  }

  /** A rejected request: HTTP status, the field at fault (or null), and why. */
  static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String field;

    Rejected(int status, String field, String detail) {
      super(detail, null, false, false);
      this.status = status;
      this.field = field;
    }
  }

  /**
   * Why a body is not JSON, in our words and with its place: Jackson's own messages name its internals (feature
   * flags, "REDACTED" sources, character codes), which mean nothing to a caller.
   */
  static String invalidJson(JsonProcessingException e) {
    String original = String.valueOf(e.getOriginalMessage());
    String what = original.startsWith("Duplicate field") ? "a field appears twice"
        : original.contains("end-of-input") ? "it ends before the JSON is complete"
        : "it is not valid JSON";
    return "body is not a JSON object: " + what
        + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
  }

  /** Parses a JSON object body that may only have {@code fields}. */
  static JsonNode object(byte[] body, Set<String> fields) throws Rejected {
    if (body == null || body.length == 0) {
      throw new Rejected(400, null, "expected a JSON object body");
    }
    JsonNode root;
    try {
      root = STRICT.readTree(body);
    } catch (JsonProcessingException e) {
      throw new Rejected(400, null, invalidJson(e));
    } catch (IOException e) {
      throw new Rejected(400, null, "body could not be read");
    }
    if (root == null || !root.isObject()) {
      throw new Rejected(400, null, "expected a JSON object body");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!fields.contains(f)) {
        throw new Rejected(400, f, "unknown field \"" + Checks.abbreviate(f) + "\" (expected: " + new TreeSet<>(fields) + ")");
      }
    }
    return root;
  }

  /** The tenant named in the body, else the token's only tenant, else the server's default. */
  String tenant(JsonNode root, Principal principal) throws Rejected {
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

  /** A repository the server allows, normalized. */
  String repository(JsonNode root) throws Rejected {
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

  /** A configured environment. */
  String environment(JsonNode root) throws Rejected {
    String environment = requiredText(root, "environment");
    if (config.policy().environment(environment).isEmpty()) {
      throw new Rejected(400, "environment", "unknown environment \"" + Checks.abbreviate(environment) + "\" (configured: "
          + config.policy().environments().keySet() + ")");
    }
    return environment;
  }

  /** A full commit id, lower-cased; null when optional and absent. */
  static String commit(JsonNode root, String field, boolean required) throws Rejected {
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

  /** A non-blank string. */
  static String requiredText(JsonNode root, String field) throws Rejected {
    JsonNode node = root.path(field);
    if (node.isMissingNode() || node.isNull()) {
      throw new Rejected(400, field, "\"" + field + "\" is required");
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      throw new Rejected(400, field, "expected a non-empty string");
    }
    return node.asText().strip();
  }

  /** An optional string of at most {@code max} characters matching {@code pattern}. */
  static String optionalText(JsonNode root, String field, java.util.regex.Pattern pattern, String expected) throws Rejected {
    JsonNode node = root.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.isTextual() || !pattern.matcher(node.asText()).matches()) {
      throw new Rejected(400, field, "expected " + expected);
    }
    return node.asText();
  }

  /**
   * The optional {@code artifactDigest} of a request (an evaluation, a deploy record): a full image digest, lower-cased.
   * A truncated or malformed digest is a 400, never ignored: an attestation would silently not name the image.
   */
  static String artifactDigest(JsonNode root) throws Rejected {
    JsonNode node = root.path("artifactDigest");
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    String digest = node.isTextual() ? Checks.artifactDigestOf(node.asText()) : null;
    if (digest == null) {
      throw new Rejected(400, "artifactDigest", "expected an artifact digest like sha256:<64 hex characters> (the image "
          + "digest, as docker inspect or crane digest print it), got " + (node.isTextual()
              ? "\"" + Checks.abbreviate(node.asText()) + "\"" : "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
    }
    return digest;
  }
}
