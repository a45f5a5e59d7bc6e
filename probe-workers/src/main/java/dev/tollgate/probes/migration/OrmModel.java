package dev.tollgate.probes.migration;

import java.util.List;
import java.util.Map;

/**
 * A class of the running release that an ORM maps to a table (an ActiveRecord model, a Django model, a SQLAlchemy
 * declarative class, a Prisma model), as a framework reader found it in the baseline code. The old-code check uses it
 * to know that the running release reads a column even where no code names it: ORMs select and insert every column
 * they map.
 *
 * @param framework the ORM's framework
 * @param name the class (or Prisma model) name, e.g. {@code User}
 * @param table the table it maps to, as the ORM derives it ({@code users}, {@code accounts_user})
 * @param path file declaring it
 * @param line line of the declaration
 * @param columns the columns it maps, each with the line that maps it; null when the ORM maps every column of the
 *     table at run time (ActiveRecord reads the table's columns when the application boots)
 * @param ignoredColumns columns it explicitly does not map (ActiveRecord {@code self.ignored_columns}), with the line
 * @param accessors other spellings code uses for the model in queries, e.g. Prisma's client {@code prisma.user}; a
 *     file using one of them is about this table
 */
public record OrmModel(Framework framework, String name, String table, String path, int line,
    Map<String, Integer> columns, Map<String, Integer> ignoredColumns, List<String> accessors) {
  public OrmModel {
    columns = columns == null ? null : Map.copyOf(columns);
    ignoredColumns = Map.copyOf(ignoredColumns);
    accessors = List.copyOf(accessors);
  }

  /** True when the model maps every column of its table (ActiveRecord) rather than a declared list. */
  public boolean mapsEveryColumn() {
    return columns == null;
  }

  /** True when this model makes the running release read {@code column}. */
  public boolean maps(String column) {
    return columns == null ? !ignoredColumns.containsKey(column) : columns.containsKey(column);
  }
}
