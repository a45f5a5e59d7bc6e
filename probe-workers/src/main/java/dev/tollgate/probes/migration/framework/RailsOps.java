package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.Unread;
import dev.tollgate.probes.migration.framework.RubyReader.Arr;
import dev.tollgate.probes.migration.framework.RubyReader.Assign;
import dev.tollgate.probes.migration.framework.RubyReader.Block;
import dev.tollgate.probes.migration.framework.RubyReader.Bool;
import dev.tollgate.probes.migration.framework.RubyReader.Branch;
import dev.tollgate.probes.migration.framework.RubyReader.Call;
import dev.tollgate.probes.migration.framework.RubyReader.ClassDef;
import dev.tollgate.probes.migration.framework.RubyReader.Def;
import dev.tollgate.probes.migration.framework.RubyReader.Expr;
import dev.tollgate.probes.migration.framework.RubyReader.Hash;
import dev.tollgate.probes.migration.framework.RubyReader.Lambda;
import dev.tollgate.probes.migration.framework.RubyReader.Nil;
import dev.tollgate.probes.migration.framework.RubyReader.Node;
import dev.tollgate.probes.migration.framework.RubyReader.Num;
import dev.tollgate.probes.migration.framework.RubyReader.Other;
import dev.tollgate.probes.migration.framework.RubyReader.Str;
import dev.tollgate.probes.migration.framework.RubyReader.Sym;
import dev.tollgate.probes.migration.framework.RubyReader.Value;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * ActiveRecord's schema statements ({@code add_column}, {@code create_table ... do |t|}, {@code change_table}, ...)
 * rendered as the SQL the PostgreSQL and MySQL adapters run, into a {@link MigrationBuilder}. Used for migrations and,
 * with {@code schema} set, for {@code db/schema.rb} (no {@code force} drops, nothing reported as unread).
 */
final class RailsOps {
  /** Methods that run no SQL that changes anything: read as no-ops. */
  private static final Set<String> HARMLESS = Set.of("say", "puts", "print", "p", "pp", "sleep", "reset_column_information",
      "raise", "require", "require_relative", "announce", "write", "column_exists?", "table_exists?", "index_exists?",
      "foreign_key_exists?", "check_constraint_exists?", "column_exists", "view_exists?", "select_value", "select_values",
      "select_all", "select_rows", "select_one", "quote", "quote_table_name", "quote_column_name", "columns", "indexes",
      "foreign_keys", "data_source_exists?", "extension_enabled?", "index_name_exists?", "primary_key", "logger",
      "verbose", "connection", "migration_context", "fail", "exit", "abort", "return", "next", "break");
  /** Methods that run their block as statements of the migration. */
  private static final Set<String> BLOCK_RUNNERS = Set.of("say_with_time", "suppress_messages", "transaction", "up_only",
      "with_lock_retries", "silence", "safety_assured", "disable_statement_timeout", "with_statement_timeout",
      "with_lock_timeout", "without_timeout", "each_batch_noop");
  private static final Set<String> EXECUTE = Set.of("execute", "exec_query", "exec_update", "exec_delete", "exec_insert",
      "execute_query", "exec_insert_all");
  /** Methods on a model class or relation that change data (application code, not schema). */
  private static final Set<String> DATA = Set.of("update_all", "delete_all", "destroy_all", "find_each", "find_in_batches",
      "in_batches", "each", "create", "create!", "insert_all", "insert_all!", "upsert_all", "update", "update!",
      "update_column", "update_columns", "save", "save!", "destroy", "delete", "find_or_create_by", "find_or_create_by!",
      "touch_all", "where", "all", "find", "map", "includes", "joins", "unscoped", "first", "last", "pluck", "update_counters",
      "reset_counters", "import");

  private static final java.util.regex.Pattern QUOTED = java.util.regex.Pattern.compile("\"([^\"]*)\"|'([^']*)'");

  private final MigrationBuilder b;
  private final boolean pg;
  private final boolean schema;
  private final Map<String, Def> helpers;
  private final Map<String, Value> locals = new HashMap<>();
  private final Set<String> inlining = new HashSet<>();
  private boolean irreversible;

  RailsOps(MigrationBuilder b, boolean schema, Map<String, Def> helpers) {
    this.b = b;
    this.pg = b.dialect() == Dialect.POSTGRESQL;
    this.schema = schema;
    this.helpers = helpers;
  }

  /** True when an operation of a {@code change} method cannot be reversed by Rails (it then raises on rollback). */
  boolean irreversible() {
    return irreversible;
  }

  /** Reads statements of a method body (or block) as operations. */
  void read(List<Node> nodes, boolean inChange) {
    for (Node n : nodes) {
      node(n, inChange);
    }
  }

  private void node(Node n, boolean inChange) {
    if (n instanceof Call c) {
      call(c, inChange);
    } else if (n instanceof Branch br) {
      // A conditional (if column_exists?...) or loop body: read as if it ran, the conservative reading.
      if (br.keyword().equals("while") || br.keyword().equals("until") || br.keyword().equals("for")) {
        unread(br.line(), br.keyword() + " " + br.condition(), "a loop the probe does not follow");
      } else {
        read(br.body(), inChange);
      }
    } else if (n instanceof Assign a) {
      if (!a.target().contains(".")) {
        locals.put(a.target(), a.value());
      }
    } else if (n instanceof Other o) {
      String t = o.text().strip();
      if (!(t.startsWith("return") || t.startsWith("raise") || t.startsWith("next") || t.startsWith("break")
          || t.startsWith("require") || t.startsWith("include") || t.startsWith("extend") || t.isEmpty())) {
        unread(o.line(), t, "Ruby the probe does not follow");
      }
    } else if (n instanceof ClassDef || n instanceof Def) {
      // A model or helper declared inside the migration: runs nothing by being declared.
    }
  }

  private void unread(int line, String excerpt, String reason) {
    if (!schema) {
      b.unread(line, excerpt, reason, Unread.Kind.SCHEMA);
    }
  }

  private void data(Call c, String reason) {
    if (!schema) {
      b.unread(c.line(), c.text(), reason, Unread.Kind.DATA);
    }
  }

