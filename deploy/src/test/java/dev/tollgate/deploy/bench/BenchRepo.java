package dev.tollgate.deploy.bench;

import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

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
    try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.open(dir.toFile())) {
      git.gc().setAggressive(false).call();
    } catch (Exception e) {
      throw new IllegalStateException("gc of the bench repository failed", e);
    }
    return repo;
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
