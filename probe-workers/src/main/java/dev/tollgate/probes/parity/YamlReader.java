package dev.tollgate.probes.parity;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.tollgate.probes.api.YamlLimits;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads YAML documents with line numbers. SnakeYAML's composer (not Jackson's streaming parser) because it
 * resolves aliases and merge keys ({@code <<: *defaults}), which Helm values use, and keeps each node's line.
 */
final class YamlReader {
  private YamlReader() {}

  /** Every document of the file, in order; empty documents are skipped. */
  static List<Node> read(String text) throws ConfigSyntaxException {
    // Bounds against alias bombs and huge files; duplicates are allowed because Helm and Spring accept them.
    LoaderOptions options = YamlLimits.options();
    List<Node> docs = new ArrayList<>();
    try {
      for (org.yaml.snakeyaml.nodes.Node doc : new Yaml(options).composeAll(new StringReader(text))) {
        if (doc != null) {
          docs.add(convert(doc, doc.getStartMark().getLine() + 1, 0));
        }
      }
    } catch (MarkedYAMLException e) {
      // The problem text can quote the offending token, which may be a secret: only the line is kept.
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new ConfigSyntaxException(line, "not valid YAML");
    } catch (YAMLException e) {
      throw new ConfigSyntaxException(0, "not valid YAML (or over the alias/size limits)");
    }
    return docs;
  }

  private static Node convert(org.yaml.snakeyaml.nodes.Node node, int line, int depth) throws ConfigSyntaxException {
    if (depth > YamlLimits.MAX_DEPTH) {
      throw new ConfigSyntaxException(line, "nested deeper than " + YamlLimits.MAX_DEPTH + " levels");
    }
    if (node instanceof ScalarNode scalar) {
      Value.Type type = type(scalar.getTag());
      return Node.scalar(type, type == Value.Type.NULL ? "null" : scalar.getValue(), line);
    }
    if (node instanceof SequenceNode seq) {
      List<Node> items = new ArrayList<>();
      for (org.yaml.snakeyaml.nodes.Node item : seq.getValue()) {
        items.add(convert(item, item.getStartMark().getLine() + 1, depth + 1));
      }
      return Node.list(items, line);
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
          Node m = convert(source, key.getStartMark().getLine() + 1, depth + 1);
          for (Map.Entry<String, Node> e : m.fields().entrySet()) {
            merged.putIfAbsent(e.getKey(), e.getValue());
          }
        }
        continue;
      }
      String name = key instanceof ScalarNode k ? k.getValue() : "?";
      fields.put(name, convert(value, key.getStartMark().getLine() + 1, depth + 1));
    }
    Map<String, Node> all = new LinkedHashMap<>(merged);
    all.putAll(fields);
    return Node.map(all, line);
  }

  private static Value.Type type(Tag tag) {
    if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
      return Value.Type.NUMBER;
    }
    if (Tag.BOOL.equals(tag)) {
      return Value.Type.BOOLEAN;
    }
    if (Tag.NULL.equals(tag)) {
      return Value.Type.NULL;
    }
    return Value.Type.STRING;
  }
}