  private void call(Call c, boolean inChange) {
    String r = c.receiver();
    String name = c.name();
    if (r != null && !r.equals("self")) {
      receiverCall(c, inChange);
      return;
    }
    if (c.trailing() && !HARMLESS.contains(name)) {
      unread(c.line(), c.text(), "an expression the probe does not follow");
      return;
    }
    switch (name) {
      case "create_table" -> createTable(c);
      case "create_join_table" -> createJoinTable(c);
      case "drop_table" -> dropTable(c, inChange);
      case "drop_join_table" -> dropJoinTable(c);
      case "add_column" -> addColumns(c, List.of(c.arg(1)), c.arg(2), c.kwargs(), table(c));
      case "add_columns" -> addColumns(c, c.args().subList(Math.min(1, c.args().size()), c.args().size()), c.kw("type"),
          c.kwargs(), table(c));
      case "remove_column" -> {
        irreversible |= inChange && c.arg(2) == null && c.kw("type") == null;
        removeColumns(c, List.of(c.arg(1)), c.kwargs());
      }
      case "remove_columns" -> {
        irreversible |= inChange && c.kw("type") == null;
        removeColumns(c, c.args().subList(Math.min(1, c.args().size()), c.args().size()), c.kwargs());
      }
      case "rename_column" -> alter(c, table(c), "RENAME COLUMN " + id(name(c.arg(1))) + " TO " + id(name(c.arg(2))));
      case "rename_table" -> {
        String from = table(c);
        String to = name(c.arg(1));
        if (from != null && to != null) {
          b.sql("ALTER TABLE " + b.qualified(from) + " RENAME TO " + id(to), c.line());
        } else {
          unreadArgs(c);
        }
      }
      case "change_column" -> {
        irreversible |= inChange;
        changeColumn(c, table(c), name(c.arg(1)), c.arg(2), c.kwargs());
      }
      case "change_column_null" -> changeNull(c, table(c), name(c.arg(1)), c.arg(2), c.arg(3));
      case "change_column_default" -> {
        Value v = c.arg(2) != null ? c.arg(2) : c.kw("to");
        irreversible |= inChange && c.kw("to") == null && !(c.arg(2) instanceof Hash);
        if (c.arg(2) instanceof Hash h) {
          v = h.entries().get("to");
        }
        changeDefault(c, table(c), name(c.arg(1)), v);
      }
      case "add_index" -> addIndex(c, table(c), c.arg(1), c.kwargs());
      case "remove_index" -> removeIndex(c, table(c), c.arg(1), c.kwargs(), inChange);
      case "rename_index" -> {
        String t = table(c);
        String from = name(c.arg(1));
        String to = name(c.arg(2));
        if (t == null || from == null || to == null) {
          unreadArgs(c);
        } else {
          b.sql(pg ? "ALTER INDEX " + id(from) + " RENAME TO " + id(to)
              : "ALTER TABLE " + b.qualified(t) + " RENAME INDEX " + id(from) + " TO " + id(to), c.line());
        }
      }
      case "add_reference", "add_belongs_to" -> addReference(c, table(c), name(c.arg(1)), c.kwargs(), false);
      case "remove_reference", "remove_belongs_to", "remove_references" -> removeReference(c, table(c), name(c.arg(1)),
          c.kwargs());
      case "add_foreign_key" -> addForeignKey(c, table(c), name(c.arg(1)), c.kwargs());
      case "remove_foreign_key" -> removeForeignKey(c, table(c), c.arg(1), c.kwargs());
      case "validate_foreign_key" -> {
        String t = table(c);
        String fk = c.kw("name") != null ? name(c.kw("name"))
            : fkName(t, c.arg(1) == null ? null : name(c.arg(1)), c.kw("column") == null ? null : name(c.kw("column")));
        if (t == null || fk == null) {
          unreadArgs(c);
        } else {
          alter(c, t, "VALIDATE CONSTRAINT " + id(fk));
        }
      }
      case "add_check_constraint" -> addCheck(c, table(c), c.arg(1), c.kwargs());
      case "validate_check_constraint", "validate_constraint" -> {
        String t = table(c);
        String n = c.kw("name") != null ? name(c.kw("name")) : name(c.arg(1));
        if (t == null || n == null) {
          unreadArgs(c);
        } else {
          alter(c, t, "VALIDATE CONSTRAINT " + id(n));
        }
      }
      case "remove_check_constraint", "remove_unique_constraint", "remove_exclusion_constraint" -> {
        String t = table(c);
        String n = c.kw("name") != null ? name(c.kw("name")) : c.arg(1) instanceof Sym s ? s.name() : null;
        if (t == null) {
          unreadArgs(c);
        } else {
          alter(c, t, "DROP CONSTRAINT " + id(n != null ? n : "chk_rails_" + t));
        }
      }
      case "add_unique_constraint" -> {
        String t = table(c);
        List<String> cols = names(c.arg(1));
        if (t == null || cols == null) {
          unreadArgs(c);
        } else {
          String n = c.kw("name") != null ? name(c.kw("name")) : "uniq_rails_" + t;
          String using = c.kw("using_index") != null ? " USING INDEX " + id(name(c.kw("using_index"))) : "";
          alter(c, t, "ADD CONSTRAINT " + id(n) + " UNIQUE" + (using.isEmpty() ? " (" + cols(cols) + ")" : using));
        }
      }
      case "add_exclusion_constraint" -> {
        String t = table(c);
        String expr = c.arg(1) instanceof Str s ? s.value() : null;
        if (t == null || expr == null) {
          unreadArgs(c);
        } else {
          String using = c.kw("using") instanceof Sym u ? u.name() : "gist";
          alter(c, t, "ADD CONSTRAINT " + id(c.kw("name") != null ? name(c.kw("name")) : "excl_rails_" + t)
              + " EXCLUDE USING " + using + " (" + expr + ")");
        }
      }
      case "add_timestamps" -> {
        String t = table(c);
        Map<String, Value> opts = new java.util.LinkedHashMap<>(c.kwargs());
        opts.putIfAbsent("null", new Bool(false));
        addColumns(c, List.of(new Sym("created_at"), new Sym("updated_at")), new Sym("datetime"), opts, t);
      }
      case "remove_timestamps" -> removeColumns(c, List.of(new Sym("created_at"), new Sym("updated_at")), c.kwargs());
      case "change_table" -> changeTable(c, inChange);
      case "enable_extension" -> {
        String n = name(c.arg(0));
        if (n != null && pg) {
          b.sql("CREATE EXTENSION IF NOT EXISTS " + id(n), c.line());
        }
      }
      case "disable_extension" -> {
        String n = name(c.arg(0));
        if (n != null && pg) {
          b.sql("DROP EXTENSION IF EXISTS " + id(n), c.line());
        }
      }
      case "create_enum" -> {
        String n = name(c.arg(0));
        List<String> values = names(c.arg(1));
        if (n == null || values == null) {
          unreadArgs(c);
        } else if (pg) {
          b.sql("CREATE TYPE " + b.qualified(n) + " AS ENUM (" + String.join(", ", values.stream()
              .map(MigrationBuilder::literal).toList()) + ")", c.line());
        }
      }
      case "add_enum_value" -> {
        String n = name(c.arg(0));
        String v = name(c.arg(1));
        if (n == null || v == null) {
          unreadArgs(c);
        } else if (pg) {
          String pos = c.kw("before") != null ? " BEFORE " + MigrationBuilder.literal(name(c.kw("before")))
              : c.kw("after") != null ? " AFTER " + MigrationBuilder.literal(name(c.kw("after"))) : "";
          b.sql("ALTER TYPE " + b.qualified(n) + " ADD VALUE " + (truthy(c.kw("if_not_exists")) ? "IF NOT EXISTS " : "")
              + MigrationBuilder.literal(v) + pos, c.line());
        }
      }
      case "rename_enum_value" -> {
        String n = name(c.arg(0));
        String from = name(c.kw("from"));
        String to = name(c.kw("to"));
        if (n == null || from == null || to == null) {
          unreadArgs(c);
        } else if (pg) {
          b.sql("ALTER TYPE " + b.qualified(n) + " RENAME VALUE " + MigrationBuilder.literal(from) + " TO "
              + MigrationBuilder.literal(to), c.line());
        }
      }
      case "rename_enum" -> {
        String n = name(c.arg(0));
        String to = c.kw("to") != null ? name(c.kw("to")) : name(c.arg(1));
        if (n == null || to == null) {
          unreadArgs(c);
        } else if (pg) {
          b.sql("ALTER TYPE " + b.qualified(n) + " RENAME TO " + id(to), c.line());
        }
      }
      case "drop_enum" -> {
        String n = name(c.arg(0));
        if (n != null && pg) {
          b.sql("DROP TYPE " + (truthy(c.kw("if_exists")) ? "IF EXISTS " : "") + b.qualified(n), c.line());
        }
      }
      case "create_schema" -> {
        String n = name(c.arg(0));
        if (n != null && pg) {
          b.sql("CREATE SCHEMA " + id(n), c.line());
        }
      }
      case "drop_schema" -> {
        String n = name(c.arg(0));
        if (n != null) {
          b.sql("DROP SCHEMA " + (truthy(c.kw("if_exists")) ? "IF EXISTS " : "") + id(n), c.line());
        }
      }
      case "change_column_comment", "change_table_comment", "add_comment" -> { } // COMMENT ON: catalog only
      case "reversible" -> reversible(c);
      case "revert" -> unread(c.line(), c.text(), "revert runs another migration (or block) backwards, which the probe"
          + " does not follow");
      case "create_view", "update_view", "replace_view", "drop_view", "create_function", "update_function",
           "drop_function", "create_trigger", "update_trigger", "drop_trigger" -> scenic(c);
      case "disable_ddl_transaction!" -> { } // read by RailsReader: the transaction model
      default -> other(c, inChange);
    }
  }

