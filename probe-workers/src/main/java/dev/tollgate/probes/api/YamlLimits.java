package dev.tollgate.probes.api;

import org.yaml.snakeyaml.LoaderOptions;

/**
 * The one set of bounds the probes read a repository's YAML with (Kubernetes manifests, Helm values, Spring
 * configuration): against alias bombs, huge files and deep nesting. Duplicate keys are allowed because kubectl, Helm
 * and Spring accept them. The warm-up composes its YAML with the same options, so it warms the path the probes take.
 */
public final class YamlLimits {
  /** The deepest nesting read. */
  public static final int MAX_DEPTH = 64;
  /** Aliases a collection may expand. */
  public static final int MAX_ALIASES = 50;
  /** Code points in one file. */
  public static final int MAX_CODE_POINTS = 4 * 1024 * 1024;

  private YamlLimits() {}

  /** New loader options with these bounds (SnakeYAML's options are mutable: one per reader). */
  public static LoaderOptions options() {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setCodePointLimit(MAX_CODE_POINTS);
    options.setAllowDuplicateKeys(true);
    options.setNestingDepthLimit(MAX_DEPTH);
    return options;
  }
}
