package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.deploy.testing.TollgateCli;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17 for Django: {@code tollgate check --probes migrations} on a Django project's git repository (an app with
 * models, views with querysets and its migration history) and {@code lint-migrations} on its migration files.
 */
class DjangoMigrationsIT {
  @TempDir Path dir;

  private FixtureRepo project() throws Exception {
    Files.writeString(dir.resolve("tollgate.yml"), RailsMigrationsIT.CONFIG);
    Map<String, String> app = new LinkedHashMap<>();
    app.put("requirements.txt", "Django==5.1\npsycopg[binary]==3.2\n");
    app.put("shop/settings.py", "DATABASES = {\"default\": {\"ENGINE\": \"django.db.backends.postgresql\", \"NAME\": \"shop\"}}\n");
    app.put("accounts/__init__.py", "");
    app.put("accounts/models.py", """
        from django.db import models


        class Customer(models.Model):
            email = models.EmailField(unique=True)
            nickname = models.CharField(max_length=40, null=True)
        """);
    app.put("accounts/views.py", """
        from django.http import JsonResponse

        from .models import Customer


        def search(request):
            names = Customer.objects.filter(nickname__icontains=request.GET["q"]).values_list("nickname", flat=True)
            return JsonResponse(list(names), safe=False)
        """);
    app.put("accounts/migrations/__init__.py", "");
    app.put("accounts/migrations/0001_initial.py", """
        from django.db import migrations, models


        class Migration(migrations.Migration):
            initial = True

            operations = [
                migrations.CreateModel(
                    name="Customer",
                    fields=[
                        ("id", models.BigAutoField(primary_key=True, serialize=False)),
                        ("email", models.EmailField(max_length=254, unique=True)),
                        ("nickname", models.CharField(max_length=40, null=True)),
                    ],
                ),
            ]
        """);
    return FixtureRepo.create(dir.resolve("shop")).commit(app, "release 1").deployed();
  }

  private TollgateCli.Result check(FixtureRepo repo) throws Exception {
    return TollgateCli.run(dir, "check", "--repo", repo.dir().toString(), "--candidate", "HEAD", "--baseline", repo.baseline(),
        "--env", "production", "--config", dir.resolve("tollgate.yml").toString(), "--probes", "migrations");
  }

  @Test
  void removingAFieldTheRunningReleaseQueriesIsNoGo() throws Exception {
    FixtureRepo repo = project().commit("accounts/migrations/0002_remove_customer_nickname.py", """
        from django.db import migrations


        class Migration(migrations.Migration):
            dependencies = [("accounts", "0001_initial")]

            operations = [
                migrations.RemoveField(model_name="customer", name="nickname"),
            ]
        """);
    TollgateCli.Result r = check(repo);
    assertEquals(1, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("BLOCK migration/drop-column accounts/migrations/0002_remove_customer_nickname.py:8"), r.out());
    assertTrue(r.out().contains("accounts_customer.nickname") && r.out().contains("accounts/models.py:6")
        && r.out().contains("accounts/views.py:7"), r.out());
    assertTrue(r.out().contains("read 1 Django migration"), r.out());
  }

  @Test
  void addIndexConcurrentlyInANonAtomicMigrationIsGoAndLints() throws Exception {
    String migration = """
        from django.contrib.postgres.operations import AddIndexConcurrently
        from django.db import migrations, models


        class Migration(migrations.Migration):
            atomic = False
            dependencies = [("accounts", "0001_initial")]

            operations = [
                AddIndexConcurrently(
                    model_name="customer",
                    index=models.Index(fields=["nickname"], name="customer_nickname_idx"),
                ),
            ]
        """;
    FixtureRepo repo = project().commit(Map.of("accounts/migrations/0002_customer_nickname_idx.py", migration,
        "shop/settings.py", "DATABASES = {\"default\": {\"ENGINE\": \"django.db.backends.postgresql\"}}\n"
            + "# lock_timeout is set on the migration role\n",
        ".tollgate.yml", "migrations: {lockTimeoutSetByRole: true}\n"), "release 2");
    TollgateCli.Result r = check(repo);
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("VERDICT: GO"), r.out());

    TollgateCli.Result lint = TollgateCli.run(repo.dir(), "lint-migrations", "accounts/migrations/0002_customer_nickname_idx.py");
    assertTrue(lint.out().contains("0 errors"), lint.out() + lint.err());
    Path atomic = repo.dir().resolve("accounts/migrations/0003_atomic.py");
    Files.writeString(atomic, migration.replace("    atomic = False\n", ""));
    TollgateCli.Result bad = TollgateCli.run(repo.dir(), "lint-migrations", "accounts/migrations/0003_atomic.py");
    assertEquals(1, bad.exit(), bad.out() + bad.err());
    assertTrue(bad.out().contains("pg-concurrent-in-transaction"), bad.out());
  }
}
