package dev.tollgate.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.contracts.ConfigKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
      "tokens", "worker", "github", "gitlab", "slack", "tracing", "attestations", "delivery");
  static final String DEFAULT_RESOURCE = "/default-tollgate.yml";

  /**
   * Loads {@code file}, or the built-in default when null, and refuses unknown top-level keys ({@code check},
   * {@code calendar}: commands that read a few sections).
   *
   * @throws IllegalArgumentException naming the file, the key and the problem
   */
  public static ServerConfigFile load(Path file) {
    return read(file).strict();
  }

  /**
   * This file, when its top-level keys are all known.
   *
   * @throws IllegalArgumentException naming every unknown key
   */
  ServerConfigFile strict() {
    try {
      requireKnownKeys(root);
    } catch (IllegalArgumentException e) {
      String hint = repositoryFileHint();
      throw new IllegalArgumentException("config " + source + ": " + e.getMessage() + (hint == null ? "" : "; " + hint));
    }
    return this;
  }

  /**
   * Loads {@code file}, or the built-in default when null, leaving unknown top-level keys to {@link ServerSetup}, which
   * reports them with every other problem.
   *
   * @throws IllegalArgumentException when the file is missing, unreadable, not YAML or not a mapping
   */
  static ServerConfigFile read(Path file) {
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
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new IllegalArgumentException("config " + file + ": cannot read it as UTF-8 text");
    }
  }

  static ServerConfigFile parse(String source, String yaml, boolean builtIn) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("config " + source + ": not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = MissingNode.getInstance();
    } else if (!root.isObject()) {
      throw new IllegalArgumentException("config " + source + ": expected a mapping at the top level");
    }
    return new ServerConfigFile(source, root, builtIn);
  }

  /**
   * Checks the top-level keys of {@code root} (this file's root, or a copy of it).
   *
   * @throws ConfigKeys.UnknownKeys naming each unknown key
   */
  void requireKnownKeys(JsonNode root) {
    ConfigKeys.requireKnown(root, KEYS, "");
  }

  /** When the file has a repository's keys ({@code version}, {@code requiredProbes}), the command that checks such a file. */
  String repositoryFileHint() {
    return root.has("version") || root.has("requiredProbes")
        ? "this looks like a repository's .tollgate.yml: check it with `tollgate config validate --repository " + source + "`"
        : null;
  }

  /** A top-level section, missing node when absent. */
  public JsonNode section(String key) {
    return root.path(key);
  }
}