  private void other(Call c, boolean inChange) {
    String name = c.name();
    if (EXECUTE.contains(name)) {
      irreversible |= inChange;
      execute(c, c.arg(0));
      return;
    }
    if (BLOCK_RUNNERS.contains(name)) {
      if (c.block() != null) {
        if (name.equals("safety_assured")) {
          b.acknowledged("safety_assured", c.line(), c.block().line(), c.block().endLine());
        }
        read(c.block().body(), inChange && !name.equals("up_only"));
      }
      return;
    }
    if (HARMLESS.contains(name)) {
      return;
    }
    Def helper = helpers.get(name);
    if (helper != null) {
      if (!helper.params().isEmpty() || !inlining.add(name)) {
        unread(c.line(), c.text(), "calls `" + name + "`, a method of the migration the probe reads only without"
            + " arguments");
        return;
      }
      read(helper.body(), inChange);
      inlining.remove(name);
      return;
    }
    unread(c.line(), c.text(), "a method the probe does not know");
  }

  /** A call with a receiver: the connection's execute, a reversible's dir.up, a table block, or application code. */
  private void receiverCall(Call c, boolean inChange) {
    String r = c.receiver();
    String name = c.name();
    if ((r.equals("connection") || r.endsWith(".connection")) && EXECUTE.contains(name)) {
      irreversible |= inChange;
      execute(c, c.arg(0));
      return;
    }
    if ((r.equals("connection") || r.endsWith(".connection")) && HARMLESS.contains(name)) {
      return;
    }
    if (name.equals("reset_column_information") || name.equals("logger") || r.startsWith("Rails.logger")
        || r.equals("Rails") || r.equals("STDOUT") || r.equals("$stdout")) {
      return;
    }
    if (EXECUTE.contains(name) || r.contains("connection")) {
      unread(c.line(), c.text(), "a call on the connection the probe does not know");
      return;
    }
    if (c.block() != null && (name.equals("each") || name.equals("each_with_index") || name.equals("map"))
        && (r.startsWith("[") || r.startsWith("%"))) {
      unread(c.line(), c.text(), "a loop over values the probe does not follow");
      return;
    }
    data(c, "application code run by the migration");
  }

  private void reversible(Call c) {
    Block blk = c.block();
    if (blk == null) {
      unreadArgs(c);
      return;
    }
    String dir = blk.params().isEmpty() ? "dir" : blk.params().get(0);
    for (Node n : blk.body()) {
      if (n instanceof Call d && dir.equals(d.receiver()) && d.name().equals("up")) {
        if (d.block() != null) {
          read(d.block().body(), false);
        }
      } else if (n instanceof Call d && dir.equals(d.receiver()) && d.name().equals("down")) {
        continue; // runs on rollback only
      } else {
        node(n, false);
      }
    }
  }

  // ------------------------------------------------------------------ tables

  private void createTable(Call c) {
    String t = table(c);
    if (t == null) {
      unreadArgs(c);
      return;
    }
    Value force = c.kw("force");
    if (!schema && force != null && !(force instanceof Bool bf && !bf.value()) && !(force instanceof Nil)) {
      // force: drops an existing table first (strong_migrations' create_table check).
      b.sql("DROP TABLE IF EXISTS " + b.qualified(t) + (force instanceof Sym s && s.name().equals("cascade") ? " CASCADE" : ""),
          c.line());
    }
    List<String> cols = new ArrayList<>();
    List<String> after = new ArrayList<>();
    Value id = c.kw("id");
    if (!(id instanceof Bool bid && !bid.value())) {
      String pkName = c.kw("primary_key") != null ? name(c.kw("primary_key")) : "id";
      if (!(c.kw("primary_key") instanceof Arr)) {
        cols.add(primaryKey(pkName, id));
      }
    }
    if (c.block() != null) {
      String var = c.block().params().isEmpty() ? "t" : c.block().params().get(0);
      for (Node n : c.block().body()) {
        if (n instanceof Call tc && var.equals(tc.receiver())) {
          tableColumn(tc, t, cols, after);
        } else {
          node(n, false);
        }
      }
    }
    if (c.kw("primary_key") instanceof Arr pk) {
      cols.add("PRIMARY KEY (" + cols(names(pk)) + ")");
    }
    String kind = truthy(c.kw("temporary")) ? "CREATE TEMPORARY TABLE " : "CREATE TABLE ";
    b.sql(kind + (truthy(c.kw("if_not_exists")) ? "IF NOT EXISTS " : "") + b.qualified(t) + " (" + String.join(", ", cols)
        + ")", c.line());
    for (String[] s : pairs(after)) {
      b.sql(s[0], Integer.parseInt(s[1]));
    }
  }

  private static List<String[]> pairs(List<String> flat) {
    List<String[]> out = new ArrayList<>();
    for (int k = 0; k + 1 < flat.size(); k += 2) {
      out.add(new String[] {flat.get(k), flat.get(k + 1)});
    }
    return out;
  }

  private String primaryKey(String name, Value id) {
    String type = id instanceof Sym s ? s.name() : id instanceof Str s ? s.value() : null;
    if (type == null || type.equals("bigint") || type.equals("primary_key")) {
      return id(name) + (pg ? " bigserial PRIMARY KEY" : " bigint AUTO_INCREMENT PRIMARY KEY");
    }
    if (type.equals("uuid")) {
      return id(name) + (pg ? " uuid DEFAULT gen_random_uuid() PRIMARY KEY" : " varchar(36) PRIMARY KEY");
    }
    if (type.equals("integer") || type.equals("serial")) {
      return id(name) + (pg ? " serial PRIMARY KEY" : " int AUTO_INCREMENT PRIMARY KEY");
    }
    return id(name) + " " + sqlType(type, Map.of()) + " PRIMARY KEY";
  }

