package dev.tollgate.deploy.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.gate.gitlab.GitLabWebhookAuth;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * GitLab webhook deliveries for tests, shaped as GitLab's webhook events documentation shows them (Deployment Hook,
 * Pipeline Hook; protocols §2.2, §2.3), and sent as GitLab sends them: {@code X-Gitlab-Token}, {@code Idempotency-Key},
 * {@code X-Gitlab-Event-UUID} and, when a signing key is given, the Standard Webhooks signature headers.
 */
public final class GitLabDeliveries {
  private final String token;
  private final byte[] signingKey;

  /** @param signingKey the decoded signing key, or null to send no signature */
  public GitLabDeliveries(String token, byte[] signingKey) {
    this.token = token;
    this.signingKey = signingKey == null ? null : signingKey.clone();
  }

  /** A project of the test. */
  public record Project(long id, String path, String webUrl) {}

  /** A Deployment Hook payload. */
  public static ObjectNode deployment(Project p, String status, long deploymentId, long jobId, String environment, String sha,
      String user) {
    ObjectNode d = Json.mapper().createObjectNode().put("object_kind", "deployment").put("status", status)
        .put("status_changed_at", "2026-11-26 11:50:00 +0100").put("deployment_id", deploymentId);
    if (jobId > 0) {
      d.put("deployable_id", jobId).put("deployable_url", p.webUrl() + "/" + p.path() + "/-/jobs/" + jobId);
    } else {
      d.putNull("deployable_id").putNull("deployable_url");
    }
    d.put("environment", environment).put("environment_tier", environment).put("environment_slug", environment)
        .put("environment_external_url", "https://" + environment + ".example.com");
    project(d, p);
    d.put("short_sha", sha.substring(0, 8));
    d.putObject("user").put("id", 1).put("name", "Jane Smith").put("username", user).put("email", "[REDACTED]");
    d.put("user_url", p.webUrl() + "/" + user);
    d.put("commit_url", p.webUrl() + "/" + p.path() + "/-/commit/" + sha);
    d.put("commit_title", "Release");
    return d;
  }

  /** A Pipeline Hook payload with one deploy job ({@code build}) to {@code environment} in status {@code jobStatus}. */
  public static ObjectNode pipeline(Project p, long pipelineId, String sha, long jobId, String environment, String jobStatus) {
    ObjectNode d = Json.mapper().createObjectNode().put("object_kind", "pipeline");
    d.putObject("object_attributes").put("id", pipelineId).put("iid", pipelineId).put("ref", "main").put("tag", false)
        .put("sha", sha).put("before_sha", "0000000000000000000000000000000000000000").put("source", "push")
        .put("status", "running").put("url", p.webUrl() + "/" + p.path() + "/-/pipelines/" + pipelineId);
    d.putObject("user").put("id", 1).put("name", "Jane Smith").put("username", "jsmith");
    project(d, p);
    d.putObject("commit").put("id", sha).put("message", "Release").put("title", "Release");
    var builds = d.putArray("builds");
    builds.addObject().put("id", jobId - 1).put("stage", "test").put("name", "test").put("status", "success")
        .put("when", "on_success").put("manual", false).putNull("environment");
    ObjectNode deploy = builds.addObject().put("id", jobId).put("stage", "deploy").put("name", "deploy-" + environment)
        .put("status", jobStatus).put("when", "manual").put("manual", true).put("allow_failure", false);
    deploy.putObject("environment").put("name", environment).put("action", "start").put("deployment_tier", environment);
    return d;
  }

  private static void project(ObjectNode d, Project p) {
    d.putObject("project").put("id", p.id()).put("name", p.path().substring(p.path().lastIndexOf('/') + 1))
        .put("web_url", p.webUrl() + "/" + p.path()).put("git_http_url", p.webUrl() + "/" + p.path() + ".git")
        .put("path_with_namespace", p.path()).put("default_branch", "main").put("visibility_level", 0);
  }

  /** Sends a delivery with a fresh Idempotency-Key. */
  public Api.Response send(Api api, String event, ObjectNode payload) {
    return send(api, event, UUID.randomUUID().toString(), payload);
  }

  /** Sends a delivery with the given Idempotency-Key (and a fresh X-Gitlab-Event-UUID, as a resend may have). */
  public Api.Response send(Api api, String event, String idempotencyKey, ObjectNode payload) {
    byte[] body = Json.write(payload);
    List<String> headers = new ArrayList<>(List.of("X-Gitlab-Event", event, "X-Gitlab-Event-UUID", UUID.randomUUID().toString(),
        "X-Gitlab-Webhook-UUID", "3f2c9a1b-0000-4000-8000-000000000001", "User-Agent", "GitLab/18.6.0"));
    if (idempotencyKey != null) {
      headers.addAll(List.of("Idempotency-Key", idempotencyKey));
    }
    if (token != null) {
      headers.addAll(List.of("X-Gitlab-Token", token));
    }
    if (signingKey != null) {
      String id = idempotencyKey == null ? "msg_" + UUID.randomUUID() : idempotencyKey;
      String timestamp = String.valueOf(Instant.now().getEpochSecond());
      headers.addAll(List.of("webhook-id", id, "webhook-timestamp", timestamp, "webhook-signature",
          GitLabWebhookAuth.sign(signingKey, id, timestamp, body)));
    }
    return api.post("/webhooks/gitlab", new String(body, StandardCharsets.UTF_8), "application/json", headers.toArray(String[]::new));
  }
}
