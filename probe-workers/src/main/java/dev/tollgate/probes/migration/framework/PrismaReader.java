package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.Framework;
import dev.tollgate.probes.migration.Migration;
import dev.tollgate.probes.migration.OrmModel;
import dev.tollgate.probes.migration.Unread;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.migration.sql.SqlScript;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prisma Migrate ({@code <dir>/migrations/<timestamp>_<name>/migration.sql}): the SQL file as {@code prisma migrate
 * deploy} sends it — the whole script in one query, so on PostgreSQL a script of several statements is one implicit
 * transaction and a single statement runs alone — in the dialect of {@code migration_lock.toml} (else the
 * {@code datasource} of {@code schema.prisma}); the models of {@code schema.prisma} for the old-code check.
 * docs/rules/migration/prisma.md.
 */
public final class PrismaReader implements FrameworkReader {
  private static final Pattern PATH = Pattern.compile("(^|/)migrations/(\\d+)_[^/]+/migration\\.sql$");
  private static final Pattern PROVIDER = Pattern.compile("(?m)^\\s*provider\\s*=\\s*\"([^\"]+)\"");
  private static final Pattern DATASOURCE = Pattern.compile("(?s)datasource\\s+\\w+\\s*\\{(.*?)}");
  private static final Pattern BLOCK = Pattern.compile("(?m)^\\s*(model|view)\\s+(\\w+)\\s*\\{");
  private static final Pattern MODEL_NAME = Pattern.compile("(?m)^\\s*(model|view|enum|type)\\s+(\\w+)\\s*\\{");
  private static final Pattern FIELD = Pattern.compile("^\\s*(\\w+)\\s+(\\w+)(\\(\"[^\"]*\"\\))?(\\[])?(\\?)?(.*)$");
  private static final Pattern MAP = Pattern.compile("@map\\(\\s*(?:name:\\s*)?\"([^\"]+)\"");
  private static final Pattern TABLE_MAP = Pattern.compile("^\\s*@@map\\(\\s*(?:name:\\s*)?\"([^\"]+)\"");
  private static final Set<String> SCALARS = Set.of("String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime",
      "Json", "Bytes", "Unsupported");

  @Override
  public Framework framework() {
    return Framework.PRISMA;
  }

  @Override
  public boolean claims(String path) {
    return path.endsWith("/migration.sql") && PATH.matcher(path).find();
  }

  @Override
  public Migration read(MigrationSource source) {
    Matcher m = PATH.matcher(source.path());
    String version = m.find() ? m.group(2) : null;
    String migrationDir = source.directory(); // .../migrations/<ts>_<name>/
    String migrationsDir = parent(migrationDir); // .../migrations/
    String provider = provider(source.files(), migrationsDir);
    Dialect dialect = provider == null ? source.dialectOr(Dialect.POSTGRESQL) : switch (provider) {
      case "postgresql", "postgres", "cockroachdb" -> Dialect.POSTGRESQL;
      case "mysql" -> Dialect.MYSQL;
      default -> null;
    };
    MigrationBuilder b = new MigrationBuilder(source, Framework.PRISMA, version, dialect == null ? Dialect.POSTGRESQL : dialect);
    if (dialect == null) {
      b.unread(1, "provider = \"" + provider + "\"", "Prisma migrations for " + provider + ": the probe reads PostgreSQL"
          + " and MySQL only", Unread.Kind.SCHEMA);
      return b.build();
    }
    String text = source.text();
    long statements = SqlScript.parse(text, 0, text.length(), 1, dialect).statements().stream()
        .filter(s -> !(s.command() instanceof Command.Transaction)).count();
    // Prisma sends the script as one simple query: PostgreSQL runs a multi-statement query as one implicit transaction
    // (so CREATE INDEX CONCURRENTLY fails there) and a single statement on its own.
    b.unit(statements > 1 ? "Prisma sends this migration as one query: PostgreSQL runs its statements in one implicit"
        + " transaction" : "Prisma runs this one-statement migration on its own", 1, statements > 1);
    b.sqlAt(0, text.length(), 1);
    return b.build();
  }