  /** One {@code t.xxx} of a create_table block: columns into {@code cols}, statements after it into {@code after}. */
  private void tableColumn(Call tc, String table, List<String> cols, List<String> after) {
    String m = tc.name();
    switch (m) {
      case "timestamps" -> {
        Map<String, Value> o = new java.util.LinkedHashMap<>(tc.kwargs());
        o.putIfAbsent("null", new Bool(false));
        cols.add(columnDef("created_at", "datetime", o));
        cols.add(columnDef("updated_at", "datetime", o));
      }
      case "references", "belongs_to" -> {
        for (Value v : tc.args()) {
          String ref = name(v);
          if (ref == null) {
            unreadArgs(tc);
            continue;
          }
          referenceColumns(ref, tc.kwargs(), cols);
          if (!(tc.kw("index") instanceof Bool bi && !bi.value())) {
            after.add(indexSql(table, List.of(ref + "_id"), indexOptions(tc.kw("index")), false));
            after.add(String.valueOf(tc.line()));
          }
          Value fk = tc.kw("foreign_key");
          if (truthy(fk) || fk instanceof Hash) {
            cols.add(fkClause(ref, fk));
          }
        }
      }
      case "index" -> {
        List<String> cs = indexColumns(tc.arg(0));
        if (cs == null) {
          unreadArgs(tc);
        } else {
          after.add(indexSql(table, cs, tc.kwargs(), false));
          after.add(String.valueOf(tc.line()));
        }
      }
      case "check_constraint" -> {
        if (tc.arg(0) instanceof Str s && !s.interpolated()) {
          cols.add("CONSTRAINT " + id(tc.kw("name") != null ? name(tc.kw("name")) : "chk_rails_" + table) + " CHECK ("
              + s.value() + ")");
        } else {
          unreadArgs(tc);
        }
      }
      case "foreign_key" -> {
        String to = name(tc.arg(0));
        if (to != null) {
          String col = tc.kw("column") != null ? name(tc.kw("column")) : Inflector.singularize(to) + "_id";
          cols.add("FOREIGN KEY (" + id(col) + ") REFERENCES " + b.qualified(to) + " (" + id("id") + ")");
        }
      }
      case "column" -> {
        String n = name(tc.arg(0));
        String type = typeName(tc.arg(1));
        if (n == null || type == null) {
          unreadArgs(tc);
        } else {
          cols.add(columnDef(n, type, tc.kwargs()));
        }
      }
      case "primary_key" -> {
        String n = name(tc.arg(0));
        if (n != null) {
          String type = tc.arg(1) == null ? null : typeName(tc.arg(1));
          cols.add(type == null ? primaryKey(n, null) : id(n) + " " + sqlType(type, tc.kwargs()) + " PRIMARY KEY");
        }
      }
      case "exclusion_constraint", "unique_constraint", "comment" -> { }
      default -> {
        if (!TYPES.contains(m)) {
          unread(tc.line(), tc.text(), "a table definition method the probe does not know");
          return;
        }
        for (Value v : tc.args()) {
          String n = name(v);
          if (n == null) {
            unreadArgs(tc);
          } else {
            cols.add(columnDef(n, m, tc.kwargs()));
          }
        }
      }
    }
  }

  private void referenceColumns(String ref, Map<String, Value> opts, List<String> cols) {
    String type = opts.get("type") != null ? typeName(opts.get("type")) : "bigint";
    Map<String, Value> o = new java.util.LinkedHashMap<>();
    if (opts.get("null") != null) {
      o.put("null", opts.get("null"));
    }
    if (opts.get("default") != null) {
      o.put("default", opts.get("default"));
    }
    cols.add(columnDef(ref + "_id", type == null ? "bigint" : type, o));
    if (truthy(opts.get("polymorphic")) || opts.get("polymorphic") instanceof Hash) {
      cols.add(columnDef(ref + "_type", "string", o));
    }
  }

  private String fkClause(String ref, Value fk) {
    String to = fk instanceof Hash h && h.entries().get("to_table") != null ? name(h.entries().get("to_table"))
        : Inflector.pluralize(ref);
    return "FOREIGN KEY (" + id(ref + "_id") + ") REFERENCES " + b.qualified(to) + " (" + id("id") + ")";
  }

  private void createJoinTable(Call c) {
    String a = name(c.arg(0));
    String bb = name(c.arg(1));
    if (a == null || bb == null) {
      unreadArgs(c);
      return;
    }
    String t = c.kw("table_name") != null ? name(c.kw("table_name")) : joinTable(a, bb);
    List<String> cols = new ArrayList<>();
    List<String> after = new ArrayList<>();
    cols.add(columnDef(Inflector.singularize(a) + "_id", "bigint", Map.of("null", new Bool(false))));
    cols.add(columnDef(Inflector.singularize(bb) + "_id", "bigint", Map.of("null", new Bool(false))));
    if (c.block() != null) {
      String var = c.block().params().isEmpty() ? "t" : c.block().params().get(0);
      for (Node n : c.block().body()) {
        if (n instanceof Call tc && var.equals(tc.receiver())) {
          tableColumn(tc, t, cols, after);
        }
      }
    }
    b.sql("CREATE TABLE " + b.qualified(t) + " (" + String.join(", ", cols) + ")", c.line());
    for (String[] s : pairs(after)) {
      b.sql(s[0], Integer.parseInt(s[1]));
    }
  }

  /** ActiveRecord's join table name: both plural names in lexical order, a shared prefix written once. */
  static String joinTable(String a, String b) {
    String x = a.compareTo(b) <= 0 ? a : b;
    String y = a.compareTo(b) <= 0 ? b : a;
    int us = x.lastIndexOf('_');
    if (us > 0 && y.startsWith(x.substring(0, us + 1))) {
      return x + "_" + y.substring(us + 1);
    }
    return x + "_" + y;
  }

  private void dropTable(Call c, boolean inChange) {
    irreversible |= inChange && c.block() == null;
    for (Value v : c.args()) {
      String t = name(v);
      if (t == null) {
        unreadArgs(c);
        continue;
      }
      b.sql("DROP TABLE " + (truthy(c.kw("if_exists")) ? "IF EXISTS " : "") + b.qualified(t)
          + (c.kw("force") instanceof Sym s && s.name().equals("cascade") ? " CASCADE" : ""), c.line());
    }
  }

  private void dropJoinTable(Call c) {
    String a = name(c.arg(0));
    String bb = name(c.arg(1));
    if (a == null || bb == null) {
      unreadArgs(c);
      return;
    }
    String t = c.kw("table_name") != null ? name(c.kw("table_name")) : joinTable(a, bb);
    b.sql("DROP TABLE " + b.qualified(t), c.line());
  }

  // ------------------------------------------------------------------ columns

  private void addColumns(Call c, List<Value> names, Value typeValue, Map<String, Value> opts, String t) {
    String type = typeName(typeValue);
    if (t == null || type == null || names.isEmpty()) {
      unreadArgs(c);
      return;
    }
    List<String> actions = new ArrayList<>();
    for (Value v : names) {
      String n = name(v);
      if (n == null) {
        unreadArgs(c);
        return;
      }
      actions.add("ADD COLUMN " + (truthy(opts.get("if_not_exists")) && pg ? "IF NOT EXISTS " : "") + columnDef(n, type, opts));
    }
    b.sql("ALTER TABLE " + b.qualified(t) + " " + String.join(", ", actions), c.line());
  }

