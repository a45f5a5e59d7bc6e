package dev.tollgate.probes.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * A probe's settings from the server's {@code tollgate.yml} for the evaluation's environment: the section
 * {@code environments.<env>.<probe>} when present, else {@code defaults.<probe>}. Unlike the repository's
 * {@code .tollgate.yml}, these are the operators' settings (freeze calendars, regions, thresholds); a probe
 * combines both, letting the repository only tighten.
 */
public final class ServerSettings {
  private static final ServerSettings EMPTY = new ServerSettings(MissingNode.getInstance(), MissingNode.getInstance(), "");

  private final JsonNode defaults;
  private final JsonNode environments;
  private final String environment;

  /**
   * @param defaults the {@code defaults} section of tollgate.yml
   * @param environments the {@code environments} section of tollgate.yml
   */
  public ServerSettings(JsonNode defaults, JsonNode environments, String environment) {
    this.defaults = defaults;
    this.environments = environments;
    this.environment = environment;
  }

  /** No server settings (tests). */
  public static ServerSettings empty() {
    return EMPTY;
  }

  /** The same settings for another environment. */
  public ServerSettings forEnvironment(String env) {
    return new ServerSettings(defaults, environments, env);
  }

  /** {@code environments.<env>.<section>}, else {@code defaults.<section>}, else a missing node. */
  public JsonNode section(String section) {
    JsonNode own = environments.path(environment).path(section);
    return own.isMissingNode() ? defaults.path(section) : own;
  }

  /** {@code environments.<env>.<section>} of another environment (parity compares environments). */
  public JsonNode sectionOf(String otherEnvironment, String section) {
    JsonNode own = environments.path(otherEnvironment).path(section);
    return own.isMissingNode() ? defaults.path(section) : own;
  }

  /**
   * Problems of {@code readLimits} in {@code defaults} and in every environment, each naming its key: the worker
   * refuses to start with any ({@link ReadLimits}).
   */
  public java.util.List<String> readLimitProblems() {
    return ReadLimits.validate(defaults, environments.isObject() ? environments : MissingNode.getInstance());
  }

  /** The environment these settings are for. */
  public String environment() {
    return environment;
  }
}