  /** The provider of {@code migration_lock.toml} in the migrations directory, else of a schema.prisma beside it. */
  static String provider(RepoFiles files, String migrationsDir) {
    Optional<String> lock = files.read(migrationsDir + "migration_lock.toml");
    if (lock.isPresent()) {
      Matcher p = PROVIDER.matcher(lock.get());
      if (p.find()) {
        return p.group(1).toLowerCase(Locale.ROOT);
      }
    }
    String prismaDir = parent(migrationsDir);
    for (String schema : List.of(prismaDir + "schema.prisma", prismaDir + "schema/schema.prisma")) {
      Optional<String> text = files.read(schema);
      if (text.isPresent()) {
        Matcher d = DATASOURCE.matcher(text.get());
        if (d.find()) {
          Matcher p = PROVIDER.matcher(d.group(1));
          if (p.find()) {
            return p.group(1).toLowerCase(Locale.ROOT);
          }
        }
      }
    }
    return null;
  }

  private static String parent(String dir) {
    if (dir.isEmpty()) {
      return "";
    }
    String d = dir.substring(0, dir.length() - 1);
    return d.substring(0, d.lastIndexOf('/') + 1);
  }

  @Override
  public boolean mayDefineModels(String path) {
    return path.endsWith(".prisma");
  }

  /**
   * The {@code model}s of a Prisma schema file: the table ({@code @@map}, else the model's name), each scalar field's
   * column ({@code @map}, else the field's name) — the client selects every scalar field by default — and the client
   * accessors ({@code prisma.user}). Relation fields are no columns; an {@code @ignore} field is not in the client (like
   * ActiveRecord's {@code ignored_columns}: dropping it passes) and an {@code @@ignore} model neither.
   */
  @Override
  public List<OrmModel> models(String path, String text, RepoFiles files) {
    Set<String> modelNames = new HashSet<>();
    Set<String> enums = new HashSet<>();
    collectNames(text, modelNames, enums);
    String dir = path.substring(0, path.lastIndexOf('/') + 1);
    for (String other : files.list(dir)) { // a multi-file schema: relations to models of the other files
      if (other.endsWith(".prisma") && !other.equals(path)) {
        files.read(other).ifPresent(t -> collectNames(t, modelNames, enums));
      }
    }
    List<OrmModel> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher start = BLOCK.matcher(lines[i]);
      if (!start.find()) {
        continue;
      }
      String model = start.group(2);
      int declared = i + 1;
      String table = model;
      boolean ignored = false;
      Map<String, Integer> columns = new LinkedHashMap<>();
      Map<String, Integer> ignoredColumns = new LinkedHashMap<>();
      for (i++; i < lines.length && !lines[i].strip().startsWith("}"); i++) {
        String line = stripComment(lines[i]);
        Matcher tm = TABLE_MAP.matcher(line);
        if (tm.find()) {
          table = tm.group(1);
          continue;
        }
        if (line.strip().startsWith("@@ignore")) {
          ignored = true;
        }
        Matcher f = FIELD.matcher(line);
        if (!f.find() || line.strip().startsWith("@")) {
          continue;
        }
        String type = f.group(2);
        String attrs = f.group(6);
        boolean relation = attrs.contains("@relation") || modelNames.contains(type)
            || f.group(4) != null && !SCALARS.contains(type) && !enums.contains(type);
        if (relation) {
          continue;
        }
        Matcher map = MAP.matcher(attrs);
        String column = map.find() ? map.group(1) : f.group(1);
        (attrs.contains("@ignore") ? ignoredColumns : columns).put(column, i + 1);
      }
      if (!ignored) {
        String accessor = Character.toLowerCase(model.charAt(0)) + model.substring(1);
        out.add(new OrmModel(Framework.PRISMA, model, table, path, declared, columns, ignoredColumns,
            List.of("prisma." + accessor, "db." + accessor, "tx." + accessor)));
      }
    }
    return out;
  }

  /** Model and view names (relations to them are no columns); enums and composite types are columns. */
  private static void collectNames(String text, Set<String> models, Set<String> enums) {
    Matcher m = MODEL_NAME.matcher(text);
    while (m.find()) {
      (m.group(1).equals("model") || m.group(1).equals("view") ? models : enums).add(m.group(2));
    }
  }

  /** The line without its {@code //} comment (a {@code //} inside a string, a URL default, stays). */
  private static String stripComment(String line) {
    boolean quoted = false;
    for (int k = 0; k < line.length(); k++) {
      char c = line.charAt(k);
      if (c == '"' && (k == 0 || line.charAt(k - 1) != '\\')) {
        quoted = !quoted;
      } else if (!quoted && c == '/' && k + 1 < line.length() && line.charAt(k + 1) == '/') {
        return line.substring(0, k);
      }
    }
    return line;
  }
}
