package dev.tollgate.deploy.bench;

import dev.tollgate.probes.testing.FixtureRepo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A realistic repository for load tests: a service with sources, Spring configuration for staging and production,
 * Flyway migrations and Kubernetes manifests; the candidate changes 50 files (code, both configs, a new safe
 * migration, manifests) over the deployed baseline. Packed like a mirror.
 */
final class BenchRepo {
  private BenchRepo() {}

  static FixtureRepo create(Path dir) {
    FixtureRepo repo = FixtureRepo.create(dir);
    Map<String, String> base = new LinkedHashMap<>();
    for (int i = 0; i < 120; i++) {
      base.put("src/main/java/com/acme/shop/Service" + i + ".java", javaSource(i, 1));
    }
    base.put("src/main/resources/application-staging.yml", config("staging", 2));
    base.put("src/main/resources/application-production.yml", config("production", 6));
    for (int v = 1; v <= 10; v++) {
      base.put("src/main/resources/db/migration/V" + v + "__step" + v + ".sql",
          "CREATE TABLE t" + v + " (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now());\n");
    }
    base.put("deploy/k8s/deployment.yaml", deployment("1.4.2"));
    base.put("README.md", "# shop\n");
    repo.commit(base, "release 1.4.2").deployed();
    Map<String, String> change = new LinkedHashMap<>();
    for (int i = 0; i < 46; i++) {
      change.put("src/main/java/com/acme/shop/Service" + i + ".java", javaSource(i, 2));
    }
    change.put("src/main/resources/application-staging.yml", config("staging", 3));
    change.put("src/main/resources/application-production.yml", config("production", 8));
    change.put("src/main/resources/db/migration/V11__add_orders_note.sql", "ALTER TABLE t1 ADD COLUMN note text;\n");
    change.put("deploy/k8s/deployment.yaml", deployment("1.5.0"));
    repo.commit(change, "release 1.5.0");
    // Packed, as a clone in the workers' mirror cache is (and most working repositories are after git's auto gc).
    try (Git git = Git.open(dir.toFile())) {
      git.gc().setAggressive(false).call();
    } catch (Exception e) {
      throw new IllegalStateException("gc of the bench repository failed", e);
    }
    return repo;
  }

  /** The 50 files a candidate changes, and their content in candidate {@code k} (unique to it). */
  static Map<String, String> change(int k) {
    Map<String, String> change = new LinkedHashMap<>();
    for (int i = 0; i < 46; i++) {
      change.put("src/main/java/com/acme/shop/Service" + i + ".java", javaSource(i, 2 + k));
    }
    change.put("src/main/resources/application-staging.yml", config("staging", 3) + "build: " + k + "\n");
    change.put("src/main/resources/application-production.yml", config("production", 8) + "build: " + k + "\n");
    change.put("src/main/resources/db/migration/V11__add_orders_note.sql", "ALTER TABLE t1 ADD COLUMN note_" + k + " text;\n");
    change.put("deploy/k8s/deployment.yaml", deployment("1.5." + k));
    return change;
  }

  /**
   * {@code n} candidate commits, each the baseline plus its own 50-file {@link #change} (never seen before by a
   * worker: no cache helps), written straight into packs (a pack per 500 candidates) so that thousands take
   * seconds. Returns their ids, in order.
   */
  static List<String> candidates(FixtureRepo repo, int n) {
    List<String> ids = new ArrayList<>(n);
    try (Repository r = Git.open(repo.dir().toFile()).getRepository();
        ObjectReader reader = r.newObjectReader()) {
      RevCommit base = RevCommit.parse(
          reader.open(ObjectId.fromString(repo.baseline())).getBytes());
      // The pack inserter is JGit-internal, but writing 250,000 loose objects would take minutes and a gigabyte.
      var db = ((FileRepository) r).getObjectDatabase();
      PersonIdent author = new PersonIdent("Bench", "bench@example.com",
          Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
      for (int start = 0; start < n; start += 500) {
        try (var inserter = db.newPackInserter()) {
          for (int k = start; k < Math.min(n, start + 500); k++) {
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, base.getTree());
            builder.finish();
            DirCacheEditor editor = index.editor();
            for (var file : change(k).entrySet()) {
              ObjectId blob = inserter.insert(Constants.OBJ_BLOB,
                  file.getValue().getBytes(StandardCharsets.UTF_8));
              editor.add(new DirCacheEditor.PathEdit(file.getKey()) {
                @Override
                public void apply(DirCacheEntry entry) {
                  entry.setFileMode(FileMode.REGULAR_FILE);
                  entry.setObjectId(blob);
                }
              });
            }
            editor.finish();
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(index.writeTree(inserter));
            commit.setParentId(base);
            commit.setAuthor(author);
            commit.setCommitter(author);
            commit.setMessage("release 1.5." + k + "\n");
            ids.add(inserter.insert(commit).name());
          }
          inserter.flush();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write bench candidates", e);
    }
    return ids;
  }

  private static String javaSource(int i, int version) {
    StringBuilder b = new StringBuilder("package com.acme.shop;\n\n/** Service " + i + ". */\npublic final class Service" + i
        + " {\n");
    for (int m = 0; m < 40; m++) {
      b.append("  int compute").append(m).append("(int x) {\n    return x * ").append(version + m).append(" + ").append(i)
          .append(";\n  }\n\n");
    }
    return b.append("}\n").toString();
  }

  private static String config(String env, int replicas) {
    return "server:\n  port: 8080\nshop:\n  replicas: " + replicas + "\n  currency: EUR\n  checkout:\n    enabled: true\n"
        + "datasource:\n  url: jdbc:postgresql://db." + env + ".internal:5432/shop\n  username: shop\n";
  }

  private static String deployment(String version) {
    return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  replicas: 3\n  revisionHistoryLimit: 5\n"
        + "  progressDeadlineSeconds: 300\n  template:\n    spec:\n      containers:\n        - name: shop\n"
        + "          image: ghcr.io/acme/shop:" + version + "\n          readinessProbe:\n            httpGet: {path: /ready, port: 8080}\n";
  }
}
