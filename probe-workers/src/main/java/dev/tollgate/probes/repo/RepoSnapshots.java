package dev.tollgate.probes.repo;

import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.RepositoryAllowList;
import dev.tollgate.contracts.evaluation.RepositoryLocation;
import java.io.File;
import java.io.IOException;
import java.util.Objects;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.util.FS;

/**
 * Opens the {@link ChangeSet} of a deploy: local repositories directly, remote ones through the
 * {@link MirrorCache}. Every repository is checked against the allow-list first, here as well as in the gate,
 * so a worker never reads a repository the server does not allow.
 */
public final class RepoSnapshots {
  private final RepositoryAllowList allowList;
  private final MirrorCache mirrors;
  private final ChangeSet.Limits limits;
  private final GitCredentials credentials;

  public RepoSnapshots(RepositoryAllowList allowList, MirrorCache mirrors, ChangeSet.Limits limits) {
    this(allowList, mirrors, limits, GitCredentials.none());
  }

  /** @param credentials credentials for private remote repositories, per tenant */
  public RepoSnapshots(RepositoryAllowList allowList, MirrorCache mirrors, ChangeSet.Limits limits, GitCredentials credentials) {
    this.allowList = Objects.requireNonNull(allowList, "allowList");
    this.mirrors = mirrors;
    this.limits = Objects.requireNonNull(limits, "limits");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
  }

  /** Local repositories only, any path (the {@code check} command reads the repository it is pointed at). */
  public static RepoSnapshots localOnly(ChangeSet.Limits limits) {
    return new RepoSnapshots(new RepositoryAllowList(java.util.List.of(), true, java.util.List.of()), null, limits);
  }

  /**
   * Opens what {@code target} ships. The caller closes the change set.
   *
   * @throws RepoAccessException when the repository is not allowed, cannot be read, or lacks a commit
   */
  public ChangeSet open(DeployTarget target) {
    RepositoryLocation location;
    try {
      location = RepositoryLocation.parse(target.repository());
    } catch (IllegalArgumentException e) {
      throw new RepoAccessException(e.getMessage());
    }
    allowList.rejection(location).ifPresent(reason -> {
      throw new RepoAccessException("repository not allowed: " + reason);
    });
    if (!location.isLocal() && mirrors == null) {
      throw new RepoAccessException("remote repositories cannot be read here; clone it and pass the local path");
    }
    Repository repo;
    if (location.isLocal()) {
      // Checked again here, on disk, right before opening: the git directory opened is the one the roots allowed.
      File gitDir;
      try {
        gitDir = allowList.checkedLocalGitDir(location).toFile();
      } catch (IllegalArgumentException e) {
        throw new RepoAccessException(e.getMessage());
      }
      repo = openGitDir(gitDir, location.value());
    } else {
      refuseInternalAddresses(location);
      GitCredentials.Credentials auth = credentials.lookup(target.tenant(), location.value()).orElse(null);
      // A mirror read with a tenant's credentials is that tenant's alone: another tenant asking for the same URL
      // gets the anonymous mirror (and fails on a private repository) instead of reading it through this one.
      String identity = auth == null ? location.identity() : location.identity() + "#tenant=" + target.tenant();
      repo = mirrors.open(location.value(), identity, auth, target.candidate(), target.baseline());
    }
    return ChangeSet.open(repo, target.candidate(), target.baseline(), limits);
  }

  /**
   * The gate refused internal hosts written as literals; a name can still resolve to one (SSRF through DNS), so
   * the worker checks the addresses it is about to connect to.
   */
  private void refuseInternalAddresses(RepositoryLocation location) {
    String host = location.host();
    if (allowList.namesHostExplicitly(host)) {
      return;
    }
    try {
      for (java.net.InetAddress address : java.net.InetAddress.getAllByName(host)) {
        if (RepositoryLocation.isInternal(address)) {
          throw new RepoAccessException("repository host " + host + " resolves to an internal address; list it explicitly "
              + "in repositories.allowed to allow it");
        }
      }
    } catch (java.net.UnknownHostException e) {
      throw new RepoAccessException("repository host " + host + " cannot be resolved");
    }
  }

  /** Opens a local repository (work tree or bare). The caller closes it. */
  public static Repository openLocal(String path) {
    File gitDir = RepositoryCache.FileKey.resolve(new File(path), FS.DETECTED);
    if (gitDir == null) {
      throw new RepoAccessException("not a git repository: " + path);
    }
    return openGitDir(gitDir, path);
  }

  private static Repository openGitDir(File gitDir, String path) {
    try {
      return OpenRepositories.open(gitDir);
    } catch (IOException e) {
      throw new RepoAccessException("cannot open repository " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Resolves a revision (branch, tag, {@code HEAD~2}, abbreviated id) in a local repository to a full commit id.
   *
   * @throws RepoAccessException when it does not name a commit
   */
  public static String resolveLocal(String path, String revision) {
    try (Repository repo = openLocal(path)) {
      ObjectId id = repo.resolve(revision + "^{commit}");
      if (id == null) {
        throw new RepoAccessException("revision \"" + revision + "\" does not name a commit in " + path);
      }
      return id.name();
    } catch (IOException | RuntimeException e) {
      if (e instanceof RepoAccessException rae) {
        throw rae;
      }
      throw new RepoAccessException("revision \"" + revision + "\" cannot be resolved in " + path + ": " + e.getMessage(), e);
    }
  }
}
