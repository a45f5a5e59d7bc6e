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
 * Issue #17 for Alembic: {@code tollgate check --probes migrations} on a SQLAlchemy application's git repository (models,
 * an Alembic script directory with its revisions) and {@code lint-migrations} on a revision.
 */
class AlembicMigrationsIT {
  @TempDir Path dir;

  private FixtureRepo application() throws Exception {
    Files.writeString(dir.resolve("tollgate.yml"), RailsMigrationsIT.CONFIG);
    Map<String, String> app = new LinkedHashMap<>();
    app.put("requirements.txt", "SQLAlchemy==2.0\nalembic==1.13\npsycopg2-binary==2.9\n");
    app.put("alembic.ini", "[alembic]\nscript_location = migrations\nsqlalchemy.url = postgresql://localhost/app\n");
    app.put("app/models.py", """
        from sqlalchemy import String
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


        class Base(DeclarativeBase):
            pass


        class Account(Base):
            __tablename__ = "accounts"
            id: Mapped[int] = mapped_column(primary_key=True)
            email: Mapped[str] = mapped_column(String(254))
            nickname: Mapped[str | None] = mapped_column(String(40))
        """);
    app.put("migrations/env.py", "from alembic import context\n");
    app.put("migrations/versions/a1b2c3d4e5f6_accounts.py", """
        from alembic import op
        import sqlalchemy as sa

        revision = "a1b2c3d4e5f6"
        down_revision = None


        def upgrade():
            op.create_table(
                "accounts",
                sa.Column("id", sa.Integer(), primary_key=True),
                sa.Column("email", sa.String(254), nullable=False),
                sa.Column("nickname", sa.String(40), nullable=True),
            )


        def downgrade():
            op.drop_table("accounts")
        """);
    return FixtureRepo.create(dir.resolve("app")).commit(app, "release 1").deployed();
  }

  private TollgateCli.Result check(FixtureRepo repo) throws Exception {
    return TollgateCli.run(dir, "check", "--repo", repo.dir().toString(), "--candidate", "HEAD", "--baseline", repo.baseline(),
        "--env", "production", "--config", dir.resolve("tollgate.yml").toString(), "--probes", "migrations");
  }

  private static String revision(String rev, String body) {
    return "from alembic import op\nimport sqlalchemy as sa\n\nrevision = \"" + rev + "\"\ndown_revision = \"a1b2c3d4e5f6\"\n\n\n"
        + "def upgrade():\n" + body.strip().indent(4) + "\n\ndef downgrade():\n    pass\n";
  }

  @Test
  void droppingAColumnTheModelMapsIsNoGo() throws Exception {
    FixtureRepo repo = application().commit("migrations/versions/b2c3d4e5f6a7_drop_nickname.py",
        revision("b2c3d4e5f6a7", "op.drop_column(\"accounts\", \"nickname\")"));
    TollgateCli.Result r = check(repo);
    assertEquals(1, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("BLOCK migration/drop-column migrations/versions/b2c3d4e5f6a7_drop_nickname.py:9"), r.out());
    assertTrue(r.out().contains("app/models.py:13"), r.out());
    assertTrue(r.out().contains("read 1 Alembic migration"), r.out());
  }

  @Test
  void aConcurrentIndexInAnAutocommitBlockIsGoAndLints() throws Exception {
    String rev = revision("c3d4e5f6a7b8", """
        with op.get_context().autocommit_block():
            op.execute("SET lock_timeout = '5s'")
            op.create_index("ix_accounts_nickname", "accounts", ["nickname"], postgresql_concurrently=True)
        """);
    FixtureRepo repo = application().commit("migrations/versions/c3d4e5f6a7b8_index.py", rev);
    TollgateCli.Result r = check(repo);
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("VERDICT: GO"), r.out());
    TollgateCli.Result lint = TollgateCli.run(repo.dir(), "lint-migrations", "migrations/versions");
    assertEquals(0, lint.exit(), lint.out() + lint.err());
    assertTrue(lint.out().contains("2 files, 0 errors"), lint.out());
  }
}
