package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.probes.api.Probe;
import dev.tollgate.probes.api.ReadIncompleteRule;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.ServerSettings;
import java.util.List;

/**
 * Migration multi-instance safety (issue #4): no migration in the deploy may stall the running release's traffic with a
 * lock, nor break the instances still running the old code. Rules follow docs/migration-rules.md; each has a page
 * under docs/rules/migration/.
 */
public final class MigrationSafetyProbe implements Probe {
  private static final List<Rule> RULES = List.of(
      new AddCheckValidatingRule(),
      new AddColumnRequiredRule(),
      new AddColumnSerialIdentityRule(),
      new AddColumnStoredGeneratedRule(),
      new AddExclusionConstraintRule(),
      new AddForeignKeyValidatingRule(),
      new AddJsonColumnRule(),
      new AddPrimaryKeyRule(),
      new AddUniqueConstraintRule(),
      new ChangeColumnTypeRule(),
      new CreateTriggerLockRule(),
      new DetachPartitionNotConcurrentRule(),
      new DomainConstraintRule(),
      new DropColumnRule(),
      new DropNotNullRule(),
      new DropSchemaDatabaseRule(),
      new DropTableRule(),
      new DynamicSqlRule(),
      new EditedAppliedMigrationRule(),
      new EnumAddValueInTransactionRule(),
      new FlywayConcurrentlyAdvisoryLockRule(),
      new InvalidConfigRule(),
      new LockTableRule(),
      new LongTxAfterExclusiveLockRule(),
      new MissingLockTimeoutRule(),
      new MysqlAddColumnExpressionDefaultRule(),
      new MysqlAlgorithmCopyRule(),
      new MysqlFulltextSpatialIndexRule(),
      new MysqlLockSharedExclusiveRule(),
      new MysqlTableCopyRule(),
      new PgAddColumnVolatileDefaultRule(),
      new PgConcurrentInTransactionRule(),
      new PgDropIndexNotConcurrentRule(),
      new PgIndexNotConcurrentRule(),
      new PgReindexNotConcurrentRule(),
      new ReadIncompleteRule("migration",
          "A migration could not be read, so what it does to the schema is unknown.",
          "Split the migration under worker.maxFileBytes (or have an operator raise it), and keep migrations text; an "
              + "operator may downgrade the limit for an environment (readLimits in the server's tollgate.yml).",
          ctx -> MigrationSet.of(ctx).notRead()),
      new RefreshMatviewNotConcurrentRule(),
      new RenameColumnRule(),
      new RenameEnumValueRule(),
      new RenameSchemaRule(),
      new RenameTableRule(),
      new SetNotNullRule(),
      new TableRewriteMaintenanceRule(),
      new TruncateRule(),
      new UnbatchedBackfillRule(),
      new UncheckedFrameworkRule(),
      new UnparseableSqlRule(),
      new UnreadableMigrationRule(),
      new ValidateInSameTransactionRule());

  @Override
  public ProbeId id() {
    return ProbeId.MIGRATIONS;
  }

  @Override
  public List<Rule> rules() {
    return RULES;
  }

  /** Which migration frameworks this deploy's migrations belong to, and how many of each were read. */
  @Override
  public String summary(RuleContext ctx) {
    return MigrationSet.of(ctx).summary();
  }

  @Override
  public List<String> validateServerSettings(ServerSettings settings) {
    return MigrationSettings.read(settings.section("migrations"), "tollgate.yml", null, ".tollgate.yml").problems();
  }

  @Override
  public List<String> validateRepositorySettings(dev.tollgate.probes.api.RepoConfig repo,
      dev.tollgate.probes.api.ServerSettings server, java.util.function.Function<String, java.util.Optional<String>> files) {
    return MigrationSettings.read(server.section("migrations"), "tollgate.yml", repo.section("migrations"),
        MigrationSet.label(repo.source())).problems();
  }
}
