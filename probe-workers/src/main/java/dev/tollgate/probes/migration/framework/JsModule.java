package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.framework.Code.Arg;
import dev.tollgate.probes.migration.framework.Code.Bin;
import dev.tollgate.probes.migration.framework.Code.Block;
import dev.tollgate.probes.migration.framework.Code.Expr;
import dev.tollgate.probes.migration.framework.Code.Fn;
import dev.tollgate.probes.migration.framework.Code.Member;
import dev.tollgate.probes.migration.framework.Code.Name;
import dev.tollgate.probes.migration.framework.Code.Node;
import dev.tollgate.probes.migration.framework.Code.Obj;
import dev.tollgate.probes.migration.framework.Code.Stmt;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a JavaScript or TypeScript migration module exports, however it spells it: {@code exports.up = ...},
 * {@code module.exports = { up, down, config }}, {@code export async function up(...)}, {@code export const up = ...},
 * {@code export default { ... }}. Knex and Sequelize migrations are modules of this shape.
 */
final class JsModule {
  /** A JavaScript or TypeScript file (not a declaration file) in a directory whose name says migrations. */
  static final Pattern MIGRATION_DIR_FILE = Pattern.compile(
      "(^|.*/)[^/]*[Mm]igration[^/]*/(.+/)?[^/]+(?<!\\.d)\\.(js|ts|mjs|cjs|mts|cts)");

  private final Map<String, Node> exports = new LinkedHashMap<>();

  private JsModule() {}

  static JsModule of(List<Stmt> stmts) {
    JsModule m = new JsModule();
    Map<String, Node> locals = new HashMap<>();
    for (Stmt s : stmts) {
      if (s instanceof Block b && b.fn() != null && b.fn().name() != null) {
        locals.put(b.fn().name(), b.fn());
      } else if (s instanceof Expr e && e.expr() instanceof Bin bin && bin.op().equals("=")
          && bin.left() instanceof Name n) {
        locals.put(n.name(), bin.right());
      }
    }
    for (Stmt s : stmts) {
      if (s instanceof Block b && b.fn() != null && b.fn().name() != null) {
        m.exports.putIfAbsent(b.fn().name(), b.fn()); // export function up(): exported or referenced later
      }
      if (!(s instanceof Expr e) || !(e.expr() instanceof Bin bin) || !bin.op().equals("=")) {
        continue;
      }
      Node left = bin.left();
      Node value = resolve(bin.right(), locals);
      if (isModuleExports(left) || left instanceof Name n && n.name().equals("default")) {
        if (value instanceof Obj o) {
          for (Arg a : o.entries()) {
            if (a.name() != null) {
              m.exports.put(a.name(), resolve(a.value(), locals));
            }
          }
        }
      } else if (left instanceof Member mem && (isModuleExports(mem.target())
          || mem.target() instanceof Name t && t.name().equals("exports"))) {
        m.exports.put(mem.name(), value);
      } else if (left instanceof Name n) {
        m.exports.putIfAbsent(n.name(), value); // export const up = ...
      }
    }
    return m;
  }

  private static boolean isModuleExports(Node n) {
    return n instanceof Member m && m.name().equals("exports") && m.target() instanceof Name t
        && t.name().equals("module");
  }

  private static Node resolve(Node n, Map<String, Node> locals) {
    if (n instanceof Name nm && locals.containsKey(nm.name())) {
      return locals.get(nm.name());
    }
    return n;
  }

  /** The exported function {@code name}, else null. */
  Fn function(String name) {
    return exports.get(name) instanceof Fn f ? f : null;
  }

  /** The exported value {@code name}, else null. */
  Node value(String name) {
    return exports.get(name);
  }
}
