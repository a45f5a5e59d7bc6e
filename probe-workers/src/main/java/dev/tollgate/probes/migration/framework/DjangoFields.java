package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.framework.PythonReader.Call;
import dev.tollgate.probes.migration.framework.PythonReader.Const;
import dev.tollgate.probes.migration.framework.PythonReader.Name;
import dev.tollgate.probes.migration.framework.PythonReader.Num;
import dev.tollgate.probes.migration.framework.PythonReader.Str;
import dev.tollgate.probes.migration.framework.PythonReader.Value;
import java.util.Locale;

/**
 * Django model fields as the PostgreSQL (or MySQL) schema editor creates them: the column, its type, NULL, the
 * database default, uniqueness, indexes and the table a foreign key references.
 */
final class DjangoFields {
  private DjangoFields() {}

  /**
   * One field of a model's state.
   *
   * @param column the column ({@code db_column}, {@code <name>_id} for a foreign key), null for a many-to-many field
   * @param sqlType the column's type, as the schema editor writes it
   * @param dbDefault the database default ({@code db_default}) as SQL, else null
   * @param pyDefault the Python default as SQL (used once to fill existing rows, then dropped), else null
   * @param references the referenced model ({@code app_label.model}, lower case) of a relation, else null
   * @param m2mTable the join table of a many-to-many field, else null
   */
  record Field(String name, String column, String sqlType, boolean nullable, boolean unique, boolean dbIndex,
      String dbDefault, String pyDefault, String references, String m2mTable, boolean primaryKey, boolean dbColumn) {
    /** The same field under another name (RenameField): the column follows unless db_column pins it. */
    Field renamed(String newName) {
      String col = column == null || dbColumn ? column : column.equals(name + "_id") ? newName + "_id" : newName;
      return new Field(newName, col, sqlType, nullable, unique, dbIndex, dbDefault, pyDefault, references, m2mTable,
          primaryKey, dbColumn);
    }

    /** Without its Python default (preserve_default=False: the default was a one-off). */
    Field withoutPyDefault() {
      return new Field(name, column, sqlType, nullable, unique, dbIndex, dbDefault, null, references, m2mTable, primaryKey,
          dbColumn);
    }

    boolean sameColumnAs(Field o) {
      return o != null && java.util.Objects.equals(column, o.column) && sqlType.equals(o.sqlType) && nullable == o.nullable
          && unique == o.unique && dbIndex == o.dbIndex && java.util.Objects.equals(dbDefault, o.dbDefault);
    }
  }

  /** Reads {@code models.CharField(max_length=20, null=True)} for field {@code name} of a model of {@code appLabel}. */
  static Field field(String name, Value v, String appLabel, boolean pg) {
    if (!(v instanceof Call c)) {
      return new Field(name, name, "text", true, false, false, null, null, null, null, false, false);
    }
    String kind = c.simpleName();
    boolean nullable = isTrue(c.kw("null"));
    boolean pk = isTrue(c.kw("primary_key"));
    boolean unique = isTrue(c.kw("unique")) || kind.equals("OneToOneField") || pk;
    String dbColumn = c.kw("db_column") instanceof Str s ? s.value() : null;
    String dbDefault = c.kw("db_default") == null ? null : expression(c.kw("db_default"));
    String pyDefault = c.kw("default") == null || c.kw("default") instanceof Const k && k.name().equals("None") ? null
        : literal(c.kw("default"));
    boolean relation = kind.equals("ForeignKey") || kind.equals("OneToOneField") || kind.equals("ParentalKey")
        || kind.equals("TreeForeignKey");
    if (kind.equals("ManyToManyField") || kind.equals("ParentalManyToManyField")) {
      return new Field(name, null, "", true, false, false, null, null, target(c, appLabel), null, false, false);
    }
    if (relation) {
      boolean index = !(c.kw("db_index") instanceof Const k && k.name().equals("False"));
      String col = dbColumn != null ? dbColumn : name + "_id";
      return new Field(name, col, "bigint", nullable, unique, index && !unique, dbDefault, pyDefault,
          target(c, appLabel), null, pk, dbColumn != null);
    }
    boolean dbIndex = isTrue(c.kw("db_index")) || kind.equals("SlugField") && !(c.kw("db_index") instanceof Const k
        && k.name().equals("False"));
    String type = sqlType(kind, c, pg);
    if (pyDefault == null && !nullable && dbDefault == null && emptyStrings(kind) && isTrue(c.kw("blank"))) {
      pyDefault = "''"; // Django's effective default for a non-null, blank text field without one
    }
    return new Field(name, dbColumn != null ? dbColumn : name, type, nullable && !pk, unique && !pk, dbIndex && !unique,
        dbDefault, pyDefault, null, null, pk, dbColumn != null);
  }

  private static boolean emptyStrings(String kind) {
    return switch (kind) {
      case "CharField", "TextField", "SlugField", "EmailField", "URLField", "FileField", "ImageField", "FilePathField" -> true;
      default -> false;
    };
  }

