package dev.tollgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the platform sections of {@code tollgate.yml} ({@code github:}, {@code gitlab:}, {@code attestations:}) read
 * secrets, URLs and their keys, in one place: a secret comes from a file ({@code ...File}) or an environment variable
 * ({@code ...Env}), never from the file itself or the command line; errors name the key and never the secret; URLs
 * are https (http only on loopback) without credentials, query or fragment; an unknown key is an error.
 */
public final class ConfigSecrets {
  private static final Logger log = LoggerFactory.getLogger(ConfigSecrets.class);

  private ConfigSecrets() {}

  /**
   * Exactly one of {@code fileKey} and {@code envKey}; the secret it points at, stripped, non-empty.
   *
   * @param prefix the section's path for messages, e.g. {@code github} or {@code gitlab.tenants.acme}
   * @throws IllegalArgumentException naming the key, never the secret
   */
  public static String required(JsonNode section, String prefix, String fileKey, String envKey, Function<String, String> env) {
    boolean file = section.has(fileKey);
    boolean var = section.has(envKey);
    if (file == var) {
      throw new IllegalArgumentException(prefix + "." + fileKey + ": expected exactly one of " + fileKey + " (a file) or " + envKey
          + " (an environment variable's name)" + (file ? ", got both" : ""));
    }
    return read(section, prefix, fileKey, envKey, env);
  }

  /**
   * The secret named by {@code fileKey} or {@code envKey}, or null when neither is set.
   *
   * @throws IllegalArgumentException when both are set or the secret cannot be read, naming the key
   */
  public static String optional(JsonNode section, String prefix, String fileKey, String envKey, Function<String, String> env) {
    if (!section.has(fileKey) && !section.has(envKey)) {
      return null;
    }
    return required(section, prefix, fileKey, envKey, env);
  }

  private static String read(JsonNode section, String prefix, String fileKey, String envKey, Function<String, String> env) {
    boolean file = section.has(fileKey);
    String value;
    if (file) {
      JsonNode node = section.path(fileKey);
      if (!node.isTextual() || node.asText().isBlank()) {
        throw new IllegalArgumentException(prefix + "." + fileKey + ": expected a file path");
      }
      Path path = Path.of(node.asText());
      if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
        throw new IllegalArgumentException(prefix + "." + fileKey + ": " + path + " is not a readable file");
      }
      warnIfOthersCanRead(path, prefix + "." + fileKey);
      try {
        value = Files.readString(path, StandardCharsets.UTF_8);
      } catch (IOException | java.io.UncheckedIOException e) {
        throw new IllegalArgumentException(prefix + "." + fileKey + ": cannot read " + path + " as UTF-8 text");
      }
    } else {
      JsonNode node = section.path(envKey);
      if (!node.isTextual() || !node.asText().matches("[A-Za-z_][A-Za-z0-9_]{0,127}")) {
        throw new IllegalArgumentException(prefix + "." + envKey + ": expected the name of an environment variable");
      }
      value = env.apply(node.asText());
      if (value == null) {
        throw new IllegalArgumentException(prefix + "." + envKey + ": environment variable " + node.asText() + " is not set");
      }
    }
    String stripped = value.strip();
    if (stripped.isEmpty()) {
      throw new IllegalArgumentException(prefix + "." + (file ? fileKey : envKey) + ": the secret is empty");
    }
    return stripped;
  }

  /**
   * Refuses a key {@code node} does not know (a misspelt key must not be silently ignored).
   *
   * @param prefix the node's path for messages, e.g. {@code attestations}
   * @throws IllegalArgumentException naming the key and the known ones, or when the node is not a mapping
   */
  public static void requireKeys(JsonNode node, Set<String> known, String prefix) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(prefix + ": expected a mapping");
    }
    for (java.util.Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        throw new IllegalArgumentException(prefix + "." + k + ": unknown key (known: " + known.stream().sorted().toList() + ")");
      }
    }
  }

  private static void warnIfOthersCanRead(Path path, String key) {
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(path);
      if (p.contains(PosixFilePermission.OTHERS_READ)) {
        log.atWarn().addKeyValue("event", "config.secret.readable").addKeyValue("key", key)
            .log("{} is readable by every user of this machine; chmod 600 it", path);
      }
    } catch (IOException | UnsupportedOperationException e) {
      // not a POSIX file system: nothing to check
    }
  }

  /**
   * An https URL without credentials, query or fragment, normalized (lower-case scheme and host, no trailing slash);
   * http only on a loopback host (tests, local tools).
   *
   * @return {@code fallback} when the node is missing
   */
  public static String url(JsonNode node, String key, String fallback) {
    if (node.isMissingNode()) {
      return fallback;
    }
    String text = node.asText("").strip();
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(key + ": expected an https URL, got \"" + text + "\"");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
    if (host.isEmpty() || !(scheme.equals("https") || scheme.equals("http") && loopback)) {
      throw new IllegalArgumentException(key + ": expected an https URL (http only for localhost), got \"" + text + "\"");
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(key + ": expected a URL without credentials, query or fragment");
    }
    String s = scheme + "://" + host + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + (uri.getRawPath() == null ? "" : uri.getRawPath());
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }
}
