package dev.tollgate.probes.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a configuration problem shows the value at fault. The operators' {@code tollgate.yml} is echoed (they need to
 * see what they wrote, and it stays on their side); a repository's {@code .tollgate.yml} never is: its problems become
 * verdict reasons, audit exports and Kafka records, and the value may be a credential a committer pasted there.
 */
public final class ConfigValues {
  private ConfigValues() {}

  /** {@code ", got <value>"} for the server's file, nothing for a repository's. */
  public static String got(JsonNode value, boolean server) {
    return server ? ", got " + value : "";
  }

  /**
   * A problem message without the values it quotes: cut at {@code ", got "} when present (the convention every reader
   * here follows), else with each double-quoted part removed. For readers shared by both files, applied where a
   * repository's section was read.
   */
  public static String withoutValues(String message) {
    if (message == null) {
      return null;
    }
    int got = message.indexOf(", got ");
    if (got >= 0) {
      return message.substring(0, got);
    }
    // No ", got": drop each quoted value ("us-east-9"), keeping what the message says around it.
    StringBuilder b = new StringBuilder(message.length());
    int i = 0;
    while (i < message.length()) {
      int open = message.indexOf('"', i);
      int close = open < 0 ? -1 : message.indexOf('"', open + 1);
      if (close < 0) {
        b.append(message, i, open < 0 ? message.length() : open);
        break;
      }
      b.append(message, i, open);
      i = close + 1;
    }
    return b.toString().replaceAll(" {2,}", " ").replace(" :", ":").strip();
  }

  /** {@code ", got "<value>""} for the server's file, nothing for a repository's. */
  public static String got(String value, boolean server) {
    return server ? ", got \"" + value + "\"" : "";
  }
}
