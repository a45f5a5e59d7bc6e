package dev.tollgate.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

/**
 * {@code tollgate.yml}, the server configuration: read once at start, every top-level key known, each section
 * handed to the service that owns it. Without {@code --config}, the built-in default (the all-in-one tour:
 * three environments, local repositories allowed) is used.
 *
 * @param builtIn true when no file was given (the all-in-one default)
 */
public record ServerConfigFile(String source, JsonNode root, boolean builtIn) {
  static final Set<String> KEYS = Set.of("tenants", "http", "gate", "kafka", "defaults", "environments", "repositories",
      "tokens", "worker", "github", "gitlab", "slack", "tracing", "attestations");
  static final String DEFAULT_RESOURCE = "/default-tollgate.yml";

  /**
   * Loads {@code file}, or the built-in default when null.
   *
   * @throws IllegalArgumentException naming the file, the key and the problem
   */
  public static ServerConfigFile load(Path file) {
    if (file == null) {
      try (InputStream in = ServerConfigFile.class.getResourceAsStream(DEFAULT_RESOURCE)) {
        return parse("built-in default", new String(in.readAllBytes(), StandardCharsets.UTF_8), true);
      } catch (IOException e) {
        throw new IllegalStateException("built-in configuration missing", e);
      }
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("config " + file + ": no such file");
    }
    try {
      return parse(file.toString(), Files.readString(file), false);
    } catch (IOException e) {
      throw new IllegalArgumentException("config " + file + ": cannot read: " + e.getMessage());
    }
  }

  static ServerConfigFile parse(String source, String yaml, boolean builtIn) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("config " + source + ": not valid YAML: " + e.getOriginalMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = MissingNode.getInstance();
    } else if (!root.isObject()) {
      throw new IllegalArgumentException("config " + source + ": expected a mapping at the top level");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("config " + source + ": " + key + ": unknown key (known: "
            + KEYS.stream().sorted().toList() + ")");
      }
    }
    return new ServerConfigFile(source, root, builtIn);
  }

  /** A top-level section, missing node when absent. */
  public JsonNode section(String key) {
    return root.path(key);
  }
}
