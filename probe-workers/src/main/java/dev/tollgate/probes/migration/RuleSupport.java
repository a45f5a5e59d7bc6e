package dev.tollgate.probes.migration;

import dev.tollgate.probes.migration.sql.AlterAction;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.migration.sql.Expr;
import dev.tollgate.probes.migration.sql.TypeName;
import java.util.Set;

/** Facts several rules share: function volatility, binary-coercible type changes, which statements take locks. */
final class RuleSupport {
  private RuleSupport() {}

  /**
   * Built-in functions that are not volatile (immutable or stable): a DEFAULT using only these is evaluated once and
   * stored in the catalog from PostgreSQL 11 on. Anything else, including user functions of unknown volatility, is
   * treated as volatile (squawk's non_volatile_built_in_functions list was the design reference).
   */
  static final Set<String> NON_VOLATILE = Set.of("now", "current_timestamp", "current_date", "current_time", "localtime",
      "localtimestamp", "statement_timestamp", "transaction_timestamp", "lower", "upper", "coalesce", "nullif", "concat",
      "concat_ws", "to_char", "to_date", "to_timestamp", "to_number", "date_trunc", "date_part", "extract", "make_date",
      "make_time", "make_timestamp", "make_timestamptz", "make_interval", "jsonb_build_object", "json_build_object",
      "jsonb_build_array", "json_build_array", "array", "array_fill", "length", "trim", "btrim", "ltrim", "rtrim",
      "replace", "substring", "substr", "abs", "round", "floor", "ceil", "greatest", "least", "md5", "cast", "timezone",
      "current_user", "current_schema", "session_user", "current_setting", "int4range", "int8range", "numrange", "tsrange",
      "tstzrange", "daterange", "to_jsonb", "to_json", "jsonb", "format", "lpad", "rpad", "left", "right", "repeat",
      "point", "interval", "date", "timestamp", "numeric", "gen_salt", "uuid_nil", "inet", "cidr");

  /** Known volatile builtins, named in messages. */
  static final Set<String> KNOWN_VOLATILE = Set.of("random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc",
      "uuid_generate_v4", "uuidv4", "uuidv7", "clock_timestamp", "timeofday", "nextval", "setval", "txid_current",
      "pg_current_xact_id", "random_normal");

  /** The first function in {@code e} that is (or may be) volatile, else null. */
  static String volatileFunction(Expr e) {
    for (String f : e.functions()) {
      if (!NON_VOLATILE.contains(f)) {
        return f;
      }
    }
    return null;
  }

  /**
   * True when PostgreSQL changes {@code from} to {@code to} without rewriting the table (binary coercible or a
   * widening of the modifier): varchar(n) → varchar(m ≥ n), varchar/char → text, dropping a length limit,
   * numeric(p,s) → numeric(p' ≥ p, s), dropping numeric precision, cidr → inet, time/timestamp/interval precision
   * increase, and timestamp → timestamptz when the session time zone is UTC (PostgreSQL 12+).
   */
  static boolean pgNoRewrite(TypeName from, TypeName to, boolean utc, int pgVersion) {
    if (from == null || to == null) {
      return false;
    }
    if (from.arrayDims() != to.arrayDims()) {
      return false;
    }
    String a = from.name();
    String b = to.name();
    if (a.equals(b) && from.args().equals(to.args())) {
      return true;
    }
    if ((a.equals("varchar") || a.equals("text") || a.equals("citext")) && b.equals("text")) {
      return !a.equals("citext");
    }
    if (a.equals("varchar") && b.equals("varchar")) {
      return to.length() < 0 || (from.length() >= 0 && to.length() >= from.length());
    }
    if (a.equals("numeric") && b.equals("numeric")) {
      if (to.args().isEmpty()) {
        return true;
      }
      return from.length() >= 0 && to.length() >= from.length() && from.scale() == to.scale();
    }
    if (a.equals("cidr") && b.equals("inet")) {
      return true;
    }
    if (a.equals(b) && (a.equals("timestamp") || a.equals("timestamptz") || a.equals("time") || a.equals("timetz")
        || a.equals("interval"))) {
      return to.length() < 0 || (from.length() >= 0 && to.length() >= from.length());
    }
    if (a.equals("timestamp") && b.equals("timestamptz")) {
      return utc && pgVersion >= 12;
    }
    return false;
  }

