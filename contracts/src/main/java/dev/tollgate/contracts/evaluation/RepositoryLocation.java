package dev.tollgate.contracts.evaluation;

import dev.tollgate.contracts.Checks;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code repository} field of a {@link DeployTarget}, parsed and normalized: an https/http URL or a local
 * repository path. Both services use this one parser, so the gate's 400 and the worker's refusal agree.
 *
 * <p>URLs must not carry credentials, a query or a fragment; paths must be absolute and free of {@code ..}.
 * SSH URLs are refused for now (no SSH transport is configured).
 *
 * @param kind what the location is
 * @param value the normalized URL (scheme and host lower-case, no trailing slash) or absolute path
 */
public record RepositoryLocation(Kind kind, String value) {
  /** Location kinds. */
  public enum Kind { HTTPS, HTTP, LOCAL_PATH }

  /**
   * Parses a repository string.
   *
   * @throws IllegalArgumentException naming what is wrong; the message never echoes credentials
   */
  public static RepositoryLocation parse(String raw) {
    Checks.requireText(raw, "repository");
    String text = raw.strip();
    if (text.length() > 2048) {
      throw new IllegalArgumentException("repository: expected at most 2048 characters, got " + text.length());
    }
    if (text.startsWith("/") || text.regionMatches(true, 0, "file:", 0, 5)) {
      return new RepositoryLocation(Kind.LOCAL_PATH, localPath(text));
    }
    if (text.matches("(?i)(ssh|git)://.*") || text.matches("[\\w.-]+@[\\w.-]+:.*")) {
      throw new IllegalArgumentException("repository: SSH repositories are not supported; use an https URL");
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("repository: expected an https URL or an absolute path, got an unparseable value");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IllegalArgumentException("repository: expected an https URL or an absolute path, got scheme \""
          + Checks.abbreviate(scheme) + "\"");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("repository: URLs must not carry credentials; configure credentials on the server");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("repository: URLs must not have a query or fragment");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("repository: URL has no host");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (path.isEmpty() || path.equals("/")) {
      throw new IllegalArgumentException("repository: URL has no repository path");
    }
    for (String segment : path.split("/")) {
      if (segment.equals("..") || segment.equals(".")) {
        throw new IllegalArgumentException("repository: URL path must not contain '.' or '..' segments");
      }
    }
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
    return new RepositoryLocation(scheme.equals("https") ? Kind.HTTPS : Kind.HTTP, scheme + "://" + host + port + path);
  }

  private static String localPath(String text) {
    String pathText = text;
    if (text.regionMatches(true, 0, "file:", 0, 5)) {
      try {
        URI uri = new URI(text);
        if (uri.getAuthority() != null && !uri.getAuthority().isEmpty()) {
          throw new IllegalArgumentException("repository: file URLs must not name a host");
        }
        pathText = uri.getPath();
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("repository: unparseable file URL");
      }
      if (pathText == null || !pathText.startsWith("/")) {
        throw new IllegalArgumentException("repository: file URLs must have an absolute path");
      }
    }
    if (pathText.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("repository: path contains a NUL character");
    }
    for (String segment : pathText.split("/")) {
      if (segment.equals("..")) {
        throw new IllegalArgumentException("repository: path must not contain '..' segments");
      }
    }
    try {
      return Path.of(pathText).normalize().toString();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("repository: not a valid path");
    }
  }

  /** The host of a URL location (lower-case, IPv6 without brackets), null for a local path. */
  public String host() {
    if (kind == Kind.LOCAL_PATH) {
      return null;
    }
    String host = URI.create(value).getHost();
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  /**
   * True when the host is, literally, somewhere a repository URL must not lead by accident: {@code localhost},
   * a loopback, link-local (cloud metadata), private, unspecified or multicast address. Host names are not
   * resolved here; workers check resolved addresses again before they connect.
   */
  public boolean hostIsInternal() {
    String host = host();
    if (host == null) {
      return false;
    }
    if (host.equals("localhost") || host.endsWith(".localhost") || host.endsWith(".internal")) {
      return true;
    }
    if (!host.matches("[0-9.]+") && !host.contains(":")) {
      return false; // a name: resolved and checked by the worker
    }
    try {
      return isInternal(java.net.InetAddress.getByName(host)); // a literal: no DNS lookup
    } catch (java.net.UnknownHostException e) {
      return true;
    }
  }

  /** Loopback, link-local, site-local (private), any-local, multicast or IPv6 unique-local. */
  public static boolean isInternal(java.net.InetAddress address) {
    byte[] a = address.getAddress();
    boolean uniqueLocalV6 = a.length == 16 && (a[0] & 0xfe) == 0xfc;
    boolean carrierNat = a.length == 4 && (a[0] & 0xff) == 100 && (a[1] & 0xc0) == 64;
    return address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
        || address.isAnyLocalAddress() || address.isMulticastAddress() || uniqueLocalV6 || carrierNat;
  }

  /** True for a path on this machine. */
  public boolean isLocal() {
    return kind == Kind.LOCAL_PATH;
  }

  /** The URL without a trailing {@code .git}: two spellings of one repository share one identity. */
  public String identity() {
    return value.endsWith(".git") ? value.substring(0, value.length() - 4) : value;
  }

  /**
   * True when {@code a} and {@code b} may name the same repository, for a control that must hold every spelling of it
   * (a lock, a queue's slot, {@code tollgate verify --repository}): with or without {@code .git} in any case, http or
   * https, with or without a default port ({@code :443}, {@code :80}) or a trailing dot on the host, repeated slashes
   * in the path (nginx in front of GitLab merges them), and the path in any case (GitHub and GitLab serve paths
   * case-insensitively, so matching more holds more, never less). Either one unparseable: only the same text. Null
   * (no repository: a whole environment's lock) is the same only as null.
   */
  public static boolean sameRepository(String a, String b) {
    if (a == null || b == null || a.equals(b)) {
      return Objects.equals(a, b);
    }
    try {
      RepositoryLocation x = parse(a);
      RepositoryLocation y = parse(b);
      return x.isLocal() == y.isLocal() && x.comparable().equals(y.comparable());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** What {@link #sameRepository} compares: every spelling of one repository gives the same string. */
  private String comparable() {
    if (isLocal()) {
      return stripGitDir(value);
    }
    URI uri = URI.create(value);
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    while (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    int port = uri.getPort();
    String path = uri.getRawPath().replaceAll("/+", "/").toLowerCase(Locale.ROOT);
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.endsWith(".git")) {
      path = path.substring(0, path.length() - 4);
    }
    return host + (port == -1 || port == 80 || port == 443 ? "" : ":" + port) + path;
  }

  /** A local repository named by its {@code .git} directory is the repository. */
  private static String stripGitDir(String path) {
    return path.endsWith("/.git") ? path.substring(0, path.length() - 5) : path;
  }

  /**
   * True when this location lies under {@code prefix} on a segment boundary: {@code https://github.com/acme}
   * matches {@code https://github.com/acme/shop} but not {@code https://github.com/acme-evil/shop}.
   */
  public boolean isUnder(String prefix) {
    String p = prefix;
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (kind != Kind.LOCAL_PATH) {
      p = p.toLowerCase(Locale.ROOT).startsWith("http") ? lowerSchemeAndHost(p) : p;
    }
    return value.equals(p) || value.startsWith(p + "/") || identity().equals(p);
  }

  private static String lowerSchemeAndHost(String url) {
    int slash = url.indexOf('/', url.indexOf("://") + 3);
    return slash < 0 ? url.toLowerCase(Locale.ROOT) : url.substring(0, slash).toLowerCase(Locale.ROOT) + url.substring(slash);
  }

  @Override
  public String toString() {
    return value;
  }
}
