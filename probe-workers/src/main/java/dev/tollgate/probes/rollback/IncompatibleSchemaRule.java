package dev.tollgate.probes.rollback;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.BreakingChange;
import dev.tollgate.probes.migration.MigrationSet;
import dev.tollgate.probes.migration.OldCode;
import dev.tollgate.probes.migration.sql.Command;
import java.util.ArrayList;
import java.util.List;

/**
 * After this deploy's migrations the schema no longer fits the release running now, so rolling the code back to it
 * would break: the release still uses what a migration drops, renames, retypes or empties, or inserts without a new
 * required column.
 */
final class IncompatibleSchemaRule implements Rule {
  static final RuleId ID = RuleId.of("rollback/incompatible-schema");

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
    return "The release you would roll back to does not work on the schema this deploy leaves behind.";
  }

  @Override
  public String help() {
    return "Split the change (expand/contract): first ship a release that no longer needs the old schema, then change it.";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    if (ctx.changes().firstDeploy()) {
      return List.of(); // no release to roll back to
    }
    MigrationSet set = MigrationSet.of(ctx);
    List<BreakingChange> changes = BreakingChange.of(set);
    if (changes.isEmpty()) {
      return List.of();
    }
    OldCode old = set.oldCode();
    String target = "`" + ctx.changes().baseline().orElseThrow().substring(0, 7) + "`";
    List<RuleViolation> out = new ArrayList<>();
    for (BreakingChange c : changes) {
      String where = c.statement().path() + ":" + c.statement().line();
      String what = what(c);
      if (old.filesSearched() == 0) {
        // Nothing to search proves nothing: fail closed, as the migration probe does.
        out.add(RuleViolation.at(c.statement().path(), c.statement().line(), "This deploy " + what + " (" + where + "), and"
            + " the release you would roll back to (" + target + ") has no application code in this repository to"
            + " search, so nothing shows it would still work afterwards.").withFix(fix(c)));
        continue;
      }
      OldCode.Usage usage = usage(c, old);
      if (!usage.used()) {
        continue; // the contract step of expand/contract: the rollback target no longer uses it
      }
      boolean partialDelete = c.kind() == BreakingChange.Kind.DELETE_ROWS
          && c.statement().command() instanceof Command.Delete d && d.where() != null;
      boolean inserting = isInsert(c) && usage.subject().equals(c.table().name());
      RuleViolation v = RuleViolation.at(c.statement().path(), c.statement().line(), "Rolling back to " + target
          + " after this deploy would run code that " + (inserting ? "inserts into `" : "uses `") + usage.subject()
          + "` (" + usage.evidence(3) + "), but " + where + " " + what + ": " + consequence(c))
          .withFix(fix(c));
      // Deleting some rows leaves a table the old code can still use; only the rows are gone.
      out.add(partialDelete ? v.withSeverity(Severity.WARN) : v);
    }
    return out;
  }

  /** What the old code must not do after the change: read the object, or insert without the new column. */
  private static OldCode.Usage usage(BreakingChange c, OldCode old) {
    if (isInsert(c)) {
      OldCode.Usage inserts = old.inserts(c.table().name());
      return c.kind() == BreakingChange.Kind.SET_NOT_NULL && !inserts.used() ? c.usage(old) : inserts;
    }
    return c.usage(old);
  }

  private static boolean isInsert(BreakingChange c) {
    return c.kind() == BreakingChange.Kind.ADD_REQUIRED_COLUMN || c.kind() == BreakingChange.Kind.SET_NOT_NULL;
  }

  private static String what(BreakingChange c) {
    String s = "`" + c.subject() + "`";
    return switch (c.kind()) {
      case DROP_COLUMN -> "drops column " + s;
      case RENAME_COLUMN -> "renames column " + s + " to `" + c.newName() + "`";
      case DROP_TABLE -> "drops " + s;
      case RENAME_TABLE -> "renames " + s + " to `" + c.newName() + "`";
      case DROP_SCHEMA -> "drops schema " + s;
      case RENAME_SCHEMA -> "renames schema " + s + " to `" + c.newName() + "`";
      case RENAME_ENUM_VALUE -> "renames enum value " + s + " to `" + c.newName() + "`";
      case TRUNCATE -> "truncates " + s;
      case DELETE_ROWS -> "deletes rows of " + s;
      case ADD_REQUIRED_COLUMN -> "adds the NOT NULL column " + s + " without a default";
      case SET_NOT_NULL -> "makes " + s + " NOT NULL";
      case CHANGE_COLUMN_TYPE -> "changes the type of " + s;
    };
  }

  private static String consequence(BreakingChange c) {
    return switch (c.kind()) {
      case ADD_REQUIRED_COLUMN, SET_NOT_NULL -> "its inserts would fail with a NOT NULL violation.";
      case TRUNCATE, DELETE_ROWS -> "it would run on data that is gone, and no code rollback brings the rows back.";
      case CHANGE_COLUMN_TYPE -> "it would read and write the column with the old type.";
      default -> "its queries would fail on the first request that touches it.";
    };
  }

  private static String fix(BreakingChange c) {
    String s = "`" + c.subject() + "`";
    return switch (c.kind()) {
      case ADD_REQUIRED_COLUMN, SET_NOT_NULL -> "Add " + s + " as nullable or with a DEFAULT now; make it NOT NULL in a"
          + " later release, once the release you could roll back to writes it.";
      case CHANGE_COLUMN_TYPE -> "Add a column of the new type and write both; switch reads in the next release and drop"
          + " " + s + " a release later.";
      case TRUNCATE, DELETE_ROWS -> "Move the rows aside (an archive table) instead of deleting them in the release that"
          + " stops using " + s + "; delete them a release later.";
      default -> "Split it: first deploy a release that no longer uses " + s + " (it becomes the rollback target), then"
          + " " + (c.kind().name().startsWith("RENAME") ? "rename" : "drop") + " it in the next deploy.";
    };
  }
}
