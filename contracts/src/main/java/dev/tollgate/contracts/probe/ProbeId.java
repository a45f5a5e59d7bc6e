package dev.tollgate.contracts.probe;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Names a probe, e.g. {@code secrets}. A probe id is stable forever: configuration, rule ids and the audit
 * trail refer to it. Adding a probe adds a constant here (additive, no schema bump).
 */
public record ProbeId(String value) implements Comparable<ProbeId> {
  private static final Pattern FORM = Pattern.compile("[a-z][a-z0-9-]{0,39}");

  /** Rollback readiness: this deploy can be undone quickly and without data loss. */
  public static final ProbeId ROLLBACK = new ProbeId("rollback");
  /** Migration multi-instance safety: no migration breaks the instances still running the old release. */
  public static final ProbeId MIGRATIONS = new ProbeId("migrations");
  /** Secret leakage: what this deploy ships carries no credential. */
  public static final ProbeId SECRETS = new ProbeId("secrets");
  /** Environment parity: what goes to an environment passed the previous one, and their configs agree. */
  public static final ProbeId PARITY = new ProbeId("parity");
  /** Holiday and freeze calendars: never deploy into a freeze or a public holiday of the region served. */
  public static final ProbeId CALENDAR = new ProbeId("calendar");

  /** The probes Tollgate ships, alphabetically. */
  public static final List<ProbeId> KNOWN = List.of(CALENDAR, MIGRATIONS, PARITY, ROLLBACK, SECRETS);

  public ProbeId {
    if (value == null || !FORM.matcher(value).matches()) {
      throw new IllegalArgumentException("probe id: expected lower-case letters, digits and '-', starting with a letter, got "
          + (value == null ? "null" : "\"" + value + "\""));
    }
  }

  /** The shipped probes' ids are shared: a gate's views hold about twenty per evaluation, for days. */
  @JsonCreator
  public static ProbeId of(String value) {
    for (ProbeId known : KNOWN) {
      if (known.value.equals(value)) {
        return known;
      }
    }
    return new ProbeId(value);
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @Override
  public int compareTo(ProbeId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
