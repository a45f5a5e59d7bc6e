package dev.tollgate.probes.parity;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed document before flattening: the tree YAML, JSON and HCL have in common. A field's node carries the
 * line of its key, so findings point at the key a reviewer looks for.
 */
record Node(Value.Type type, String text, Map<String, Node> fields, List<Node> items, int line) {
  Node {
    fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    items = items == null ? List.of() : List.copyOf(items);
  }

  static Node scalar(Value.Type type, String text, int line) {
    return new Node(type, text, null, null, line);
  }

  static Node map(Map<String, Node> fields, int line) {
    return new Node(Value.Type.MAP, "", fields, null, line);
  }

  static Node list(List<Node> items, int line) {
    return new Node(Value.Type.LIST, "", null, items, line);
  }

  boolean isScalar() {
    return type != Value.Type.MAP && type != Value.Type.LIST;
  }
}
