package dev.tollgate.probes.api;

import java.util.regex.Pattern;

/**
 * A rule's public, permanent id: {@code <probe>/<kebab-case>}, e.g. {@code migration/drop-column}. Config,
 * Slack, waivers and docs refer to it; a renamed rule keeps its old id as an alias.
 */
public record RuleId(String value) implements Comparable<RuleId> {
  private static final Pattern FORM = Pattern.compile("[a-z][a-z0-9-]*/[a-z0-9]+(-[a-z0-9]+)*");

  public RuleId {
    if (value == null || !FORM.matcher(value).matches()) {
      throw new IllegalArgumentException("rule id: expected <probe>/<kebab-case>, got "
          + (value == null ? "null" : "\"" + value + "\""));
    }
  }

  /** Parses and validates a rule id. */
  public static RuleId of(String value) {
    return new RuleId(value);
  }

  /** The part before the slash. */
  public String probePart() {
    return value.substring(0, value.indexOf('/'));
  }

  @Override
  public int compareTo(RuleId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
