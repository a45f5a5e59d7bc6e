package dev.tollgate.probes.api;

import dev.tollgate.contracts.probe.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@code <probe>/read-incomplete}: what the probe had to read and could not read completely ({@link NotRead}) is a
 * finding, BLOCK unless the server's {@code readLimits} downgrades that limit for the environment (fail closed: a file
 * nobody read may hold exactly what the probe looks for). One class for every probe; each says what it reads.
 */
public final class ReadIncompleteRule implements Rule {
  private final RuleId id;
  private final String summary;
  private final String help;
  private final Function<RuleContext, List<NotRead>> notRead;

  /**
   * @param probePart the rule id's probe part ({@code migration}, {@code rollback}, {@code parity})
   * @param notRead what the probe could not read in a context (computed once by the probe's shared view)
   */
  public ReadIncompleteRule(String probePart, String summary, String help, Function<RuleContext, List<NotRead>> notRead) {
    this.id = RuleId.of(probePart + "/read-incomplete");
    this.summary = Objects.requireNonNull(summary, "summary");
    this.help = Objects.requireNonNull(help, "help");
    this.notRead = Objects.requireNonNull(notRead, "notRead");
  }

  @Override
  public RuleId id() {
    return id;
  }

  @Override
  public Severity severity() {
    return Severity.BLOCK;
  }

  @Override
  public String summary() {
    return summary;
  }

  @Override
  public String help() {
    return help;
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    ReadLimits limits = ReadLimits.of(ctx);
    Map<String, NotRead> byFile = new LinkedHashMap<>(); // one finding per file, whichever view reported it first
    for (NotRead n : notRead.apply(ctx)) {
      byFile.putIfAbsent(n.file() == null ? "" : n.file(), n);
    }
    List<RuleViolation> out = new ArrayList<>();
    for (NotRead n : byFile.values()) {
      out.add(limits.violation(n.limit(), n.file(), n.message()));
    }
    return out;
  }
}
