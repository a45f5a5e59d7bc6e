package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * CONCURRENTLY in a Flyway migration while Flyway holds its PostgreSQL lock as a transaction-level advisory lock
 * (the default since 9.1.2): the concurrent build waits for Flyway's own open transaction, forever
 * (flyway#3497, #3682, #3854).
 */
final class FlywayConcurrentlyAdvisoryLockRule extends MigrationRule {
  FlywayConcurrentlyAdvisoryLockRule() {
    super("flyway-concurrently-advisory-lock", Severity.WARN,
        "CONCURRENTLY in a Flyway migration can wait forever for Flyway's own transaction-level advisory lock.",
        "Set flyway.postgresql.transactional.lock=false (Spring: spring.flyway.postgresql.transactional-lock=false).");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.POSTGRESQL)) {
      return out;
    }
    if (Boolean.FALSE.equals(set.flywayTransactionalLock())
        || !set.has(Framework.FLYWAY) && !set.has(Framework.FLYWAY_JAVA)) {
      return out;
    }
    Set<Migration> reported = new HashSet<>();
    for (MigrationStatement s : set.statementsOf(Command.CreateIndex.class, Command.DropIndex.class, Command.Reindex.class)) {
      Framework f = s.migration().framework();
      if (s.dialect() != Dialect.POSTGRESQL || f != Framework.FLYWAY && f != Framework.FLYWAY_JAVA
          || reported.contains(s.migration()) || !concurrent(s.command())) {
        continue;
      }
      reported.add(s.migration());
      out.add(at(s, "Flyway (9.1.2+) holds its PostgreSQL schema-history lock as a transaction-level advisory lock, and `"
          + s.statement().excerpt() + "` waits for every older transaction, including Flyway's own: the migration can hang"
          + " forever (flyway#3497), and with several instances migrating at start-up they can deadlock (flyway#1654).",
          "Set flyway.postgresql.transactional.lock=false (Spring Boot: spring.flyway.postgresql.transactional-lock=false),"
              + " or tell Tollgate it is set: migrations.flyway.transactionalLock: false. Run long concurrent builds as a"
              + " separate job, not at pod start-up."));
    }
    return out;
  }

  private static boolean concurrent(Command c) {
    return c instanceof Command.CreateIndex ci && ci.concurrently() || c instanceof Command.DropIndex di && di.concurrently()
        || c instanceof Command.Reindex r && r.concurrently();
  }
}
