package dev.tollgate.contracts;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Argument checks for record constructors: messages say what was expected and what was found. */
public final class Checks {
  private static final Pattern HEX_SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  private static final Pattern ARTIFACT_DIGEST = Pattern.compile("sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128}");

  private Checks() {}

  /** Returns {@code value} or throws naming the field when it is null or blank. */
  public static String requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + ": expected a non-empty string, got " + (value == null ? "null" : "\"\""));
    }
    return value;
  }

  /** Returns {@code value} or throws naming the field when it is null. */
  public static <T> T requireValue(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + ": expected a value, got null");
    }
    return value;
  }

  /**
   * Checks an artifact digest as OCI and in-toto write it: {@code sha256:} and 64 lower-case hex characters (or
   * {@code sha384:}/{@code sha512:} with 96/128), the length the algorithm gives, so a truncated digest is refused.
   */
  public static String requireArtifactDigest(String value, String field) {
    requireText(value, field);
    if (!isArtifactDigest(value)) {
      throw new IllegalArgumentException(field + ": expected a digest like sha256:<64 lower-case hex characters>, got \""
          + abbreviate(value) + "\"");
    }
    return value;
  }

  /** True when {@code value} is a full artifact digest ({@link #requireArtifactDigest}). */
  public static boolean isArtifactDigest(String value) {
    return value != null && ARTIFACT_DIGEST.matcher(value).matches();
  }

  /**
   * {@code value} as a full artifact digest, lower-cased (an upper-case hex digest names the same image), or null when
   * it is not one: the one reading of a digest a person typed, for the API and the CLI alike.
   */
  public static String artifactDigestOf(String value) {
    String digest = value == null ? null : value.toLowerCase(java.util.Locale.ROOT);
    return isArtifactDigest(digest) ? digest : null;
  }

  /** Checks a full commit id: 40 (SHA-1) or 64 (SHA-256) lower-case hex characters. */
  public static String requireCommit(String value, String field) {
    requireText(value, field);
    if (!HEX_SHA.matcher(value).matches()) {
      throw new IllegalArgumentException(field + ": expected a full commit id (40 or 64 lower-case hex characters), got \""
          + abbreviate(value) + "\"");
    }
    return value;
  }

  /** True when {@code value} is a full lower-case commit id. */
  public static boolean isCommit(String value) {
    return value != null && HEX_SHA.matcher(value).matches();
  }

  /** Checks the schema version is one this code can read (N or N-1). */
  public static int requireSchemaVersion(int version, int current, String type) {
    if (version < Math.max(1, current - 1) || version > current) {
      throw new IllegalArgumentException(type + ".schemaVersion: expected " + Math.max(1, current - 1) + ".." + current
          + ", got " + version);
    }
    return version;
  }

  /** Null-safe immutable copy of a list. */
  public static <T> List<T> listOf(Collection<T> values) {
    return values == null ? List.of() : List.copyOf(values);
  }

  /** Null-safe immutable copy of a map. */
  public static <K, V> Map<K, V> mapOf(Map<K, V> values) {
    return values == null ? Map.of() : Map.copyOf(values);
  }

  /** Shortens a bad value for an error message, so an error never echoes a long (possibly secret) input. */
  public static String abbreviate(String value) {
    return value.length() <= 48 ? value : value.substring(0, 45) + "...";
  }
}
