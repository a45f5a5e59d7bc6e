package dev.tollgate.probes.migration.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.migration.MigrationSafetyProbe;
import dev.tollgate.probes.runtime.ProbeOutcome;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Django: every operation of issue #17 as an unsafe/safe twin through the whole migrations probe, on a repository
 * whose running release has an app ({@code apps.py} label {@code accounts}, so tables are {@code accounts_<model>}),
 * its models, a view using querysets, and the app's migration history (the model state Django renders against).
 * The lock timeout is declared set on the role, so missing-lock-timeout stays out of the way.
 */
class DjangoReaderTest {
  @TempDir Path dir;
  private int repos;

  static final String INITIAL = """
      from django.db import migrations, models
      import django.db.models.deletion


      class Migration(migrations.Migration):
          initial = True
          dependencies = []

          operations = [
              migrations.CreateModel(
                  name="User",
                  fields=[
                      ("id", models.BigAutoField(primary_key=True, serialize=False)),
                      ("email", models.EmailField(max_length=254, unique=True)),
                      ("nickname", models.CharField(max_length=40, null=True)),
                      ("legacy", models.BooleanField(null=True)),
                      ("plan", models.CharField(max_length=20, null=True)),
                  ],
              ),
              migrations.CreateModel(
                  name="Order",
                  fields=[
                      ("id", models.BigAutoField(primary_key=True, serialize=False)),
                      ("total", models.DecimalField(max_digits=10, decimal_places=2)),
                      ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="accounts.user")),
                  ],
                  options={"db_table": "shop_orders"},
              ),
          ]
      """;

  static final String MODELS = """
      from django.db import models


      class User(models.Model):
          email = models.EmailField(unique=True)
          nickname = models.CharField(max_length=40, null=True)
          plan = models.CharField(max_length=20, null=True)


      class Order(models.Model):
          total = models.DecimalField(max_digits=10, decimal_places=2)
          user = models.ForeignKey(User, on_delete=models.CASCADE)

          class Meta:
              db_table = "shop_orders"
      """;

  private FixtureRepo repo(Map<String, String> candidate) {
    Map<String, String> base = new LinkedHashMap<>();
    base.put("requirements.txt", "Django==5.1\npsycopg[binary]==3.2\n");
    base.put(".tollgate.yml", "migrations:\n  lockTimeoutSetByRole: true\n");
    base.put("users_app/__init__.py", "");
    base.put("users_app/apps.py", "from django.apps import AppConfig\n\nclass UsersConfig(AppConfig):\n    name = \"users_app\"\n    label = \"accounts\"\n");
    base.put("users_app/models.py", MODELS);
    base.put("users_app/migrations/__init__.py", "");
    base.put("users_app/migrations/0001_initial.py", INITIAL);
    base.put("users_app/views.py", """
        from .models import User


        def search(request):
            return User.objects.filter(nickname__icontains=request.GET["q"])
        """);
    return FixtureRepo.create(dir.resolve("r" + repos++)).commit(base, "release 1").deployed().commit(candidate, "release 2");
  }

  static String migration(String operations, boolean atomic) {
    return "from django.db import migrations, models\nfrom django.contrib.postgres.operations import"
        + " AddIndexConcurrently, RemoveIndexConcurrently, AddConstraintNotValid\nfrom django.db.models.functions import Now\n\n\n"
        + "class Migration(migrations.Migration):\n" + (atomic ? "" : "    atomic = False\n")
        + "    dependencies = [(\"accounts\", \"0001_initial\")]\n\n    operations = [\n" + operations.strip().indent(8) + "    ]\n";
  }

  private Set<String> findings(String operations) {
    return findings(operations, true);
  }

  private Set<String> findings(String operations, boolean atomic) {
    return RailsReaderTest.severe(run(Map.of("users_app/migrations/0002_change.py", migration(operations, atomic))));
  }

  private ProbeOutcome run(Map<String, String> candidate) {
    return RuleHarness.of(new MigrationSafetyProbe()).run(repo(candidate));
  }

  // ------------------------------------------------------------------ CreateModel / AddField

  @Test
  void flagsANewModelWhoseForeignKeyIsAddedToAnExistingTable() {
    // The table name comes from the app label (accounts), the FK target from the state CreateModel left.
    assertEquals(Set.of("BLOCK migration/add-foreign-key-validating:17", "BLOCK migration/long-tx-after-exclusive-lock:17",
        "BLOCK migration/pg-index-not-concurrent:17"), findings("""
        migrations.CreateModel(
            name="Team",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=80)),
            ],
        ),
        migrations.AddField(
            model_name="user",
            name="team",
            field=models.ForeignKey(null=True, on_delete=models.SET_NULL, to="accounts.team"),
        ),
        """));
  }

