package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.AllInOne;
import dev.tollgate.deploy.ServerConfigFile;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.FakeGitLab;
import dev.tollgate.deploy.testing.GitLabDeliveries;
import dev.tollgate.deploy.testing.GitLabDeliveries.Project;
import dev.tollgate.deploy.testing.GitServer;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.probes.calendar.FreezeCalendarProbe;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The composition root as {@code serve --config} runs it: a {@code gitlab:} section in tollgate.yml gives the gate its
 * webhook and reporter, the workers their clone credentials, and the real calendar probe GitLab's deploy freeze
 * periods (AllInOne injects the import), through {@code ServerConfigFile} and {@code AllInOne}. A freeze period active
 * now, read from the fake GitLab, holds a blocked deployment: a pending status saying until when, no rejection.
 */
class GitLabAllInOneIT {
  static final String BOT = "glpat-aio-" + UUID.randomUUID();
  static final String HOOK = "aio-hook-" + UUID.randomUUID();

  @TempDir
  Path tmp;

  Path secret(String name, String content) throws Exception {
    Path file = Files.createFile(tmp.resolve(name), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return Files.writeString(file, content);
  }

  @Test
  void aGitlabSectionServesTheWebhookAndGitLabFreezePeriodsHoldADeploy() throws Exception {
    // A freeze period around now in New York (daily crons two hours either side), as GitLab stores them.
    ZonedDateTime now = ZonedDateTime.now(ZoneId.of("America/New_York"));
    ZonedDateTime from = now.minusHours(2);
    ZonedDateTime to = now.plusHours(2);
    FakeGitLab gitlab = new FakeGitLab().bot("acme", BOT, true, "acme").project(30, "acme/shop")
        .freezePeriod("acme/shop", 3, from.getMinute() + " " + from.getHour() + " * * *", to.getMinute() + " " + to.getHour() + " * * *",
            "America/New_York");
    try (GitServer git = new GitServer((repo, user, password) -> password.equals(BOT), Map.of("/api/v4/*", gitlab))) {
      FixtureRepo shop = FixtureRepo.create(tmp.resolve("shop")).commit("app.txt", "v1").commit("app.txt", "v2");
      git.serve("acme/shop", shop.dir(), true);
      Path config = Files.writeString(tmp.resolve("tollgate.yml"), """
          tenants: [acme]
          http: {port: 0}
          kafka: {topicNamespace: it-%s, replicationFactor: 1, partitions: 2}
          environments:
            staging: {probes: {pass: {}}}
            production: {probes: {calendar: {}}}
          repositories:
            allowed: ["%s/acme/"]
          gitlab:
            baseUrl: %s
            botTokenFile: %s
            webhookTokenFile: %s
            freezes: {environments: [production]}
            tenants: {acme: [acme]}
          """.formatted(UUID.randomUUID().toString().substring(0, 8), git.webUrl(), git.webUrl(), secret("bot", BOT),
          secret("hook", HOOK + "\n")));
      try (AllInOne app = AllInOne.start(new AllInOne.Options(ServerConfigFile.load(config), tmp.resolve("data"), 0,
          SharedKafka.bootstrap(), AllInOne.Role.ALL, TestProbes.registry(new FreezeCalendarProbe(), TestProbes.PASS),
          Clock.systemUTC()))) {
        assertTrue(app.awaitReady(Duration.ofSeconds(60)), "ready, the GitLab reporter included");
        Api anonymous = new Api(app.httpPort(), null);
        assertEquals("UP", anonymous.get("/health/ready").json().path("checks").path("gitlabReporter").asText());
        Project project = new Project(30, "acme/shop", git.webUrl());
        assertEquals(401, new GitLabDeliveries("wrong", null).send(anonymous, "Deployment Hook",
            GitLabDeliveries.deployment(project, "blocked", 1, 2, "production", shop.head(), "jsmith")).status());

        gitlab.deployment(11, 30, "production", shop.head(), "blocked", 12, "manual");
        Api.Response accepted = new GitLabDeliveries(HOOK, null).send(anonymous, "Deployment Hook",
            GitLabDeliveries.deployment(project, "blocked", 11, 12, "production", shop.head(), "jsmith"));
        assertEquals(202, accepted.status(), accepted.body());
        String id = accepted.json().path("evaluationId").asText();

        Api admin = new Api(app.httpPort(), Files.readString(app.adminTokenFile()).strip());
        JsonNode evaluation = admin.get("/api/v1/evaluations/" + id + "?waitSeconds=30").json();
        assertEquals("NO_GO", evaluation.path("verdict").path("decision").asText(), evaluation.toString());
        assertTrue(evaluation.path("verdict").path("held").asBoolean(), "held until the freeze ends: " + evaluation);
        assertTrue(evaluation.toString().contains("Change freeze: GitLab freeze"), evaluation.toString());
        FakeGitLab.Call held = gitlab.await(c -> c.path().endsWith("/statuses/" + shop.head()) && "pending".equals(c.field("state"))
            && c.field("description").startsWith("NO_GO for now, held until"), Duration.ofSeconds(30));
        assertEquals("tollgate/production", held.field("name"));
        Thread.sleep(500);
        assertEquals(List.of(), gitlab.approvals(11), "a held deploy is not rejected: " + gitlab.describe());
        assertTrue(gitlab.calls().stream().anyMatch(c -> c.path().equals("/projects/acme%2Fshop/freeze_periods") && c.bot().equals("acme")),
            "read as acme's bot: " + gitlab.describe());
        assertTrue(git.requests().stream().anyMatch(r -> r.authenticated() && r.uri().startsWith("/acme/shop.git/")),
            "the workers cloned with the bot token");
      }
    }
  }
}
