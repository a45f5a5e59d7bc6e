package dev.tollgate.deploy.testing;

import dev.tollgate.deploy.EngineCalendar;
import dev.tollgate.gate.attestation.AttestationKey;
import dev.tollgate.gate.attestation.AttestationKeys;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A gate for the dashboard tests: tenants acme and globex; {@code production} runs a probe that always fails (so
 * every evaluation is a NO_GO with one finding), lets alice and bob override, and is frozen from an hour ago for two
 * days; {@code staging} passes; {@code eu} serves two regions, for the calendar grid; {@code qa} fails with no
 * approvers, and {@code vault} fails with a probe nobody may override. With the real calendar engine;
 * verdicts are signed.
 */
public final class DashboardFixture implements AutoCloseable {
  public final TestInstallation tollgate;
  public final FixtureRepo repo;
  public final FixtureRepo otherRepo;
  public final Instant freezeEnd;

  public DashboardFixture(Path tmp) throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    freezeEnd = now.plus(2, ChronoUnit.DAYS);
    String config = """
        tenants: [acme, globex]
        environments:
          production:
            probes: {fail: {}}
            overrides: {approvers: [alice, bob], required: 1, expiresAfter: 2h}
            calendar:
              freezes:
                - {name: Release freeze, reason: CHG-7, start: "%s", end: "%s"}
          staging:
            probes: {pass: {}}
          eu:
            probes: {pass: {}}
            calendar:
              regions: [europe-west3, us-east-1]
          qa:
            probes: {fail: {}}
          vault:
            probes: {fail: {}}
            overrides: {approvers: [alice, bob], required: 1, notOverridable: [fail]}
        """.formatted(now.minus(1, ChronoUnit.HOURS), freezeEnd);
    tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.FAIL, TestProbes.PASS), config);
    tollgate.withCalendar(EngineCalendar.of(tollgate.config()));
    tollgate.withAttestation(AttestationKeys.of(AttestationKey.generate()));
    tollgate.startGate();
    tollgate.startWorker("w1");
    repo = FixtureRepo.create(tmp.resolve("shop")).commit("db/V1__init.sql", "create table a (id int);")
        .deployed().commit("db/V2__drop.sql", "alter table a drop column id;");
    otherRepo = FixtureRepo.create(tmp.resolve("globex-app")).commit("app.txt", "1").deployed().commit("app.txt", "2");
    // The baselines run there as Tollgate decided (production's probe always fails: overridden), so requests check
    // (baseline, head] as they ask; the gate would not trust them otherwise.
    for (String environment : new String[] {"production", "staging"}) {
      tollgate.trust(repo.dir().toString(), "acme", environment, repo.baseline());
    }
    tollgate.trust(otherRepo.dir().toString(), "globex", "staging", otherRepo.baseline());
  }

  /** The gate's port. */
  public int port() {
    return tollgate.gate().httpPort();
  }

  /** The body of an evaluation request of {@code repo} for tenant acme. */
  public String request(String environment) {
    return "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"" + environment + "\",\"tenant\":\"acme\",\"candidate\":\""
        + repo.head() + "\",\"baseline\":\"" + repo.baseline() + "\"}";
  }

  /** The body of an evaluation request of the other repository for tenant globex. */
  public String globexRequest(String environment) {
    return "{\"repository\":\"" + otherRepo.dir() + "\",\"environment\":\"" + environment + "\",\"tenant\":\"globex\","
        + "\"candidate\":\"" + otherRepo.head() + "\",\"baseline\":\"" + otherRepo.baseline() + "\"}";
  }

  @Override
  public void close() {
    tollgate.close();
  }
}