  @Test
  void passesCreateModelWithRelationsAndIndexesOnTheNewTable() {
    // Safe: a table created in this deploy holds no traffic yet.
    assertEquals(Set.of(), findings("""
        migrations.CreateModel(
            name="Team",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("slug", models.SlugField(unique=True)),
                ("owner", models.ForeignKey(on_delete=models.CASCADE, to="accounts.user")),
            ],
        ),
        """));
  }

  @Test
  void flagsAddFieldNotNullWhoseOneOffDefaultDjangoDropsAgain() {
    ProbeOutcome out = run(Map.of("users_app/migrations/0002_change.py", migration("""
        migrations.AddField(
            model_name="user",
            name="score",
            field=models.IntegerField(default=0),
            preserve_default=False,
        ),
        """, true)));
    assertEquals(Set.of("BLOCK migration/add-column-required:10"), RailsReaderTest.severe(out));
    Finding f = out.findings().stream().filter(x -> x.ruleId().equals("migration/add-column-required")).findFirst().orElseThrow();
    assertTrue(f.message().contains("with a DEFAULT that line 10 drops again"), f.message());
  }

  @Test
  void passesAddFieldNullableOrWithADatabaseDefault() {
    // Safe: nullable needs nothing from the old code; db_default (Django 5) stays in the database for old INSERTs.
    assertEquals(Set.of(), findings("""
        migrations.AddField(model_name="user", name="score", field=models.IntegerField(null=True)),
        migrations.AddField(model_name="user", name="active", field=models.BooleanField(db_default=True)),
        migrations.AddField(model_name="user", name="joined", field=models.DateTimeField(db_default=Now())),
        """));
  }

  // ------------------------------------------------------------------ RemoveField / RenameField

  @Test
  void flagsRemoveFieldTheRunningReleasesModelAndQuerysetsStillUse() {
    ProbeOutcome out = run(Map.of("users_app/migrations/0002_change.py", migration(
        "migrations.RemoveField(model_name=\"user\", name=\"nickname\"),", true)));
    Finding f = out.findings().stream().filter(x -> x.ruleId().equals("migration/drop-column")).findFirst().orElseThrow();
    assertEquals(Severity.BLOCK, f.severity());
    assertTrue(f.message().startsWith("Drops column `accounts_user.nickname`, but the running release still uses it at"
        + " users_app/models.py:6, users_app/views.py:5"), f.message());
  }

  @Test
  void passesRemoveFieldTheRunningReleaseNoLongerMaps() {
    // Safe: release N removed `legacy` from the model; dropping its column in N+1 is the contract step.
    ProbeOutcome out = run(Map.of("users_app/migrations/0002_change.py", migration(
        "migrations.RemoveField(model_name=\"user\", name=\"legacy\"),", true)));
    assertEquals(Set.of(), RailsReaderTest.severe(out));
    assertTrue(out.findings().stream().anyMatch(x -> x.ruleId().equals("migration/drop-column")
        && x.severity() == Severity.INFO), RuleHarness.render(out.findings()));
  }

  @Test
  void flagsRenameField() {
    assertEquals(Set.of("BLOCK migration/rename-column:10"), findings(
        "migrations.RenameField(model_name=\"user\", old_name=\"nickname\", new_name=\"handle\"),"));
  }

  @Test
  void passesRenameFieldThatKeepsTheColumn() {
    // Safe: db_column pins the column, so renaming the Python attribute runs no SQL.
    assertEquals(Set.of(), findings("""
        migrations.AlterField(model_name="user", name="nickname", field=models.CharField(max_length=40, null=True, db_column="nickname")),
        migrations.RenameField(model_name="user", old_name="nickname", new_name="handle"),
        """));
  }

  // ------------------------------------------------------------------ AlterField

  @Test
  void flagsAlterFieldThatChangesTheTypeOrSetsNotNull() {
    assertEquals(Set.of("BLOCK migration/change-column-type:10"), findings(
        "migrations.AlterField(model_name=\"user\", name=\"plan\", field=models.IntegerField(null=True)),"));
    assertEquals(Set.of("BLOCK migration/set-not-null:10"), findings(
        "migrations.AlterField(model_name=\"user\", name=\"plan\", field=models.CharField(max_length=20)),"));
  }

  @Test
  void passesAlterFieldThatChangesOnlyPythonOrWidens() {
    // Safe: choices/help_text run no SQL; varchar(20) -> varchar(50) needs no rewrite.
    assertEquals(Set.of(), findings("""
        migrations.AlterField(model_name="user", name="plan", field=models.CharField(max_length=20, null=True, choices=[("a", "A")], help_text="x")),
        migrations.AlterField(model_name="user", name="nickname", field=models.CharField(max_length=80, null=True)),
        """));
  }

  // ------------------------------------------------------------------ indexes

