package dev.tollgate.contracts.evaluation;

import static dev.tollgate.contracts.Checks.listOf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.ConfigKeys;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which repositories Tollgate may read: a webhook must not make it clone arbitrary URLs. The gate rejects a
 * request naming any other repository (400) and every worker checks again before it touches the repository.
 *
 * @param allowedPrefixes URL prefixes, matched on path-segment boundaries ({@code https://github.com/acme})
 * @param allowLocalPaths whether local repository paths are accepted at all (the all-in-one default)
 * @param localRoots when non-empty, local paths must lie under one of these directories
 */
public record RepositoryAllowList(List<String> allowedPrefixes, boolean allowLocalPaths, List<String> localRoots) {
  public RepositoryAllowList {
    allowedPrefixes = listOf(allowedPrefixes);
    localRoots = listOf(localRoots);
  }

  private static final Set<String> KEYS = Set.of("allowed", "allowLocalPaths", "localRoots");

  /**
   * Reads the {@code repositories:} section of {@code tollgate.yml}.
   *
   * @param section the section, a missing node when absent
   * @param allowLocalPathsByDefault the default of {@code allowLocalPaths} (true only for the all-in-one)
   * @throws IllegalArgumentException naming the key and the bad value
   */
  public static RepositoryAllowList fromConfig(JsonNode section, boolean allowLocalPathsByDefault) {
    if (!section.isMissingNode() && !section.isObject()) {
      throw new IllegalArgumentException("repositories: expected a mapping");
    }
    ConfigKeys.requireKnown(section, KEYS, "repositories");
    List<String> allowed = strings(section.path("allowed"), "repositories.allowed");
    for (int i = 0; i < allowed.size(); i++) {
      String prefix = allowed.get(i);
      RepositoryLocation parsed;
      try {
        parsed = RepositoryLocation.parse(prefix);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("repositories.allowed[" + i + "]: " + e.getMessage().replaceFirst("^repository: ", ""));
      }
      if (parsed.isLocal()) {
        throw new IllegalArgumentException("repositories.allowed[" + i + "]: expected an https URL prefix; use localRoots for paths");
      }
    }
    JsonNode local = section.path("allowLocalPaths");
    if (!local.isMissingNode() && !local.isBoolean()) {
      throw new IllegalArgumentException("repositories.allowLocalPaths: expected true or false, got " + local);
    }
    List<String> roots = strings(section.path("localRoots"), "repositories.localRoots");
    for (int i = 0; i < roots.size(); i++) {
      if (!roots.get(i).startsWith("/")) {
        throw new IllegalArgumentException("repositories.localRoots[" + i + "]: expected an absolute path, got \"" + roots.get(i) + "\"");
      }
    }
    return new RepositoryAllowList(allowed, local.isMissingNode() ? allowLocalPathsByDefault : local.booleanValue(), roots);
  }

  /** True when an allowed prefix names {@code host} itself (internal hosts are allowed only that way). */
  public boolean namesHostExplicitly(String host) {
    return allowedPrefixes.stream().anyMatch(p -> namesHost(p, host));
  }

  /** True when {@code prefix} is a URL naming exactly {@code host}. */
  static boolean namesHost(String prefix, String host) {
    try {
      String h = RepositoryLocation.parse(prefix.endsWith("/") ? prefix + "x" : prefix + "/x").host();
      return h != null && h.equals(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The real git directory of the local repository at {@code location}, after checking (again, now) that it and every
   * directory git reads from it are allowed: what a worker opens, so the directory checked is the directory read.
   *
   * @throws IllegalArgumentException with the reason when it is not allowed, absent or not a git repository
   */
  public Path checkedLocalGitDir(RepositoryLocation location) {
    if (!location.isLocal()) {
      throw new IllegalArgumentException("not a local path");
    }
    Optional<String> rejected = rejection(location);
    if (rejected.isPresent()) {
      throw new IllegalArgumentException("repository not allowed: " + rejected.get());
    }
    LocalGitPaths.Layout layout = LocalGitPaths.resolve(Path.of(location.value()))
        .orElseThrow(() -> new IllegalArgumentException("not a git repository: " + location.value()));
    if (!localRoots.isEmpty()) {
      Optional<String> escaped = escape(layout);
      if (escaped.isPresent()) {
        throw new IllegalArgumentException("repository not allowed: " + escaped.get());
      }
    }
    return layout.gitDir();
  }

  /** Why a resolved repository leaves the roots, naming the step but not where it leads. */
  private Optional<String> escape(LocalGitPaths.Layout layout) {
    List<Path> roots = realRoots();
    if (!under(layout.real(), roots)) {
      return Optional.of("local path leads outside repositories.localRoots (through a symbolic link)");
    }
    if (!under(layout.gitDir(), roots)) {
      return Optional.of("local path's git directory (a .git file's gitdir: or a symbolic link) is outside "
          + "repositories.localRoots");
    }
    for (Path dir : layout.readDirs()) {
      if (!under(dir, roots)) {
        return Optional.of("local repository reads objects outside repositories.localRoots (commondir, "
            + "objects/info/alternates or a symbolic link)");
      }
    }
    return Optional.empty();
  }

  /** Each root as it really is on disk (a root may itself be a symbolic link), or as written when absent. */
  private List<Path> realRoots() {
    List<Path> out = new ArrayList<>();
    for (String r : localRoots) {
      Path p = Path.of(r).normalize();
      try {
        out.add(p.toRealPath());
      } catch (java.io.IOException | SecurityException e) {
        out.add(p);
      }
    }
    return out;
  }

  private static boolean under(Path path, List<Path> roots) {
    return roots.stream().anyMatch(path::startsWith);
  }

  private static List<String> strings(JsonNode node, String key) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException(key + ": expected a list of strings");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual() || item.asText().isBlank()) {
        throw new IllegalArgumentException(key + "[" + values.size() + "]: expected a non-empty string, got " + item);
      }
      values.add(item.asText());
    }
    return values;
  }

  /**
   * Why {@code location} is not allowed, or empty when it is. A local path under {@code localRoots} is also followed on
   * disk when it exists here: where it really leads ({@link java.nio.file.Path#toRealPath()}) and every directory git
   * would read (the {@code gitdir:} of a {@code .git} file, {@code commondir}, {@code objects/info/alternates}) must be
   * under a root too, so a symbolic link or a repository's own files cannot point the gate at another repository.
   */
  public Optional<String> rejection(RepositoryLocation location) {
    if (location.isLocal()) {
      if (!allowLocalPaths) {
        return Optional.of("local repository paths are not allowed by this server (repositories.allowLocalPaths is false)");
      }
      if (!localRoots.isEmpty() && localRoots.stream().noneMatch(location::isUnder)) {
        return Optional.of("local path is outside repositories.localRoots");
      }
      if (!localRoots.isEmpty()) {
        try {
          Optional<LocalGitPaths.Layout> layout = LocalGitPaths.resolve(Path.of(location.value()));
          if (layout.isPresent()) {
            return escape(layout.get());
          }
        } catch (IllegalArgumentException e) {
          return Optional.of("local path: " + e.getMessage());
        }
      }
      return Optional.empty();
    }
    if (location.kind() == RepositoryLocation.Kind.HTTP
        && allowedPrefixes.stream().noneMatch(p -> p.regionMatches(true, 0, "http://", 0, 7))) {
      return Optional.of("plain http repositories are not allowed unless an http:// prefix is listed in repositories.allowed");
    }
    if (allowedPrefixes.stream().noneMatch(location::isUnder)) {
      return Optional.of("repository is not under any prefix in repositories.allowed");
    }
    // A broad prefix (https://) must not open loopback or cloud-metadata addresses (SSRF): only a prefix that
    // names such a host itself allows it.
    if (location.hostIsInternal() && allowedPrefixes.stream().noneMatch(p -> namesHost(p, location.host()))) {
      return Optional.of("repository host is a loopback, link-local or private address; list it explicitly in "
          + "repositories.allowed to allow it");
    }
    return Optional.empty();
  }
}
