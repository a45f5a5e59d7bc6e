package dev.tollgate.gate.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.contracts.history.ReporterStanding;
import dev.tollgate.contracts.lock.Identity;
import dev.tollgate.gate.auth.Principal;
import dev.tollgate.gate.auth.Role;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who may vouch for a deploy report: decided from how the reporter authenticated, never from what the body says. */
class DeployRecorderTest {
  static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  static final String COMMIT = "3f2c9a1b8e7d6c5b4a39281706f5e4d3c2b1a098";

  static DeployRecorder.Deploy deploy(Source source, String actor, Principal principal) {
    return new DeployRecorder.Deploy("r1", "d1", "acme", "https://github.com/acme/shop", "staging", COMMIT,
        DeployStatus.SUCCEEDED, null, source, actor, null, T0, T0, T0, null, "a1", null, principal);
  }

  /** A GO party: the submitter of a GO evaluation of the commit, in the namespace of its source. */
  static Identity goRequestedBy(Source source, String submitter) {
    return Identity.of(source, submitter);
  }

  static ReporterStanding standing(DeployRecorder.Deploy d, List<Identity> goParties) {
    return standing(d, true, goParties);
  }

  static ReporterStanding standing(DeployRecorder.Deploy d, boolean gated, List<Identity> goParties) {
    Identity reporter = d.principal() != null ? Identity.token(d.principal().name()) : Identity.of(d.source(), d.actor());
    return DeployRecorder.standing(d, reporter, gated, goParties);
  }

  @Test
  void theRequesterOfTheGoAnAdminADeployReporterAndTheSignedPlatformEventVouch() {
    var ci = new Principal("ci", Role.REQUESTER, Set.of("acme"));
    assertEquals(ReporterStanding.REQUESTER, standing(deploy(Source.API, "ci", ci), List.of(goRequestedBy(Source.API, "ci"))));
    assertEquals(ReporterStanding.ADMIN, standing(deploy(Source.API, "root", new Principal("root", Role.ADMIN, Set.of("*"))),
        List.of()));
    assertEquals(ReporterStanding.DEPLOY_REPORTER, standing(deploy(Source.API, "argo",
        new Principal("argo", Role.REQUESTER, Set.of("acme"), true)), List.of()));
    assertEquals(ReporterStanding.PLATFORM, standing(deploy(Source.GITHUB, "octocat", null), List.of()));
    assertEquals(ReporterStanding.PLATFORM, standing(deploy(Source.GITLAB, "dev", null), List.of()));
  }

  /**
   * Anyone with deployments write access on GitHub (a workflow's token on any branch) can create a deployment and mark
   * it successful: only a deployment Tollgate's protection rule or approval evaluated is the platform's word. Its
   * sender is otherwise judged like a token: a party of the commit's GO there, or nobody.
   */
  @Test
  void aPlatformDeploymentTollgateDidNotGateIsJudgedByItsSender() {
    for (Source platform : List.of(Source.GITHUB, Source.GITLAB)) {
      assertEquals(ReporterStanding.NONE, standing(deploy(platform, "mallory", null), false, List.of()), platform.name());
      assertEquals(ReporterStanding.NONE, standing(deploy(platform, "mallory", null), false,
          List.of(goRequestedBy(platform, "octocat"), goRequestedBy(Source.API, "mallory"))), platform + ": a token called like them");
      assertEquals(ReporterStanding.REQUESTER, standing(deploy(platform, "octocat", null), false,
          List.of(goRequestedBy(platform, "octocat"))), platform + ": the sender got the commit's GO there");
    }
  }

  /** A requester stands on any of the commit's GOs there the views keep, not only the first one's. */
  @Test
  void aRequesterStandsOnItsOwnGoWhenSomeoneElseGotTheFirst() {
    var ci = new Principal("ci", Role.REQUESTER, Set.of("acme"));
    assertEquals(ReporterStanding.REQUESTER, standing(deploy(Source.API, "ci", ci),
        List.of(goRequestedBy(Source.API, "bob"), goRequestedBy(Source.API, "ci"))));
  }

  @Test
  void flagsAnyoneElseAsWithoutStanding() {
    var mallory = new Principal("mallory", Role.APPROVER, Set.of("acme"));
    assertEquals(ReporterStanding.NONE, standing(deploy(Source.API, "mallory", mallory), List.of()),
        "no GO of the commit there: nobody's requester");
    assertEquals(ReporterStanding.NONE, standing(deploy(Source.API, "mallory", mallory), List.of(goRequestedBy(Source.API, "ci"))),
        "someone else's GO");
    assertEquals(ReporterStanding.NONE, standing(deploy(Source.API, "mallory", mallory),
        List.of(goRequestedBy(Source.GITHUB, "mallory"))), "a GitHub user called like the token is someone else");
    assertEquals(ReporterStanding.NONE, standing(deploy(Source.API, "root", new Principal("root", Role.ADMIN, Set.of("globex"))),
        List.of()), "an admin of another tenant is no admin here");
    assertEquals(ReporterStanding.NONE, standing(deploy(Source.API, "argo",
        new Principal("argo", Role.REQUESTER, Set.of("globex"), true)), List.of()), "nor a deploy reporter of another");
    assertEquals(ReporterStanding.NONE, standing(deploy(Source.SLACK, "U0ALICE", null), List.of()),
        "no token and no signed deployment event");
  }
}