  private void removeColumns(Call c, List<Value> names, Map<String, Value> opts) {
    String t = table(c);
    if (t == null || names.isEmpty()) {
      unreadArgs(c);
      return;
    }
    List<String> actions = new ArrayList<>();
    for (Value v : names) {
      String n = name(v);
      if (n == null) {
        unreadArgs(c);
        return;
      }
      actions.add("DROP COLUMN " + (truthy(opts.get("if_exists")) && pg ? "IF EXISTS " : "") + id(n));
    }
    b.sql("ALTER TABLE " + b.qualified(t) + " " + String.join(", ", actions), c.line());
  }

  private void changeColumn(Call c, String t, String col, Value typeValue, Map<String, Value> opts) {
    String type = typeName(typeValue);
    if (t == null || col == null || type == null) {
      unreadArgs(c);
      return;
    }
    if (pg) {
      List<String> actions = new ArrayList<>();
      String using = opts.get("using") instanceof Str s ? " USING " + s.value() : "";
      actions.add("ALTER COLUMN " + id(col) + " TYPE " + sqlType(type, opts) + using);
      if (opts.containsKey("default")) {
        Value d = opts.get("default");
        actions.add("ALTER COLUMN " + id(col) + (d instanceof Nil ? " DROP DEFAULT" : " SET DEFAULT " + defaultSql(d)));
      }
      if (opts.get("null") instanceof Bool n) {
        actions.add("ALTER COLUMN " + id(col) + (n.value() ? " DROP NOT NULL" : " SET NOT NULL"));
      }
      b.sql("ALTER TABLE " + b.qualified(t) + " " + String.join(", ", actions), c.line());
    } else {
      b.sql("ALTER TABLE " + b.qualified(t) + " MODIFY " + columnDef(col, type, opts), c.line());
    }
  }

  private void changeNull(Call c, String t, String col, Value nullable, Value dflt) {
    if (t == null || col == null || !(nullable instanceof Bool n)) {
      unreadArgs(c);
      return;
    }
    if (!n.value() && dflt != null && !(dflt instanceof Nil)) {
      b.sql("UPDATE " + b.qualified(t) + " SET " + id(col) + " = " + defaultSql(dflt) + " WHERE " + id(col) + " IS NULL",
          c.line());
    }
    if (pg) {
      alter(c, t, "ALTER COLUMN " + id(col) + (n.value() ? " DROP NOT NULL" : " SET NOT NULL"));
    } else {
      // MySQL restates the column; the probe does not know its type here, so it keeps the statement's meaning only.
      alter(c, t, "MODIFY " + id(col) + " text" + (n.value() ? " NULL" : " NOT NULL"));
    }
  }

  private void changeDefault(Call c, String t, String col, Value v) {
    if (t == null || col == null) {
      unreadArgs(c);
      return;
    }
    alter(c, t, "ALTER COLUMN " + id(col) + (v == null || v instanceof Nil ? " DROP DEFAULT" : " SET DEFAULT " + defaultSql(v)));
  }

  // ------------------------------------------------------------------ indexes and constraints

  private void addIndex(Call c, String t, Value columns, Map<String, Value> opts) {
    List<String> cs = indexColumns(columns);
    if (t == null || cs == null) {
      unreadArgs(c);
      return;
    }
    b.sql(indexSql(t, cs, opts, true), c.line());
  }

  private static Map<String, Value> indexOptions(Value index) {
    return index instanceof Hash h ? h.entries() : Map.of();
  }

  private String indexSql(String t, List<String> cs, Map<String, Value> opts, boolean explicit) {
    String n = opts.get("name") != null ? name(opts.get("name")) : "index_" + t.replace('.', '_') + "_on_"
        + String.join("_and_", cs.stream().map(x -> x.replaceAll("\\W+", "_")).toList());
    boolean unique = truthy(opts.get("unique"));
    boolean concurrently = opts.get("algorithm") instanceof Sym a && a.name().equals("concurrently")
        || opts.get("algorithm") instanceof Str s && s.value().equals("concurrently");
    String type = opts.get("type") instanceof Sym ty ? ty.name().toUpperCase(java.util.Locale.ROOT) : null;
    StringBuilder sql = new StringBuilder("CREATE ");
    if (unique) {
      sql.append("UNIQUE ");
    } else if (!pg && type != null && (type.equals("FULLTEXT") || type.equals("SPATIAL"))) {
      sql.append(type).append(' ');
    }
    sql.append("INDEX ");
    if (concurrently && pg) {
      sql.append("CONCURRENTLY ");
    }
    if (truthy(opts.get("if_not_exists")) && pg) {
      sql.append("IF NOT EXISTS ");
    }
    sql.append(id(n)).append(" ON ").append(b.qualified(t));
    if (pg && opts.get("using") != null && name(opts.get("using")) != null) {
      sql.append(" USING ").append(name(opts.get("using")));
    }
    sql.append(" (").append(String.join(", ", cs.stream().map(x -> x.matches("\\w+") ? id(x) : x).toList())).append(')');
    if (pg && opts.get("where") instanceof Str w) {
      sql.append(" WHERE ").append(w.value());
    }
    return sql.toString();
  }

  private List<String> indexColumns(Value v) {
    if (v instanceof Str s && !s.interpolated()) {
      return List.of(s.value()); // a column, or an expression such as "lower(email)"
    }
    return names(v);
  }

  private void removeIndex(Call c, String t, Value columnArg, Map<String, Value> opts, boolean inChange) {
    String n = opts.get("name") != null ? name(opts.get("name")) : null;
    Value columns = opts.get("column") != null ? opts.get("column") : columnArg;
    irreversible |= inChange && columns == null;
    if (n == null && columns != null) {
      List<String> cs = indexColumns(columns);
      if (cs != null && t != null) {
        n = "index_" + t + "_on_" + String.join("_and_", cs);
      }
    }
    if (t == null || n == null) {
      unreadArgs(c);
      return;
    }
    boolean concurrently = opts.get("algorithm") instanceof Sym a && a.name().equals("concurrently");
    b.sql(pg ? "DROP INDEX " + (concurrently ? "CONCURRENTLY " : "") + (truthy(opts.get("if_exists")) ? "IF EXISTS " : "")
        + id(n) : "DROP INDEX " + id(n) + " ON " + b.qualified(t), c.line());
  }

  private void addReference(Call c, String t, String ref, Map<String, Value> opts, boolean bulk) {
    if (t == null || ref == null) {
      unreadArgs(c);
      return;
    }
    List<String> cols = new ArrayList<>();
    referenceColumns(ref, opts, cols);
    b.sql("ALTER TABLE " + b.qualified(t) + " " + String.join(", ", cols.stream().map(x -> "ADD COLUMN " + x).toList()),
        c.line());
    Value index = opts.get("index");
    if (!(index instanceof Bool bi && !bi.value())) {
      List<String> icols = truthy(opts.get("polymorphic")) ? List.of(ref + "_type", ref + "_id") : List.of(ref + "_id");
      b.sql(indexSql(t, icols, indexOptions(index), false), c.line());
    }
    Value fk = opts.get("foreign_key");
    if (truthy(fk) || fk instanceof Hash) {
      boolean validate = !(fk instanceof Hash h && h.entries().get("validate") instanceof Bool v && !v.value());
      b.sql("ALTER TABLE " + b.qualified(t) + " ADD CONSTRAINT " + id(fkName(t, Inflector.pluralize(ref), ref + "_id")) + " "
          + fkClause(ref, fk) + (validate || !pg ? "" : " NOT VALID"), c.line());
    }
  }

