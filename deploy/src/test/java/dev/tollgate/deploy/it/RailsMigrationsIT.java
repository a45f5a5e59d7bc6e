package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * Issue #17 as a user meets it: {@code tollgate check --probes migrations} on a Rails application's git repository
 * (models, controllers, db/schema.rb, strong_migrations), the running release at the baseline, a new migration in the
 * candidate; and {@code tollgate lint-migrations} on the migration files.
 */
class RailsMigrationsIT {
  @TempDir Path dir;

  static final String CONFIG = "environments:\n  production: {probes: {migrations: {}}}\n";

  private FixtureRepo application() throws Exception {
    Files.writeString(dir.resolve("tollgate.yml"), CONFIG);
    Map<String, String> app = new LinkedHashMap<>();
    app.put("Gemfile", "source \"https://rubygems.org\"\ngem \"rails\", \"~> 7.1\"\ngem \"pg\"\ngem \"strong_migrations\"\n");
    app.put("config/database.yml", "production:\n  adapter: postgresql\n  database: shop\n");
    app.put("config/initializers/strong_migrations.rb", "StrongMigrations.lock_timeout = 10.seconds\n");
    app.put("db/schema.rb", """
        ActiveRecord::Schema[7.1].define(version: 2024_05_01_000000) do
          create_table "users", force: :cascade do |t|
            t.string "email", null: false
            t.string "nickname"
            t.boolean "legacy_flag"
            t.timestamps
          end
        end
        """);
    app.put("db/migrate/20240501000000_create_users.rb", """
        class CreateUsers < ActiveRecord::Migration[7.1]
          def change
            create_table :users do |t|
              t.string :email, null: false
              t.string :nickname
              t.boolean :legacy_flag
              t.timestamps
            end
          end
        end
        """);
    app.put("app/models/application_record.rb", "class ApplicationRecord < ActiveRecord::Base\n  primary_abstract_class\nend\n");
    app.put("app/models/user.rb", """
        class User < ApplicationRecord
          self.ignored_columns += ["legacy_flag"]
        end
        """);
    app.put("app/controllers/users_controller.rb", """
        class UsersController < ApplicationController
          def show
            @user = User.find(params[:id])
            render plain: @user.nickname
          end
        end
        """);
    return FixtureRepo.create(dir.resolve("shop")).commit(app, "release 1").deployed();
  }

  private TollgateCli.Result check(FixtureRepo repo) throws Exception {
    return TollgateCli.run(dir, "check", "--repo", repo.dir().toString(), "--candidate", "HEAD", "--baseline", repo.baseline(),
        "--env", "production", "--config", dir.resolve("tollgate.yml").toString(), "--probes", "migrations");
  }

  @Test
  void removingAColumnTheRunningReleaseReadsIsNoGoWithTheEvidence() throws Exception {
    FixtureRepo repo = application().commit("db/migrate/20240601000000_remove_nickname.rb", """
        class RemoveNickname < ActiveRecord::Migration[7.1]
          def change
            remove_column :users, :nickname, :string
          end
        end
        """);
    TollgateCli.Result r = check(repo);
    assertEquals(1, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("VERDICT: NO_GO"), r.out());
    assertTrue(r.out().contains("BLOCK migration/drop-column db/migrate/20240601000000_remove_nickname.rb:3"), r.out());
    assertTrue(r.out().contains("app/models/user.rb:1") && r.out().contains("app/controllers/users_controller.rb:4"), r.out());
    assertTrue(r.out().contains("read 1 Rails migration"), r.out());
  }

  @Test
  void railsOwnSafePatternsAreGo() throws Exception {
    // A concurrent index with disable_ddl_transaction!, and dropping the column the model ignores.
    Map<String, String> safe = new LinkedHashMap<>();
    safe.put("db/migrate/20240601000000_index_nickname.rb", """
        class IndexNickname < ActiveRecord::Migration[7.1]
          disable_ddl_transaction!

          def change
            add_index :users, :nickname, algorithm: :concurrently
          end
        end
        """);
    safe.put("db/migrate/20240601000001_remove_legacy_flag.rb", """
        class RemoveLegacyFlag < ActiveRecord::Migration[7.1]
          def change
            safety_assured { remove_column :users, :legacy_flag, :boolean }
          end
        end
        """);
    FixtureRepo repo = application().commit(safe, "release 2");
    TollgateCli.Result r = check(repo);
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("VERDICT: GO"), r.out());
    assertTrue(r.out().contains("read 2 Rails migrations"), r.out());
    assertTrue(r.out().contains("INFO migration/drop-column"), "the contract step is shown: " + r.out());

    // lint-migrations has no running release to search, so like other linters it reports the drop as an error; the
    // concurrent index outside a transaction lints clean.
    TollgateCli.Result lint = TollgateCli.run(repo.dir(), "lint-migrations", "db/migrate/20240601000000_index_nickname.rb");
    assertEquals(0, lint.exit(), lint.out() + lint.err());
    assertTrue(lint.out().contains("1 file, 0 errors, 0 warnings: safe"), lint.out());
  }

  @Test
  void lintMigrationsReadsRailsFiles() throws Exception {
    Path unsafe = dir.resolve("db/migrate/20240601000000_index.rb");
    Files.createDirectories(unsafe.getParent());
    Files.writeString(unsafe, """
        class Index < ActiveRecord::Migration[7.1]
          def change
            add_index :users, :email, algorithm: :concurrently
          end
        end
        """);
    TollgateCli.Result r = TollgateCli.run(dir, "lint-migrations", "--format", "json", "db/migrate/20240601000000_index.rb");
    assertEquals(1, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("\"rule\":\"migration/pg-concurrent-in-transaction\""), r.out());
    assertFalse(r.out().contains("unparseable"), r.out());
  }
}
