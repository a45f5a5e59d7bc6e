package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.Framework;
import java.util.List;

/** The framework readers of the migrations probe: the one list to add a reader to. */
public final class FrameworkReaders {
  /** Every reader; where several claim a path by name, the first whose content check confirms it reads it. */
  public static final List<FrameworkReader> ALL = List.of(new RailsReader(), new DjangoReader(), new AlembicReader(),
      new PrismaReader(), new LaravelReader(), new KnexReader(), new TypeOrmReader(), new SequelizeReader(),
      new EfCoreReader(), new EctoReader(), new GooseReader(), new SqitchReader(), new FlywayJavaReader());

  private FrameworkReaders() {}

  /** The reader that claims {@code path}, else null. */
  public static FrameworkReader claiming(String path) {
    for (FrameworkReader r : ALL) {
      if (r.claims(path)) {
        return r;
      }
    }
    return null;
  }

  /**
   * The reader that claims {@code path} by name and whose content check confirms it, else one that recognizes its
   * content, else null (the CLI).
   */
  public static FrameworkReader claiming(String path, String text) {
    FrameworkReader r = confirmed(path, text);
    if (r != null) {
      return r;
    }
    for (FrameworkReader x : ALL) {
      if (x.claimsContent(path, text)) {
        return x;
      }
    }
    return null;
  }

  /**
   * The first reader that claims {@code path} by name and whose content check confirms it, else null: several readers
   * may claim a JavaScript file in a migrations directory (Knex, Sequelize, TypeORM), and its content says whose it is.
   */
  public static FrameworkReader confirmed(String path, String text) {
    for (FrameworkReader r : ALL) {
      if (r.claims(path) && r.confirms(path, text)) {
        return r;
      }
    }
    return null;
  }

  /** The reader of {@code framework}, else null. */
  public static FrameworkReader of(Framework framework) {
    for (FrameworkReader r : ALL) {
      if (r.framework() == framework) {
        return r;
      }
    }
    return null;
  }

  /** True when a reader claims {@code path} as a migration or a schema dump (not application code). */
  public static boolean isMigrationOrSchema(String path) {
    for (FrameworkReader r : ALL) {
      if (r.claims(path) || r.isSchemaFile(path)) {
        return true;
      }
    }
    return false;
  }
}
