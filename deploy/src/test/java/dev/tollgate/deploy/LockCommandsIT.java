package dev.tollgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tollgate lock|unlock|queue} against a running gate: what they print and their exit codes. */
class LockCommandsIT {
  @TempDir
  Path tmp;

  @Test
  void locksUnlocksAndShowsTheQueueWithAnExitCodePerOutcome() throws Exception {
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS), """
            tenants: [acme]
            environments:
              production: {probes: {pass: {}}, queue: {maxInFlight: 1}}
            """)) {
      tollgate.startGate();
      String server = "http://127.0.0.1:" + tollgate.gate().httpPort();
      Path alice = Files.writeString(tmp.resolve("alice.token"), TestInstallation.ALICE);
      Path bob = Files.writeString(tmp.resolve("bob.token"), TestInstallation.BOB);
      Path viewer = Files.writeString(tmp.resolve("viewer.token"), TestInstallation.VIEWER);

      CliRun.Output locked = CliRun.run("lock", "production", "--server", server, "--token-file", alice.toString(),
          "--reason", "debugging the payment outage", "--for", "1h");
      assertEquals(0, locked.code(), locked.err());
      assertTrue(locked.out().contains("production locked by alice (freeze lock) until "), locked.out());

      CliRun.Output refused = CliRun.run("lock", "production", "--server", server, "--token-file", bob.toString(),
          "--reason", "bob wants the environment too");
      assertEquals(1, refused.code(), refused.out() + refused.err());
      assertTrue(refused.err().contains("already locked by alice"), refused.err());

      CliRun.Output notAllowed = CliRun.run("lock", "production", "--server", server, "--token-file", viewer.toString(),
          "--reason", "viewers may not lock anything");
      assertEquals(1, notAllowed.code(), notAllowed.err());

      CliRun.Output queue = CliRun.run("queue", "production", "--server", server, "--token-file", viewer.toString());
      assertEquals(0, queue.code(), queue.err());
      assertTrue(queue.out().contains("production: freeze lock by alice since "), queue.out());
      assertTrue(queue.out().contains("in flight (max 1):"), queue.out());

      CliRun.Output json = CliRun.run("queue", "production", "--server", server, "--token-file", viewer.toString(),
          "--format", "json");
      assertEquals(0, json.code(), json.err());
      assertEquals("alice", dev.tollgate.contracts.Json.mapper().readTree(json.out()).path("locks").get(0).path("holder").asText());

      CliRun.Output notHers = CliRun.run("unlock", "production", "--server", server, "--token-file", bob.toString());
      assertEquals(1, notHers.code(), notHers.err());
      CliRun.Output unlocked = CliRun.run("unlock", "production", "--server", server, "--token-file", alice.toString());
      assertEquals(0, unlocked.code(), unlocked.err());
      assertTrue(unlocked.out().contains("production unlocked by alice"), unlocked.out());
      CliRun.Output again = CliRun.run("unlock", "production", "--server", server, "--token-file", alice.toString());
      assertEquals(1, again.code(), again.err());

      // A stale --lock-id (the lock shown before) never ends the lock taken since: exit 1, the new lock stands.
      String oldId = dev.tollgate.contracts.Json.mapper().readTree(json.out()).path("locks").get(0).path("lockId").asText();
      assertEquals(0, CliRun.run("lock", "production", "--server", server, "--token-file", alice.toString(),
          "--reason", "alice locks it again for the rerun").code());
      CliRun.Output stale = CliRun.run("unlock", "production", "--server", server, "--token-file", alice.toString(),
          "--lock-id", oldId);
      assertEquals(1, stale.code(), stale.out() + stale.err());
      assertTrue(stale.err().contains("is no longer in force"), stale.err());
      CliRun.Output shown = CliRun.run("queue", "production", "--server", server, "--token-file", viewer.toString(),
          "--format", "json");
      String newId = dev.tollgate.contracts.Json.mapper().readTree(shown.out()).path("locks").get(0).path("lockId").asText();
      CliRun.Output current = CliRun.run("unlock", "production", "--server", server, "--token-file", alice.toString(),
          "--lock-id", newId);
      assertEquals(0, current.code(), current.out() + current.err());

      CliRun.Output unreachable = CliRun.run("queue", "production", "--server", "http://127.0.0.1:1", "--token-file",
          viewer.toString());
      assertEquals(2, unreachable.code(), unreachable.err());
      assertTrue(unreachable.err().contains("cannot reach the gate"), unreachable.err());
    }
  }
}
