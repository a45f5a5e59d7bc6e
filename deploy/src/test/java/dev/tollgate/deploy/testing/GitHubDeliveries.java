package dev.tollgate.deploy.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.gate.github.WebhookSignature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.UUID;

/**
 * GitHub webhook deliveries for tests, built from the real payload fixtures in {@code src/test/resources/github/}
 * with the repository, commit, ids and URLs of the test, and signed like GitHub signs them.
 */
public final class GitHubDeliveries {
  private final WebhookSignature signature;

  public GitHubDeliveries(String webhookSecret) {
    this.signature = WebhookSignature.of(webhookSecret);
  }

  /** A fixture payload ({@code github/<name>.payload.json}). */
  public static ObjectNode fixture(String name) {
    try (InputStream in = GitHubDeliveries.class.getResourceAsStream("/github/" + name + ".payload.json")) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return (ObjectNode) Json.mapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A repository of the test on the payload (clone URL, names). */
  public record Repo(String ownerRepo, String cloneUrl) {}

  /** {@code deployment_protection_rule}/{@code requested} for a deployment of {@code sha} to {@code environment}. */
  public static ObjectNode protectionRule(Repo repo, String environment, String sha, long deploymentId, long runId, String apiUrl,
      long installationId) {
    ObjectNode p = fixture("deployment_protection_rule.requested");
    p.put("environment", environment);
    p.put("deployment_callback_url", apiUrl + "/repos/" + repo.ownerRepo() + "/actions/runs/" + runId + "/deployment_protection_rule");
    deployment(p, repo, environment, sha, deploymentId, apiUrl);
    repository(p, repo);
    ((ObjectNode) p.path("installation")).put("id", installationId);
    return p;
  }

  /** {@code deployment_status}/{@code created} with {@code state} for a deployment of {@code sha}. */
  public static ObjectNode deploymentStatus(Repo repo, String environment, String sha, long deploymentId, String state, String apiUrl,
      long installationId) {
    ObjectNode p = fixture("deployment_status.with-installation");
    ObjectNode status = (ObjectNode) p.path("deployment_status");
    status.put("state", state);
    status.put("environment", environment);
    status.put("id", Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L) + 1);
    status.put("created_at", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    deployment(p, repo, environment, sha, deploymentId, apiUrl);
    repository(p, repo);
    ((ObjectNode) p.path("installation")).put("id", installationId);
    return p;
  }

  private static void deployment(ObjectNode p, Repo repo, String environment, String sha, long deploymentId, String apiUrl) {
    ObjectNode d = (ObjectNode) p.path("deployment");
    d.put("id", deploymentId);
    d.put("sha", sha);
    d.put("environment", environment);
    d.put("original_environment", environment);
    d.put("url", apiUrl + "/repos/" + repo.ownerRepo() + "/deployments/" + deploymentId);
  }

  private static void repository(ObjectNode p, Repo repo) {
    ObjectNode r = (ObjectNode) p.path("repository");
    r.put("full_name", repo.ownerRepo());
    r.put("name", repo.ownerRepo().substring(repo.ownerRepo().indexOf('/') + 1));
    r.put("clone_url", repo.cloneUrl());
    r.put("private", true);
  }

  /** Posts a delivery signed with the webhook secret. */
  public Api.Response send(Api api, String event, String delivery, ObjectNode payload) {
    byte[] body = Json.write(payload);
    return send(api, event, delivery, new String(body, java.nio.charset.StandardCharsets.UTF_8), signature.sign(body));
  }

  /** Posts a delivery with the given signature header (null: none). */
  public static Api.Response send(Api api, String event, String delivery, String body, String signatureHeader) {
    java.util.List<String> headers = new java.util.ArrayList<>(java.util.List.of("X-GitHub-Event", event, "X-GitHub-Delivery",
        delivery, "User-Agent", "GitHub-Hookshot/test"));
    if (signatureHeader != null) {
      headers.add("X-Hub-Signature-256");
      headers.add(signatureHeader);
    }
    return api.post("/webhooks/github", body, "application/json", headers.toArray(String[]::new));
  }
}
