package dev.tollgate.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.history.DeployRecord;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.contracts.history.DeploymentRecorded;
import dev.tollgate.contracts.history.ReporterStanding;
import dev.tollgate.contracts.lock.Identity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which deploy reports count as proof, as every reader of the record sees it. */
class ReporterStandingTest {
  static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  static final String COMMIT = "3f2c9a1b8e7d6c5b4a39281706f5e4d3c2b1a098";

  static DeploymentRecorded deploy() {
    return new DeploymentRecorded(DeploymentRecorded.SCHEMA_VERSION, "e1", "r1", "d1", "acme", "shop", "staging", COMMIT,
        DeployStatus.SUCCEEDED, null, Source.API, T0, T0, T0);
  }

  @Test
  void thePlatformAnAdminADeployReporterAndTheRequesterVouchAndARecordFromBeforeStandingStillDoes() {
    for (var s : new ReporterStanding[] {ReporterStanding.PLATFORM, ReporterStanding.ADMIN, ReporterStanding.DEPLOY_REPORTER,
        ReporterStanding.REQUESTER}) {
      assertTrue(deploy().withReporter(Identity.token("ci"), s).vouched(), s.name());
    }
    assertTrue(deploy().vouched(), "written before reporters were judged: accepted as proof then");
  }

  @Test
  void flagsNoneAndAValueFromANewerWriterAsNotVouched() {
    assertFalse(deploy().withReporter(Identity.token("mallory"), ReporterStanding.NONE).vouched());
    String newer = new String(Json.write(deploy().withReporter(Identity.token("mallory"), ReporterStanding.NONE)),
        StandardCharsets.UTF_8).replace("\"NONE\"", "\"NOTARIZED\"");
    DeploymentRecorded read = Json.read(newer.getBytes(StandardCharsets.UTF_8), DeploymentRecorded.class);
    assertEquals(ReporterStanding.UNKNOWN, read.standing());
    assertFalse(read.vouched(), "an unknown standing fails closed");
  }

  @Test
  void aDeployRecordSaysWhoReportedItAndWhetherItCountsAndReadsBack() {
    var record = new DeployRecord(COMMIT, DeployStatus.SUCCEEDED, T0, T0, null, "d1", Identity.token("mallory"),
        ReporterStanding.NONE);
    String json = new String(Json.write(record), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"vouched\":false") && json.contains("\"standing\":\"NONE\""), json);
    assertEquals(record, Json.read(json.getBytes(StandardCharsets.UTF_8), DeployRecord.class));
  }
}
