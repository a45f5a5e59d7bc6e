package dev.tollgate.probes.rollback;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.tollgate.probes.api.YamlLimits;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Manifests as YAML trees with line numbers. SnakeYAML's composer rather than Jackson: findings point at the
 * {@code image:} line, and Helm values use anchors and merge keys ({@code <<: *defaults}) that the composer resolves.
 */
final class YamlTree {
  /**
   * Nodes one file may expand to. Aliases are expanded, so the aliases {@link YamlLimits#MAX_ALIASES} allows can still
   * name millions of nodes; no real manifest comes near this.
   */
  static final int MAX_NODES = 200_000;

  private YamlTree() {}

  /** What a node is. */
  enum Kind { MAP, LIST, SCALAR, NULL, MISSING }

  /**
   * One node. {@code line} is the line of the key naming it (for a mapping value) or of the item (in a list), so a
   * finding about {@code image:} or a missing {@code readinessProbe} points where a reader looks.
   */
  record Node(Kind kind, String text, int line, Map<String, Node> fields, List<Node> items) {
    static final Node MISSING = new Node(Kind.MISSING, null, 0, Map.of(), List.of());

    /** The field {@code key}, or {@link #MISSING}: lookups chain without null checks. */
    Node get(String key) {
      Node n = fields.get(key);
      return n == null ? MISSING : n;
    }

    /** {@code get(a).get(b)...}. */
    Node path(String... keys) {
      Node n = this;
      for (String k : keys) {
        n = n.get(k);
      }
      return n;
    }

    boolean isMap() {
      return kind == Kind.MAP;
    }

    boolean isList() {
      return kind == Kind.LIST;
    }

    boolean isScalar() {
      return kind == Kind.SCALAR;
    }

    boolean isMissing() {
      return kind == Kind.MISSING;
    }

    /** True when the node is absent or YAML null ({@code key:} with nothing after it). */
    boolean isAbsent() {
      return kind == Kind.MISSING || kind == Kind.NULL;
    }

    /** The scalar's text, stripped; empty for anything else. */
    String string() {
      return kind == Kind.SCALAR ? text.strip() : "";
    }

    /** The scalar as an integer, if it is one. */
    Optional<Long> integer() {
      if (kind != Kind.SCALAR) {
        return Optional.empty();
      }
      try {
        return Optional.of(Long.parseLong(text.strip()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
  }

  /**
   * Every non-empty document of {@code text}, in order; empty when the text is not YAML (a Helm template, a file
   * over the alias limit): such a file is not a manifest Kubernetes or Compose would accept either.
   */
  static List<Node> documents(String text) {
    return parse(text).documents();
  }

  /**
   * The documents of a file, or why it cannot be read.
   *
   * @param documents every non-empty document, empty when {@code problem} is set
   * @param problem why the text is not usable YAML (never quoting it: the parser's own messages show the offending
   *     line), else null
   */
  record Parsed(List<Node> documents, String problem) {}

  /** Parses {@code text} like {@link #documents}, keeping why it failed. */
  static Parsed parse(String text) {
    // Bounds against alias bombs and deep nesting; duplicates allowed because kubectl and Helm accept them.
    LoaderOptions options = YamlLimits.options();
    List<Node> docs = new ArrayList<>();
    int[] budget = {MAX_NODES};
    try {
      for (org.yaml.snakeyaml.nodes.Node doc : new Yaml(options).composeAll(new StringReader(text))) {
        if (doc != null) {
          docs.add(convert(doc, doc.getStartMark().getLine() + 1, 0, budget));
        }
      }
    } catch (YAMLException | IllegalStateException e) {
      return new Parsed(List.of(), problem(e));
    }
    return new Parsed(docs, null);
  }

  private static String problem(RuntimeException e) {
    if (e instanceof IllegalStateException) {
      return "it expands to " + e.getMessage() + " (YAML aliases or nesting: an alias bomb?)";
    }
    String m = String.valueOf(e.getMessage());
    if (m.contains("Number of aliases")) {
      return "it uses more than " + YamlLimits.MAX_ALIASES + " aliases for collections (an alias bomb?)";
    }
    if (m.contains("exceeds the limit")) {
      return "it is larger than the " + YamlLimits.MAX_CODE_POINTS / (1024 * 1024) + " MiB YAML limit";
    }
    if (m.contains("Nesting Depth exceeded")) {
      return "it is nested deeper than " + YamlLimits.MAX_DEPTH + " levels";
    }
    if (e instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblemMark() != null) {
      return "not valid YAML (line " + (marked.getProblemMark().getLine() + 1) + ")";
    }
    return "not valid YAML";
  }

  private static Node convert(org.yaml.snakeyaml.nodes.Node node, int line, int depth, int[] budget) {
    // A recursive alias (&a [*a]) would nest forever: the depth limit ends it, and the file is skipped.
    if (depth > YamlLimits.MAX_DEPTH) {
      throw new IllegalStateException("nested deeper than " + YamlLimits.MAX_DEPTH);
    }
    if (--budget[0] < 0) {
      throw new IllegalStateException("more than " + MAX_NODES + " nodes");
    }
    if (node instanceof ScalarNode scalar) {
      return Tag.NULL.equals(scalar.getTag()) ? new Node(Kind.NULL, "", line, Map.of(), List.of())
          : new Node(Kind.SCALAR, scalar.getValue(), line, Map.of(), List.of());
    }
    if (node instanceof SequenceNode seq) {
      List<Node> items = new ArrayList<>();
      for (org.yaml.snakeyaml.nodes.Node item : seq.getValue()) {
        items.add(convert(item, item.getStartMark().getLine() + 1, depth + 1, budget));
      }
      return new Node(Kind.LIST, null, line, Map.of(), Collections.unmodifiableList(items));
    }
    MappingNode map = (MappingNode) node;
    Map<String, Node> fields = new LinkedHashMap<>();
    Map<String, Node> merged = new LinkedHashMap<>();
    for (NodeTuple tuple : map.getValue()) {
      org.yaml.snakeyaml.nodes.Node key = tuple.getKeyNode();
      org.yaml.snakeyaml.nodes.Node value = tuple.getValueNode();
      if (Tag.MERGE.equals(key.getTag())) {
        // '<<: *base' or '<<: [*a, *b]': earlier sources win among themselves, explicit keys win over all.
        List<org.yaml.snakeyaml.nodes.Node> sources = value instanceof SequenceNode s ? s.getValue() : List.of(value);
        for (org.yaml.snakeyaml.nodes.Node source : sources) {
          Node m = convert(source, key.getStartMark().getLine() + 1, depth + 1, budget);
          m.fields().forEach(merged::putIfAbsent);
        }
        continue;
      }
      String name = key instanceof ScalarNode k ? k.getValue() : "?";
      fields.put(name, convert(value, key.getStartMark().getLine() + 1, depth + 1, budget));
    }
    Map<String, Node> all = new LinkedHashMap<>(merged);
    all.putAll(fields);
    return new Node(Kind.MAP, null, line, Collections.unmodifiableMap(all), List.of());
  }
}