  /**
   * True when MySQL changes {@code from} to {@code to} in place without a copy: the same type with only a VARCHAR
   * length growth that keeps the length prefix (≤ 255 bytes stays 1 byte; counted for utf8mb4, 4 bytes a character),
   * or ENUM/SET members appended at the end.
   */
  static boolean mysqlInPlace(TypeName from, TypeName to) {
    if (from == null || to == null) {
      return false;
    }
    if (from.sameAs(to)) {
      return true;
    }
    if (from.name().equals("varchar") && to.name().equals("varchar") && from.length() >= 0 && to.length() >= from.length()) {
      return (from.length() * 4 <= 255) == (to.length() * 4 <= 255);
    }
    if (from.name().equals(to.name()) && (from.name().equals("enum") || from.name().equals("set"))) {
      return to.args().size() >= from.args().size() && to.args().subList(0, from.args().size()).equals(from.args());
    }
    return false;
  }

  /** True for a PostgreSQL ALTER TABLE action that takes ACCESS EXCLUSIVE (most of them). */
  static boolean accessExclusive(AlterAction a) {
    if (a instanceof AlterAction.ValidateConstraint || a instanceof AlterAction.AttachPartition) {
      return false;
    }
    if (a instanceof AlterAction.DetachPartition d) {
      return !d.concurrently();
    }
    if (a instanceof AlterAction.AddConstraint c) {
      return c.constraint().kind() != dev.tollgate.probes.migration.sql.TableConstraint.Kind.FOREIGN_KEY;
    }
    if (a instanceof AlterAction.Option o) {
      return !(o.name().startsWith("ENABLE") || o.name().startsWith("DISABLE") || o.name().startsWith("CLUSTER")
          || o.name().equals("SET") && o.value().toUpperCase(java.util.Locale.ROOT).startsWith("STATISTICS"));
    }
    return true;
  }

  /** Statements that wait for a table lock that blocks the application's queries (for lock_timeout). */
  static boolean takesBlockingLock(MigrationStatement s) {
    Command c = s.command();
    boolean pg = s.dialect() == Dialect.POSTGRESQL;
    if (c instanceof Command.AlterTable at) {
      return !s.isNewTable(at.table());
    }
    if (c instanceof Command.CreateIndex ci) {
      return !(pg && ci.concurrently()) && !s.isNewTable(ci.table());
    }
    if (c instanceof Command.DropIndex di) {
      return !(pg && di.concurrently()) && di.names().stream().noneMatch(s::isNewIndex);
    }
    if (c instanceof Command.Drop d) {
      return (d.type().equals("TABLE") || d.type().contains("VIEW")) && d.names().stream().anyMatch(n -> !s.isNewTable(n));
    }
    if (c instanceof Command.Truncate t) {
      return t.tables().stream().anyMatch(n -> !s.isNewTable(n));
    }
    if (c instanceof Command.RenameTables r) {
      return r.renames().stream().anyMatch(x -> !s.isNewTable(x.from()));
    }
    if (c instanceof Command.CreateTrigger t) {
      return !s.isNewTable(t.table());
    }
    if (c instanceof Command.LockTables || c instanceof Command.Cluster) {
      return true;
    }
    if (c instanceof Command.RefreshMaterializedView r) {
      return !r.concurrently() && !s.isNewTable(r.view());
    }
    if (c instanceof Command.Vacuum v) {
      return v.full();
    }
    if (c instanceof Command.Reindex r) {
      return !r.concurrently();
    }
    return false;
  }
}
