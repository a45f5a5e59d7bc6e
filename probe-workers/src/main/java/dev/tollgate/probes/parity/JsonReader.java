package dev.tollgate.probes.parity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.tollgate.probes.api.YamlLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON document with line numbers (Jackson's streaming parser: the tree API drops locations). Comments
 * and trailing commas are accepted because {@code appsettings.json} and tsconfig-style files use them.
 */
final class JsonReader {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
      .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(YamlLimits.MAX_DEPTH).build())
      .build();

  private JsonReader() {}

  static Node read(String text) throws ConfigSyntaxException {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return Node.map(Map.of(), 1);
      }
      Node root = value(p, first, line(p));
      if (p.nextToken() != null) {
        throw new ConfigSyntaxException(line(p), "more than one JSON value");
      }
      return root;
    } catch (JsonProcessingException e) {
      // Jackson's message quotes the unexpected token; keep only the line.
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new ConfigSyntaxException(Math.max(line, 0), "not valid JSON");
    } catch (IOException e) {
      throw new ConfigSyntaxException(0, "not readable as JSON");
    }
  }

  private static Node value(JsonParser p, JsonToken token, int line) throws IOException, ConfigSyntaxException {
    switch (token) {
      case START_OBJECT -> {
        Map<String, Node> fields = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          int keyLine = line(p);
          fields.put(name, value(p, p.nextToken(), keyLine));
        }
        return Node.map(fields, line);
      }
      case START_ARRAY -> {
        List<Node> items = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          items.add(value(p, t, line(p)));
        }
        return Node.list(items, line);
      }
      case VALUE_STRING -> {
        return Node.scalar(Value.Type.STRING, p.getText(), line);
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return Node.scalar(Value.Type.NUMBER, p.getText(), line);
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return Node.scalar(Value.Type.BOOLEAN, p.getText(), line);
      }
      case VALUE_NULL -> {
        return Node.scalar(Value.Type.NULL, "null", line);
      }
      default -> throw new ConfigSyntaxException(line, "unexpected JSON token");
    }
  }

  private static int line(JsonParser p) {
    return Math.max(p.currentTokenLocation().getLineNr(), 0);
  }
}
