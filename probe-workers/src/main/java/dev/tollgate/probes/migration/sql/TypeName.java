package dev.tollgate.probes.migration.sql;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A column type as written, with a canonical name so synonyms compare equal ({@code character varying} and
 * {@code varchar}; {@code int}, {@code integer} and {@code int4}; {@code timestamp with time zone} and
 * {@code timestamptz}).
 *
 * @param name canonical lower-case name, e.g. {@code varchar}, {@code int4}, {@code numeric}, {@code timestamptz},
 *     {@code enum}; for a user-defined type its (last) name
 * @param args type modifiers as written, e.g. {@code [255]} or {@code [10, 2]}; for MySQL ENUM/SET the member literals
 * @param arrayDims number of {@code []} (PostgreSQL arrays)
 * @param text the type as written in the source
 */
public record TypeName(String name, List<String> args, int arrayDims, String text) {
  private static final Set<String> SERIAL = Set.of("serial", "bigserial", "smallserial", "serial2", "serial4", "serial8");

  public TypeName {
    args = List.copyOf(args);
  }

  /** {@code serial}, {@code bigserial}, {@code smallserial} (a sequence default: every row gets its own value). */
  public boolean isSerial() {
    return SERIAL.contains(name);
  }

  /** The first modifier as a number, or -1 (varchar(255) gives 255; varchar gives -1). */
  public int length() {
    if (args.isEmpty()) {
      return -1;
    }
    try {
      return Integer.parseInt(args.get(0).strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The second modifier (numeric scale) as a number, or -1. */
  public int scale() {
    if (args.size() < 2) {
      return -1;
    }
    try {
      return Integer.parseInt(args.get(1).strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** True for {@code text}, {@code varchar}, {@code char}, {@code citext} and MySQL's text family. */
  public boolean isTextLike() {
    return switch (name) {
      case "text", "varchar", "char", "citext", "tinytext", "mediumtext", "longtext", "nvarchar", "nchar" -> true;
      default -> false;
    };
  }

  /** Same canonical name, modifiers and array dimensions. */
  public boolean sameAs(TypeName other) {
    return other != null && name.equals(other.name) && arrayDims == other.arrayDims
        && normalizedArgs().equals(other.normalizedArgs());
  }

  private List<String> normalizedArgs() {
    return args.stream().map(a -> a.strip().toLowerCase(Locale.ROOT)).toList();
  }

  @Override
  public String toString() {
    return text;
  }

  /** Maps a type name (words joined by single spaces, lower case) to its canonical form. */
  static String canonical(String words) {
    return switch (words) {
      case "character varying", "char varying", "varchar" -> "varchar";
      case "character", "char", "bpchar" -> "char";
      case "int", "integer", "int4" -> "int4";
      case "bigint", "int8" -> "int8";
      case "smallint", "int2" -> "int2";
      case "serial", "serial4" -> "serial";
      case "bigserial", "serial8" -> "bigserial";
      case "smallserial", "serial2" -> "smallserial";
      case "decimal", "numeric", "dec" -> "numeric";
      case "double precision", "float8", "double" -> "float8";
      case "real", "float4" -> "float4";
      case "bool", "boolean" -> "bool";
      case "timestamp", "timestamp without time zone" -> "timestamp";
      case "timestamptz", "timestamp with time zone" -> "timestamptz";
      case "time", "time without time zone" -> "time";
      case "timetz", "time with time zone" -> "timetz";
      case "bit varying", "varbit" -> "varbit";
      default -> words;
    };
  }
}