  private void removeReference(Call c, String t, String ref, Map<String, Value> opts) {
    if (t == null || ref == null) {
      unreadArgs(c);
      return;
    }
    List<String> actions = new ArrayList<>();
    actions.add("DROP COLUMN " + id(ref + "_id"));
    if (truthy(opts.get("polymorphic"))) {
      actions.add("DROP COLUMN " + id(ref + "_type"));
    }
    b.sql("ALTER TABLE " + b.qualified(t) + " " + String.join(", ", actions), c.line());
  }

  private void addForeignKey(Call c, String from, String to, Map<String, Value> opts) {
    if (from == null || to == null) {
      unreadArgs(c);
      return;
    }
    String col = opts.get("column") != null ? name(opts.get("column")) : Inflector.singularize(to) + "_id";
    String pk = opts.get("primary_key") != null ? name(opts.get("primary_key")) : "id";
    String n = opts.get("name") != null ? name(opts.get("name")) : fkName(from, to, col);
    boolean validate = !(opts.get("validate") instanceof Bool v && !v.value());
    b.sql("ALTER TABLE " + b.qualified(from) + " ADD CONSTRAINT " + id(n) + " FOREIGN KEY (" + id(col) + ") REFERENCES "
        + b.qualified(to) + " (" + id(pk) + ")" + (validate || !pg ? "" : " NOT VALID"), c.line());
  }

  /** A stable stand-in for ActiveRecord's hashed {@code fk_rails_<hash>} name. */
  private static String fkName(String from, String to, String column) {
    if (from == null) {
      return null;
    }
    String col = column != null ? column : to != null ? Inflector.singularize(to) + "_id" : null;
    return col == null ? null : "fk_rails_" + from + "_" + col;
  }

  private void removeForeignKey(Call c, String from, Value to, Map<String, Value> opts) {
    String n = opts.get("name") != null ? name(opts.get("name"))
        : fkName(from, to == null ? null : name(to), opts.get("column") == null ? null : name(opts.get("column")));
    if (from == null || n == null) {
      unreadArgs(c);
      return;
    }
    alter(c, from, (pg ? "DROP CONSTRAINT " : "DROP FOREIGN KEY ") + id(n));
  }

  private void addCheck(Call c, String t, Value expr, Map<String, Value> opts) {
    if (t == null || !(expr instanceof Str s) || s.interpolated()) {
      unreadArgs(c);
      return;
    }
    String n = opts.get("name") != null ? name(opts.get("name")) : "chk_rails_" + t;
    boolean validate = !(opts.get("validate") instanceof Bool v && !v.value());
    alter(c, t, "ADD CONSTRAINT " + id(n) + " CHECK (" + s.value() + ")" + (validate || !pg ? "" : " NOT VALID"));
  }

  // ------------------------------------------------------------------ change_table

  private void changeTable(Call c, boolean inChange) {
    String t = table(c);
    if (t == null || c.block() == null) {
      unreadArgs(c);
      return;
    }
    boolean bulk = truthy(c.kw("bulk"));
    String var = c.block().params().isEmpty() ? "t" : c.block().params().get(0);
    List<String> actions = new ArrayList<>();
    int firstLine = -1;
    for (Node n : c.block().body()) {
      if (!(n instanceof Call tc) || !var.equals(tc.receiver())) {
        flushBulk(t, actions, firstLine);
        firstLine = -1;
        node(n, inChange);
        continue;
      }
      List<String> mine = tableAlteration(tc, t, inChange);
      if (mine == null) {
        continue; // emitted on its own (an index), or unread
      }
      if (bulk) {
        if (firstLine < 0) {
          firstLine = tc.line();
        }
        actions.addAll(mine);
      } else {
        b.sql("ALTER TABLE " + b.qualified(t) + " " + String.join(", ", mine), tc.line());
      }
    }
    flushBulk(t, actions, firstLine);
  }

  private void flushBulk(String t, List<String> actions, int line) {
    if (!actions.isEmpty()) {
      b.sql("ALTER TABLE " + b.qualified(t) + " " + String.join(", ", actions), line);
      actions.clear();
    }
  }

