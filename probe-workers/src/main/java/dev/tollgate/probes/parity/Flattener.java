package dev.tollgate.probes.parity;

import dev.tollgate.probes.api.YamlLimits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a document tree into dotted keys. Lists of scalars stay one value (their order is content); lists of
 * mappings that all carry a {@code name} (Kubernetes containers, env vars, Kustomize images) are keyed by it, so
 * reordering them between environments is not a difference; lists of {@code KEY=VALUE} strings (Kustomize
 * {@code literals}) become one key per variable.
 */
final class Flattener {
  /** A flattened key, before it is tied to a file. */
  record Flat(String key, Value value, int line, boolean loose) {}

  static final int MAX_KEYS = 20_000;
  private static final List<String> NAME_FIELDS = List.of("name", "key", "id");
  private static final Pattern ASSIGNMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_.-]*)=(.*)", Pattern.DOTALL);

  private Flattener() {}

  static List<Flat> flatten(Node root, String prefix) throws ConfigSyntaxException {
    List<Flat> out = new ArrayList<>();
    walk(prefix, root, 0, out);
    return out;
  }

  private static void walk(String key, Node node, int depth, List<Flat> out) throws ConfigSyntaxException {
    if (depth > YamlLimits.MAX_DEPTH) {
      // Also stops recursive YAML aliases, which would otherwise never end.
      throw new ConfigSyntaxException(node.line(), "nested deeper than " + YamlLimits.MAX_DEPTH + " levels");
    }
    if (out.size() > MAX_KEYS) {
      throw new ConfigSyntaxException(node.line(), "more than " + MAX_KEYS + " keys");
    }
    switch (node.type()) {
      case MAP -> {
        if (node.fields().isEmpty()) {
          leaf(key, new Value(Value.Type.MAP, "{}"), node.line(), false, out);
          return;
        }
        for (Map.Entry<String, Node> f : node.fields().entrySet()) {
          walk(join(key, f.getKey()), f.getValue(), depth + 1, out);
        }
      }
      case LIST -> walkList(key, node, depth, out);
      default -> leaf(key, new Value(node.type(), node.text()), node.line(), false, out);
    }
  }

  private static void walkList(String key, Node node, int depth, List<Flat> out) throws ConfigSyntaxException {
    List<Node> items = node.items();
    if (items.isEmpty()) {
      leaf(key, new Value(Value.Type.LIST, "[]"), node.line(), false, out);
      return;
    }
    if (items.stream().allMatch(Node::isScalar)) {
      if (items.stream().allMatch(i -> i.type() == Value.Type.STRING && ASSIGNMENT.matcher(i.text()).matches())) {
        for (Node item : items) {
          var m = ASSIGNMENT.matcher(item.text());
          if (m.matches()) {
            // KEY=VALUE strings are read as environment variables: untyped, hence loose.
            leaf(join(key, m.group(1)), Value.string(m.group(2)), item.line(), true, out);
          }
        }
        return;
      }
      List<String> texts = new ArrayList<>();
      for (Node item : items) {
        texts.add(item.text());
      }
      leaf(key, new Value(Value.Type.LIST, "[" + String.join(", ", texts) + "]"), node.line(), false, out);
      return;
    }
    String nameField = nameField(items);
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      String segment = nameField == null ? String.valueOf(i) : item.fields().get(nameField).text();
      walk(key + "[" + segment + "]", item, depth + 1, out);
    }
  }

  /** The field naming every item uniquely, or null when the items must be keyed by position. */
  private static String nameField(List<Node> items) {
    for (String field : NAME_FIELDS) {
      Set<String> seen = new HashSet<>();
      boolean all = true;
      for (Node item : items) {
        Node name = item.type() == Value.Type.MAP ? item.fields().get(field) : null;
        if (name == null || !name.isScalar() || name.text().isEmpty() || !seen.add(name.text())) {
          all = false;
          break;
        }
      }
      if (all) {
        return field;
      }
    }
    return null;
  }

  private static void leaf(String key, Value value, int line, boolean loose, List<Flat> out) {
    out.add(new Flat(key, value, line, loose));
  }

  static String join(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }
}