  @Test
  void flagsAddIndexAndAddIndexConcurrentlyInAnAtomicMigration() {
    assertEquals(Set.of("BLOCK migration/pg-index-not-concurrent:10"), findings(
        "migrations.AddIndex(model_name=\"user\", index=models.Index(fields=[\"plan\"], name=\"user_plan_idx\")),"));
    assertEquals(Set.of("BLOCK migration/pg-concurrent-in-transaction:10"), findings(
        "AddIndexConcurrently(model_name=\"user\", index=models.Index(fields=[\"plan\"], name=\"user_plan_idx\")),"));
  }

  @Test
  void passesAddIndexConcurrentlyInANonAtomicMigration() {
    // Safe: Django's own pattern, atomic = False and AddIndexConcurrently.
    assertEquals(Set.of(), findings(
        "AddIndexConcurrently(model_name=\"user\", index=models.Index(fields=[\"plan\"], name=\"user_plan_idx\")),", false));
  }

  @Test
  void flagsRemoveIndex() {
    assertEquals(Set.of("BLOCK migration/pg-drop-index-not-concurrent:10"), findings(
        "migrations.RemoveIndex(model_name=\"user\", name=\"user_email_idx\"),"));
  }

  @Test
  void passesRemoveIndexConcurrently() {
    // Safe: DROP INDEX CONCURRENTLY outside a transaction.
    assertEquals(Set.of(), findings("RemoveIndexConcurrently(model_name=\"user\", name=\"user_email_idx\"),", false));
  }

  // ------------------------------------------------------------------ constraints

  @Test
  void flagsAddConstraintAndAlterUniqueTogether() {
    assertEquals(Set.of("BLOCK migration/add-check-validating:10"), findings("""
        migrations.AddConstraint(model_name="order", constraint=models.CheckConstraint(condition=models.Q(total__gte=0), name="total_positive")),
        """));
    assertEquals(Set.of("BLOCK migration/add-unique-constraint:10"), findings(
        "migrations.AlterUniqueTogether(name=\"user\", unique_together={(\"plan\", \"nickname\")}),"));
  }

  @Test
  void passesAddConstraintNotValid() {
    // Safe: NOT VALID checks only new rows; ValidateConstraint later takes no blocking lock.
    assertEquals(Set.of(), findings("""
        AddConstraintNotValid(model_name="order", constraint=models.CheckConstraint(condition=models.Q(total__gte=0), name="total_positive")),
        """));
  }

  // ------------------------------------------------------------------ RunSQL / SeparateDatabaseAndState / RunPython

  @Test
  void flagsRunSqlThatDropsAColumnInUse() {
    assertEquals(Set.of("BLOCK migration/drop-column:11"), findings("""
        migrations.RunSQL(
            sql="ALTER TABLE accounts_user DROP COLUMN nickname",
            reverse_sql=migrations.RunSQL.noop,
        ),
        """));
  }

  @Test
  void passesRunSqlWithAConcurrentIndexInANonAtomicMigration() {
    // Safe: raw SQL read like any other; CONCURRENTLY outside a transaction; %s parameters are values.
    assertEquals(Set.of(), findings("""
        migrations.RunSQL(
            \"\"\"
            CREATE INDEX CONCURRENTLY IF NOT EXISTS user_plan_idx ON accounts_user (plan);
            \"\"\",
            reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS user_plan_idx",
        ),
        migrations.RunSQL([("UPDATE accounts_user SET plan = %s WHERE id = %s", ["free", 1])]),
        """, false));
  }

  @Test
  void flagsSeparateDatabaseAndStateThatDropsInTheDatabase() {
    assertEquals(Set.of("BLOCK migration/drop-column:11"), findings("""
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RemoveField(model_name="user", name="nickname")],
            state_operations=[migrations.RemoveField(model_name="user", name="nickname")],
        ),
        """));
  }

  @Test
  void passesSeparateDatabaseAndStateThatOnlyChangesTheState() {
    // Safe: saleor's expand step, the column stays in the database for the running release.
    assertEquals(Set.of(), findings("""
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField(model_name="user", name="nickname")],
        ),
        """));
  }

  @Test
  void flagsOperationsItCannotReadAndWarnsOnRunPython() {
    assertEquals(Set.of("BLOCK migration/unreadable-migration:10", "WARN migration/unreadable-migration:11"), findings("""
        thirdparty.AddFieldSafely(model_name="user", name="x"),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        """));
  }

  @Test
  void passesRunPythonNoop() {
    // Safe: a no-op runs nothing.
    assertEquals(Set.of(), findings("migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop),"));
  }

  @Test
  void theProbesReasonNamesDjangoAndModelsMapToTheLabelsTables() {
    ProbeOutcome out = run(Map.of("users_app/migrations/0002_change.py", migration(
        "migrations.RemoveField(model_name=\"order\", name=\"total\"),", true)));
    assertTrue(out.reason().endsWith("read 1 Django migration"), out.reason());
    assertTrue(out.findings().stream().anyMatch(f -> f.message().startsWith("Drops column `shop_orders.total`, but the"
        + " running release still uses it at users_app/models.py:11")), RuleHarness.render(out.findings()));
  }
}
