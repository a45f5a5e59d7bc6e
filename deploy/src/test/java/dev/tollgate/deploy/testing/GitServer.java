package dev.tollgate.deploy.testing;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.util.FS;

/**
 * A real git host for tests: JGit's smart-HTTP {@code GitServlet} on embedded Jetty (stack-notes), serving
 * repositories at {@code /<owner>/<name>.git} (nested groups too, {@code /<group>/<sub>/<name>.git}). A private
 * repository wants HTTP basic authentication that {@link Access} accepts: for GitHub, user {@code x-access-token} and
 * an unexpired installation token the fake GitHub issued for the installation that owns the repository; for GitLab,
 * the tenant's bot token. Extra servlets can share the host, as GitLab serves its API next to its repositories. Every
 * request is recorded (never the password).
 */
public final class GitServer implements AutoCloseable {
  /** One request: its path and query as received, and whether it carried valid App credentials. */
  public record Request(String method, String uri, String query, String user, boolean authenticated) {}

  /** Decides whether basic-auth credentials may read a private repository. */
  @FunctionalInterface
  public interface Access {
    boolean allows(String ownerRepo, String user, String password);
  }

  private final Server server;
  private final Access access;
  private final Map<String, Path> repositories = new ConcurrentHashMap<>();
  private final Map<String, Boolean> privateRepos = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  /** A GitHub-like host: private repositories want an installation token of {@code github}. */
  public GitServer(FakeGitHub github) throws Exception {
    this((ownerRepo, user, password) -> {
      Long installation = github.installationOf(ownerRepo);
      return user.equals("x-access-token") && installation != null && github.validToken(password, installation);
    }, Map.of());
  }

  /**
   * A host whose private repositories {@code access} guards, with {@code servlets} (path spec → servlet, e.g.
   * {@code /api/v4/*}) served on the same host.
   */
  public GitServer(Access access, Map<String, jakarta.servlet.http.HttpServlet> servlets) throws Exception {
    this.access = access;
    server = new Server(new InetSocketAddress("127.0.0.1", 0));
    // GitLab's API names projects by URL-encoded path (acme%2Fshop): let such URIs through to the servlets, raw.
    for (org.eclipse.jetty.server.Connector c : server.getConnectors()) {
      org.eclipse.jetty.server.HttpConnectionFactory f = c.getConnectionFactory(org.eclipse.jetty.server.HttpConnectionFactory.class);
      if (f != null) {
        f.getHttpConfiguration().setUriCompliance(org.eclipse.jetty.http.UriCompliance.LEGACY);
      }
    }
    ServletContextHandler context = new ServletContextHandler("/");
    GitServlet git = new GitServlet();
    git.setRepositoryResolver((HttpServletRequest req, String name) -> {
      Path dir = repositories.get(name.endsWith(".git") ? name.substring(0, name.length() - 4) : name);
      if (dir == null) {
        throw new RepositoryNotFoundException(name);
      }
      File gitDir = RepositoryCache.FileKey.resolve(dir.toFile(), FS.DETECTED);
      try {
        Repository repo = new FileRepositoryBuilder().setGitDir(gitDir).setMustExist(true).build();
        return repo;
      } catch (IOException e) {
        throw new RepositoryNotFoundException(name, e);
      }
    });
    context.addServlet(new ServletHolder(git), "/*");
    context.getServletHandler().setDecodeAmbiguousURIs(true);
    servlets.forEach((spec, servlet) -> context.addServlet(new ServletHolder(servlet), spec));
    context.addFilter(new FilterHolder(new AppTokenFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();
  }

  /** The web URL repositories live under ({@code github.webUrl}). */
  public String webUrl() {
    return "http://127.0.0.1:" + server.getURI().getPort();
  }

  /** Serves the repository in {@code dir} as {@code <webUrl>/<owner/name>.git}; private ones want an App token. */
  public String serve(String ownerRepo, Path dir, boolean isPrivate) {
    repositories.put(ownerRepo, dir);
    privateRepos.put(ownerRepo, isPrivate);
    return webUrl() + "/" + ownerRepo + ".git";
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Checks basic-auth credentials with {@link Access} for private repositories; answers 401 with a challenge. */
  private final class AppTokenFilter implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
      HttpServletRequest req = (HttpServletRequest) request;
      HttpServletResponse res = (HttpServletResponse) response;
      String path = req.getRequestURI();
      String ownerRepo = ownerRepo(path);
      String user = null;
      boolean valid = false;
      String authorization = req.getHeader("Authorization");
      if (authorization != null && authorization.startsWith("Basic ")) {
        String decoded = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        user = colon < 0 ? decoded : decoded.substring(0, colon);
        String password = colon < 0 ? "" : decoded.substring(colon + 1);
        valid = ownerRepo != null && access.allows(ownerRepo, user, password);
      }
      requests.add(new Request(req.getMethod(), path, req.getQueryString(), user, valid));
      if (ownerRepo != null && Boolean.TRUE.equals(privateRepos.get(ownerRepo)) && !valid) {
        res.setHeader("WWW-Authenticate", "Basic realm=\"git\"");
        res.sendError(401);
        return;
      }
      chain.doFilter(request, response);
    }

    private String ownerRepo(String path) {
      for (String name : repositories.keySet()) {
        if (path.startsWith("/" + name + ".git/") || path.startsWith("/" + name + "/")) {
          return name;
        }
      }
      return null;
    }
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("git server did not stop", e);
    }
  }
}
