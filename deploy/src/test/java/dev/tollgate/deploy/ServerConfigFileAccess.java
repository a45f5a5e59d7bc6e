package dev.tollgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;

/** Test access to the package-private config parser. */
public final class ServerConfigFileAccess {
  private ServerConfigFileAccess() {}

  /** Parses a tollgate.yml the way the server does (all keys checked) and returns its root. */
  public static JsonNode parse(String yaml) {
    return ServerConfigFile.parse("test", yaml, false).root();
  }
}
