package dev.tollgate.gate.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.ConfigKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * API tokens, stored as SHA-256 hashes only. Tokens are 256 random bits, so a fast hash is enough: there is
 * nothing to brute-force, and a leaked config file reveals no usable token.
 *
 * <pre>
 * tokens:
 *   - name: ci-shop
 *     sha256: 9f86d08...   # `tollgate token new` prints it (`tollgate token hash` for an existing token)
 *     role: requester
 *     tenants: [acme]
 *   - name: argo-notifications
 *     sha256: 4e07408...
 *     role: requester
 *     tenants: [acme]
 *     deployReporter: true   # optional: its deploy reports are proof of deploys it did not request
 * </pre>
 */
public final class Tokens {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
  private static final Set<String> KEYS = Set.of("name", "sha256", "role", "tenants", "deployReporter");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Principal> byHash;

  private Tokens(Map<String, Principal> byHash) {
    this.byHash = Map.copyOf(byHash);
  }

  /**
   * One token entry.
   *
   * @param deployReporter its deploy reports count as proof of deploys it did not request (a CD system's token)
   */
  public record Entry(String name, String sha256, Role role, Set<String> tenants, boolean deployReporter) {
    /** An entry that is not a deploy reporter. */
    public Entry(String name, String sha256, Role role, Set<String> tenants) {
      this(name, sha256, role, tenants, false);
    }
  }

  /** Tokens from entries. */
  public static Tokens of(List<Entry> entries) {
    Map<String, Principal> map = new HashMap<>();
    Set<String> names = new LinkedHashSet<>();
    for (Entry e : entries) {
      if (!names.add(e.name())) {
        throw new IllegalArgumentException("tokens: two tokens are named \"" + e.name() + "\"");
      }
      if (map.put(e.sha256(), new Principal(e.name(), e.role(), e.tenants(), e.deployReporter())) != null) {
        throw new IllegalArgumentException("tokens: two tokens have the same hash (\"" + e.name() + "\")");
      }
    }
    return new Tokens(map);
  }

  /**
   * Reads the {@code tokens:} list.
   *
   * @throws IllegalArgumentException naming the key and the bad value (never a token)
   */
  public static List<Entry> parse(JsonNode node, Set<String> tenants) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException("tokens: expected a list");
    }
    List<Entry> entries = new ArrayList<>();
    int i = 0;
    for (JsonNode t : node) {
      String key = "tokens[" + i++ + "]";
      if (!t.isObject()) {
        throw new IllegalArgumentException(key + ": expected a mapping with name, sha256, role, tenants");
      }
      ConfigKeys.requireKnown(t, KEYS, key);
      String name = t.path("name").asText("");
      if (name.isBlank()) {
        throw new IllegalArgumentException(key + ".name: expected a non-empty string");
      }
      String hash = t.path("sha256").asText("").toLowerCase(java.util.Locale.ROOT);
      if (!HEX64.matcher(hash).matches()) {
        throw new IllegalArgumentException(key + ".sha256: expected 64 hex characters (the SHA-256 of the token, "
            + "printed by `tollgate token new`, or `tollgate token hash` for an existing token), got a value of length " + hash.length());
      }
      Role role = Role.parse(t.path("role").asText(""), key + ".role");
      Set<String> scoped = new LinkedHashSet<>();
      JsonNode ts = t.path("tenants");
      if (!ts.isArray() || ts.isEmpty()) {
        throw new IllegalArgumentException(key + ".tenants: expected a non-empty list of tenants (or [\"*\"])");
      }
      for (JsonNode tenant : ts) {
        String value = tenant.asText("");
        if (!value.equals("*") && !tenants.contains(value)) {
          throw new IllegalArgumentException(key + ".tenants: unknown tenant \"" + value + "\" (known: " + tenants + ")");
        }
        scoped.add(value);
      }
      JsonNode reporter = t.path("deployReporter");
      if (!reporter.isMissingNode() && !reporter.isBoolean()) {
        throw new IllegalArgumentException(key + ".deployReporter: expected true or false, got " + reporter.getNodeType()
            .name().toLowerCase(java.util.Locale.ROOT) + " \"" + reporter.asText() + "\"");
      }
      entries.add(new Entry(name, hash, role, scoped, reporter.asBoolean(false)));
    }
    return entries;
  }

  /** The principal a bearer token stands for. Compares hashes in constant time per entry. */
  public Optional<Principal> authenticate(String token) {
    if (token == null || token.isEmpty() || token.length() > 512) {
      return Optional.empty();
    }
    byte[] presented = HexFormat.of().parseHex(sha256(token));
    Principal found = null;
    for (Map.Entry<String, Principal> e : byHash.entrySet()) {
      if (MessageDigest.isEqual(presented, HexFormat.of().parseHex(e.getKey()))) {
        found = e.getValue();
      }
    }
    return Optional.ofNullable(found);
  }

  /** Number of configured tokens. */
  public int size() {
    return byHash.size();
  }

  /** Hex SHA-256 of a token, as stored in config. */
  public static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new random token: {@code tg_} and 43 base64url characters (256 bits). */
  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "tg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
