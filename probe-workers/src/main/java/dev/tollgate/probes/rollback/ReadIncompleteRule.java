package dev.tollgate.probes.rollback;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.NotRead;
import dev.tollgate.probes.api.ReadLimits;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.MigrationSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deploy manifest or a migration the probe needs could not be read (over the file limit, not valid YAML, an alias
 * bomb): the images it pins and the rollouts it configures are unknown, so the deploy cannot be shown to roll back.
 */
final class ReadIncompleteRule implements Rule {
  static final RuleId ID = RuleId.of("rollback/read-incomplete");

  @Override
  public RuleId id() {
    return ID;
  }

  @Override
  public Severity severity() {
    return Severity.BLOCK;
  }

  @Override
  public String summary() {
    return "A deploy manifest or migration could not be read, so whether this deploy can be rolled back is unknown.";
  }

  @Override
  public String help() {
    return "Make the file valid YAML without alias tricks and under worker.maxFileBytes, or list it in rollback.exclude "
        + "of .tollgate.yml when it is not a deploy manifest; an operator may downgrade the limit for an environment "
        + "(readLimits in the server's tollgate.yml).";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    ReadLimits limits = ReadLimits.of(ctx);
    Map<String, NotRead> byFile = new LinkedHashMap<>();
    for (NotRead n : Manifests.of(ctx).notRead()) {
      byFile.putIfAbsent(n.file(), n);
    }
    // The migrations tell whether the schema change can be undone: one not read may be the irreversible one.
    for (NotRead n : MigrationSet.of(ctx).notRead()) {
      byFile.putIfAbsent(n.file(), n);
    }
    List<RuleViolation> out = new ArrayList<>();
    for (NotRead n : byFile.values()) {
      out.add(limits.violation(n.limit(), n.file(), n.message()));
    }
    return out;
  }
}