  /** One {@code t.xxx} of change_table as ALTER TABLE actions; null when it was emitted as its own statement. */
  private List<String> tableAlteration(Call tc, String t, boolean inChange) {
    String m = tc.name();
    List<String> out = new ArrayList<>();
    switch (m) {
      case "remove", "remove_columns" -> {
        irreversible |= inChange && tc.kw("type") == null;
        for (Value v : tc.args()) {
          String n = name(v);
          if (n == null) {
            unreadArgs(tc);
            return null;
          }
          out.add("DROP COLUMN " + (truthy(tc.kw("if_exists")) && pg ? "IF EXISTS " : "") + id(n));
        }
      }
      case "rename" -> {
        String from = name(tc.arg(0));
        String to = name(tc.arg(1));
        if (from == null || to == null) {
          unreadArgs(tc);
          return null;
        }
        out.add("RENAME COLUMN " + id(from) + " TO " + id(to));
      }
      case "change" -> {
        irreversible |= inChange;
        String col = name(tc.arg(0));
        String type = typeName(tc.arg(1));
        if (col == null || type == null) {
          unreadArgs(tc);
          return null;
        }
        out.add(pg ? "ALTER COLUMN " + id(col) + " TYPE " + sqlType(type, tc.kwargs()) : "MODIFY " + columnDef(col, type, tc.kwargs()));
        if (pg && tc.kw("null") instanceof Bool nn) {
          out.add("ALTER COLUMN " + id(col) + (nn.value() ? " DROP NOT NULL" : " SET NOT NULL"));
        }
      }
      case "change_default" -> {
        String col = name(tc.arg(0));
        Value v = tc.arg(1) instanceof Hash h ? h.entries().get("to") : tc.arg(1);
        if (col == null) {
          unreadArgs(tc);
          return null;
        }
        out.add("ALTER COLUMN " + id(col) + (v == null || v instanceof Nil ? " DROP DEFAULT" : " SET DEFAULT " + defaultSql(v)));
      }
      case "change_null" -> {
        String col = name(tc.arg(0));
        if (col == null || !(tc.arg(1) instanceof Bool nn)) {
          unreadArgs(tc);
          return null;
        }
        if (!nn.value() && tc.arg(2) != null && !(tc.arg(2) instanceof Nil)) {
          b.sql("UPDATE " + b.qualified(t) + " SET " + id(col) + " = " + defaultSql(tc.arg(2)) + " WHERE " + id(col)
              + " IS NULL", tc.line());
        }
        out.add(pg ? "ALTER COLUMN " + id(col) + (nn.value() ? " DROP NOT NULL" : " SET NOT NULL")
            : "MODIFY " + id(col) + " text" + (nn.value() ? " NULL" : " NOT NULL"));
      }
      case "index" -> {
        addIndex(tc, t, tc.arg(0), tc.kwargs());
        return null;
      }
      case "remove_index" -> {
        removeIndex(tc, t, tc.arg(0), tc.kwargs(), inChange);
        return null;
      }
      case "rename_index" -> {
        String from = name(tc.arg(0));
        String to = name(tc.arg(1));
        if (from != null && to != null) {
          b.sql(pg ? "ALTER INDEX " + id(from) + " RENAME TO " + id(to)
              : "ALTER TABLE " + b.qualified(t) + " RENAME INDEX " + id(from) + " TO " + id(to), tc.line());
        } else {
          unreadArgs(tc);
        }
        return null;
      }
      case "references", "belongs_to" -> {
        for (Value v : tc.args()) {
          addReference(tc, t, name(v), tc.kwargs(), true);
        }
        return null;
      }
      case "remove_references", "remove_belongs_to" -> {
        for (Value v : tc.args()) {
          String ref = name(v);
          if (ref == null) {
            unreadArgs(tc);
            return null;
          }
          out.add("DROP COLUMN " + id(ref + "_id"));
          if (truthy(tc.kw("polymorphic"))) {
            out.add("DROP COLUMN " + id(ref + "_type"));
          }
        }
      }
      case "timestamps" -> {
        Map<String, Value> o = new java.util.LinkedHashMap<>(tc.kwargs());
        o.putIfAbsent("null", new Bool(false));
        out.add("ADD COLUMN " + columnDef("created_at", "datetime", o));
        out.add("ADD COLUMN " + columnDef("updated_at", "datetime", o));
      }
      case "remove_timestamps" -> {
        out.add("DROP COLUMN " + id("created_at"));
        out.add("DROP COLUMN " + id("updated_at"));
      }
      case "check_constraint" -> {
        if (!(tc.arg(0) instanceof Str s) || s.interpolated()) {
          unreadArgs(tc);
          return null;
        }
        boolean validate = !(tc.kw("validate") instanceof Bool v && !v.value());
        out.add("ADD CONSTRAINT " + id(tc.kw("name") != null ? name(tc.kw("name")) : "chk_rails_" + t) + " CHECK ("
            + s.value() + ")" + (validate || !pg ? "" : " NOT VALID"));
      }
      case "remove_check_constraint" -> out.add("DROP CONSTRAINT " + id(tc.kw("name") != null ? name(tc.kw("name"))
          : "chk_rails_" + t));
      case "foreign_key" -> {
        addForeignKey(tc, t, name(tc.arg(0)), tc.kwargs());
        return null;
      }
      case "remove_foreign_key" -> {
        removeForeignKey(tc, t, tc.arg(0), tc.kwargs());
        return null;
      }
      case "column" -> {
        String n = name(tc.arg(0));
        String type = typeName(tc.arg(1));
        if (n == null || type == null) {
          unreadArgs(tc);
          return null;
        }
        out.add("ADD COLUMN " + columnDef(n, type, tc.kwargs()));
      }
      case "comment", "change_comment" -> {
        return null;
      }
      default -> {
        if (!TYPES.contains(m)) {
          unread(tc.line(), tc.text(), "a change_table method the probe does not know");
          return null;
        }
        for (Value v : tc.args()) {
          String n = name(v);
          if (n == null) {
            unreadArgs(tc);
            return null;
          }
          out.add("ADD COLUMN " + columnDef(n, m, tc.kwargs()));
        }
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ SQL strings

  private void execute(Call c, Value sqlValue) {
    Value v = sqlValue;
    if (v instanceof Expr e && locals.get(e.text()) != null) {
      v = locals.get(e.text());
    }
    if (!(v instanceof Str s)) {
      unread(c.line(), c.text(), "SQL the probe cannot see (not a string literal)");
      return;
    }
    if (s.interpolated()) {
      String masked = RailsOps.maskInterpolation(s.value());
      if (masked == null) {
        unread(c.line(), c.text(), "SQL built at run time (string interpolation outside a quoted value)");
        return;
      }
      b.sql(masked, s.line());
      return;
    }
    if (s.from() >= 0 && s.to() >= s.from()) {
      b.sqlAt(s.from(), s.to(), s.line());
    } else {
      b.sql(s.value(), s.line());
    }
  }

  /**
   * The SQL with each {@code #{...}} replaced by a placeholder when every interpolation sits inside a quoted SQL
   * value ({@code WHERE name = '#{name}'}): the statement's shape is then known. Null when one names a table, a
   * column or a keyword.
   */
  static String maskInterpolation(String sql) {
    StringBuilder out = new StringBuilder();
    boolean inQuote = false;
    for (int k = 0; k < sql.length(); k++) {
      char ch = sql.charAt(k);
      if (ch == '\'') {
        inQuote = !inQuote;
      }
      if (ch == '#' && k + 1 < sql.length() && sql.charAt(k + 1) == '{') {
        if (!inQuote) {
          return null;
        }
        int depth = 0;
        int e = k + 1;
        for (; e < sql.length(); e++) {
          if (sql.charAt(e) == '{') {
            depth++;
          } else if (sql.charAt(e) == '}' && --depth == 0) {
            break;
          }
        }
        out.append("tollgate_value");
        k = e;
        continue;
      }
      out.append(ch);
    }
    return out.toString();
  }

  private void scenic(Call c) {
    String n = name(c.arg(0));
    if (n == null) {
      unreadArgs(c);
      return;
    }
    boolean materialized = truthy(c.kw("materialized")) || c.kw("materialized") instanceof Hash;
    switch (c.name()) {
      case "create_view" -> b.sql("CREATE " + (materialized ? "MATERIALIZED " : "") + "VIEW " + b.qualified(n)
          + " AS SELECT 1", c.line());
      case "drop_view" -> b.sql("DROP " + (materialized ? "MATERIALIZED " : "") + "VIEW " + (truthy(c.kw("if_exists"))
          ? "IF EXISTS " : "") + b.qualified(n), c.line());
      case "update_view", "replace_view" -> {
        if (materialized) {
          // Scenic drops and re-creates a materialized view: readers of the old one fail until it is rebuilt.
          b.sql("DROP MATERIALIZED VIEW " + b.qualified(n), c.line());
          b.sql("CREATE MATERIALIZED VIEW " + b.qualified(n) + " AS SELECT 1", c.line());
        } else {
          b.sql("CREATE OR REPLACE VIEW " + b.qualified(n) + " AS SELECT 1", c.line());
        }
      }
      default -> unread(c.line(), c.text(), "a schema method of a gem the probe does not read");
    }
  }

  // ------------------------------------------------------------------ values and types

  private void alter(Call c, String t, String action) {
    if (t == null || action.contains("\"null\"")) {
      unreadArgs(c);
      return;
    }
    b.sql("ALTER TABLE " + b.qualified(t) + " " + action, c.line());
  }

  private void unreadArgs(Call c) {
    unread(c.line(), c.text(), "arguments the probe cannot read statically");
  }

  private String table(Call c) {
    return name(c.arg(0));
  }

  /** A symbol's or string's name (a local variable holding one too); null for anything else. */
  private String name(Value v) {
    if (v instanceof Sym s) {
      return s.name();
    }
    if (v instanceof Str s && !s.interpolated()) {
      return s.value();
    }
    if (v instanceof Expr e && locals.get(e.text()) != null && !(locals.get(e.text()) instanceof Expr)) {
      return name(locals.get(e.text()));
    }
    return null;
  }

  private List<String> names(Value v) {
    if (v instanceof Arr a) {
      List<String> out = new ArrayList<>();
      for (Value x : a.items()) {
        String n = name(x);
        if (n == null) {
          return null;
        }
        out.add(n);
      }
      return out;
    }
    String n = name(v);
    return n == null ? null : List.of(n);
  }

  private String cols(List<String> names) {
    return String.join(", ", names.stream().map(this::id).toList());
  }

  private String id(String name) {
    return name == null ? "\"null\"" : b.ident(name);
  }

  private static boolean truthy(Value v) {
    return v != null && !(v instanceof Nil) && !(v instanceof Bool bo && !bo.value());
  }

  private String typeName(Value v) {
    return v instanceof Sym s ? s.name() : v instanceof Str s && !s.interpolated() ? s.value() : null;
  }

  /** ActiveRecord's column types. */
  static final Set<String> TYPES = Set.of("string", "text", "integer", "bigint", "float", "decimal", "numeric", "datetime",
      "timestamp", "timestamptz", "time", "date", "binary", "blob", "boolean", "json", "jsonb", "uuid", "inet", "cidr",
      "macaddr", "hstore", "citext", "ltree", "tsvector", "xml", "money", "interval", "point", "line", "lseg", "box",
      "path", "polygon", "circle", "daterange", "tsrange", "tstzrange", "int4range", "int8range", "numrange", "bit",
      "bit_varying", "enum", "virtual", "serial", "bigserial", "smallint", "oid", "tinyint", "mediumint", "char",
      "varchar", "geometry", "geography", "st_point", "st_polygon", "vector", "primary_key");

  private String columnDef(String name, String type, Map<String, Value> opts) {
    StringBuilder s = new StringBuilder(id(name)).append(' ');
    if (type.equals("virtual")) {
      String real = opts.get("type") != null ? typeName(opts.get("type")) : "string";
      s.append(sqlType(real == null ? "string" : real, opts));
      String as = opts.get("as") instanceof Str a ? a.value() : "NULL";
      boolean stored = truthy(opts.get("stored"));
      s.append(" GENERATED ALWAYS AS (").append(as).append(')').append(stored ? " STORED" : pg ? " VIRTUAL" : " VIRTUAL");
      return s.toString();
    }
    s.append(sqlType(type, opts));
    if (opts.get("null") instanceof Bool n && !n.value()) {
      s.append(" NOT NULL");
    }
    if (opts.containsKey("default") && !(opts.get("default") instanceof Nil)) {
      s.append(" DEFAULT ").append(defaultSql(opts.get("default")));
    }
    if (truthy(opts.get("primary_key"))) {
      s.append(" PRIMARY KEY");
    }
    if (truthy(opts.get("auto_increment")) && !pg) {
      s.append(" AUTO_INCREMENT");
    }
    return s.toString();
  }

  /** A default as SQL: literals quoted; {@code -> { "now()" }} is the SQL expression it returns. */
  private String defaultSql(Value v) {
    if (v instanceof Str s) {
      return MigrationBuilder.literal(s.interpolated() ? "value" : s.value());
    }
    if (v instanceof Num n) {
      return n.text();
    }
    if (v instanceof Bool bo) {
      return bo.value() ? "TRUE" : "FALSE";
    }
    if (v instanceof Sym s) {
      return MigrationBuilder.literal(s.name());
    }
    if (v instanceof Lambda l) {
      // -> { "gen_random_uuid()" }: ActiveRecord uses the string the block returns as the SQL expression.
      Matcher m = QUOTED.matcher(l.text());
      if (m.find()) {
        return m.group(1) != null ? m.group(1) : m.group(2);
      }
      return "tollgate_unknown_function()";
    }
    if (v instanceof Hash || v instanceof Arr) {
      return MigrationBuilder.literal(v instanceof Hash ? "{}" : "[]");
    }
    // Any other Ruby expression is evaluated once, when the migration runs: a constant to the database.
    return MigrationBuilder.literal("value");
  }

  private String sqlType(String type, Map<String, Value> opts) {
    int limit = opts.get("limit") instanceof Num n ? parseInt(n.text()) : -1;
    int precision = opts.get("precision") instanceof Num n ? parseInt(n.text()) : opts.get("precision") instanceof Nil ? -2 : -1;
    int scale = opts.get("scale") instanceof Num n ? parseInt(n.text()) : -1;
    boolean array = truthy(opts.get("array"));
    String t = pg ? pgType(type, limit, precision, scale, opts) : mysqlType(type, limit, precision, scale);
    return array && pg ? t + "[]" : t;
  }

  private String pgType(String type, int limit, int precision, int scale, Map<String, Value> opts) {
    return switch (type) {
      case "string" -> limit > 0 ? "varchar(" + limit + ")" : "varchar";
      case "text" -> "text";
      case "integer" -> limit > 0 && limit <= 2 ? "smallint" : limit > 4 ? "bigint" : "integer";
      case "bigint" -> "bigint";
      case "smallint" -> "smallint";
      case "float" -> "float8";
      case "decimal", "numeric" -> precision > 0 ? "numeric(" + precision + (scale >= 0 ? ", " + scale : "") + ")" : "numeric";
      case "datetime", "timestamp" -> precision == -2 ? "timestamp" : "timestamp(" + (precision >= 0 ? precision : 6) + ")";
      case "timestamptz" -> precision >= 0 ? "timestamptz(" + precision + ")" : "timestamptz";
      case "time" -> "time";
      case "date" -> "date";
      case "binary", "blob" -> "bytea";
      case "boolean" -> "boolean";
      case "bit_varying" -> "bit varying";
      case "enum" -> opts.get("enum_type") != null ? id(name(opts.get("enum_type"))) : "text";
      case "primary_key" -> "bigserial PRIMARY KEY";
      case "char" -> limit > 0 ? "char(" + limit + ")" : "char";
      case "varchar" -> limit > 0 ? "varchar(" + limit + ")" : "varchar";
      case "st_point", "geometry", "geography", "st_polygon" -> "geometry";
      default -> type;
    };
  }

  private static String mysqlType(String type, int limit, int precision, int scale) {
    return switch (type) {
      case "string" -> "varchar(" + (limit > 0 ? limit : 255) + ")";
      case "text" -> limit > 0 && limit <= 255 ? "tinytext" : limit > 65535 && limit <= 16777215 ? "mediumtext"
          : limit > 16777215 ? "longtext" : "text";
      case "integer" -> limit == 1 ? "tinyint" : limit == 2 ? "smallint" : limit == 3 ? "mediumint" : limit > 4 ? "bigint" : "int";
      case "bigint" -> "bigint";
      case "float" -> "float";
      case "decimal", "numeric" -> precision > 0 ? "decimal(" + precision + (scale >= 0 ? "," + scale : "") + ")" : "decimal";
      case "datetime" -> precision == -2 ? "datetime" : "datetime(" + (precision >= 0 ? precision : 6) + ")";
      case "timestamp" -> "timestamp";
      case "binary", "blob" -> "blob";
      case "boolean" -> "tinyint(1)";
      case "primary_key" -> "bigint AUTO_INCREMENT PRIMARY KEY";
      default -> type;
    };
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