  /** {@code "app.Model"}, {@code "Model"} (same app), {@code settings.AUTH_USER_MODEL} → {@code app.model}. */
  static String target(Call c, String appLabel) {
    Value to = c.param("to", 0);
    if (to instanceof Str s) {
      String t = s.value();
      if (t.equals("self")) {
        return null;
      }
      return (t.contains(".") ? t : appLabel + "." + t).toLowerCase(Locale.ROOT);
    }
    if (to instanceof Name n && n.dotted().endsWith("AUTH_USER_MODEL")) {
      return "auth.user";
    }
    if (to instanceof Name n) {
      return (appLabel + "." + n.dotted().substring(n.dotted().lastIndexOf('.') + 1)).toLowerCase(Locale.ROOT);
    }
    return null;
  }

  static boolean isTrue(Value v) {
    return v instanceof Const k && k.name().equals("True");
  }

  /** A Python value as a SQL literal (Django evaluates a callable default once: a constant to the database). */
  static String literal(Value v) {
    if (v instanceof Str s) {
      return MigrationBuilder.literal(s.formatted() ? "value" : s.value());
    }
    if (v instanceof Num n) {
      return n.text();
    }
    if (v instanceof Const k) {
      return k.name().equals("True") ? "TRUE" : k.name().equals("False") ? "FALSE" : "NULL";
    }
    return "'value'";
  }

  /** A {@code db_default}: a literal, {@code Value(x)}, or a database function ({@code Now()}, {@code RandomUUID()}). */
  static String expression(Value v) {
    if (v instanceof Call c) {
      return switch (c.simpleName()) {
        case "Value" -> literal(c.arg(0));
        case "Now" -> "now()";
        case "RandomUUID" -> "gen_random_uuid()";
        case "Pi" -> "pi()";
        default -> c.simpleName().toLowerCase(Locale.ROOT) + "()";
      };
    }
    return literal(v);
  }

  private static int num(Value v, int fallback) {
    if (v instanceof Num n) {
      try {
        return Integer.parseInt(n.text());
      } catch (NumberFormatException e) {
        return fallback;
      }
    }
    return fallback;
  }

  /** The column type of a field class, as Django's PostgreSQL (or MySQL) backend declares it. */
  static String sqlType(String kind, Call c, boolean pg) {
    int maxLength = num(c.kw("max_length"), -1);
    return switch (kind) {
      case "AutoField" -> pg ? "serial" : "int AUTO_INCREMENT";
      case "BigAutoField" -> pg ? "bigserial" : "bigint AUTO_INCREMENT";
      case "SmallAutoField" -> pg ? "smallserial" : "smallint AUTO_INCREMENT";
      case "CharField", "CICharField" -> maxLength > 0 ? "varchar(" + maxLength + ")" : pg ? "varchar" : "longtext";
      case "SlugField" -> "varchar(" + (maxLength > 0 ? maxLength : 50) + ")";
      case "EmailField", "CIEmailField" -> "varchar(" + (maxLength > 0 ? maxLength : 254) + ")";
      case "URLField" -> "varchar(" + (maxLength > 0 ? maxLength : 200) + ")";
      case "FileField", "ImageField", "FilePathField" -> "varchar(" + (maxLength > 0 ? maxLength : 100) + ")";
      case "TextField", "CITextField" -> pg ? "text" : "longtext";
      case "IntegerField", "PositiveIntegerField" -> pg ? "integer" : "int";
      case "BigIntegerField", "PositiveBigIntegerField" -> "bigint";
      case "SmallIntegerField", "PositiveSmallIntegerField" -> "smallint";
      case "BooleanField", "NullBooleanField" -> pg ? "boolean" : "bool";
      case "DateField" -> "date";
      case "DateTimeField" -> pg ? "timestamptz" : "datetime(6)";
      case "TimeField" -> pg ? "time" : "time(6)";
      case "DurationField" -> pg ? "interval" : "bigint";
      case "DecimalField" -> "numeric(" + num(c.kw("max_digits"), 10) + ", " + num(c.kw("decimal_places"), 2) + ")";
      case "FloatField" -> pg ? "double precision" : "double";
      case "UUIDField" -> pg ? "uuid" : "char(32)";
      case "JSONField" -> pg ? "jsonb" : "json";
      case "BinaryField" -> pg ? "bytea" : "longblob";
      case "GenericIPAddressField", "IPAddressField" -> pg ? "inet" : "char(39)";
      case "HStoreField" -> "hstore";
      case "SearchVectorField" -> "tsvector";
      case "ArrayField" -> (c.param("base_field", 0) instanceof Call b ? sqlType(b.simpleName(), b, pg) : "text") + "[]";
      case "DateTimeRangeField" -> "tstzrange";
      case "DateRangeField" -> "daterange";
      case "IntegerRangeField" -> "int4range";
      case "BigIntegerRangeField" -> "int8range";
      case "DecimalRangeField" -> "numrange";
      default -> maxLength > 0 ? "varchar(" + maxLength + ")" : "text";
    };
  }
}
