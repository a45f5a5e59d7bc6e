package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.gate.attestation.AttestationVerifier;
import dev.tollgate.gate.attestation.KeyFiles;
import dev.tollgate.probes.testing.FixtureRepo;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's command, for real: {@code java -jar tollgate.jar serve} starts the embedded broker, the gate and
 * the workers in one process; an evaluation survives a restart; SIGTERM stops it cleanly. Its verdicts are signed with a
 * key generated in the data dir, kept across the restart.
 */
class AllInOneJarIT {
  static final Path JAR = Path.of("target", "tollgate.jar");

  @TempDir
  Path tmp;

  @Test
  void startsWithOneCommandAndKeepsEvaluationsAcrossARestart() throws Exception {
    assertTrue(Files.exists(JAR), "run after package: " + JAR.toAbsolutePath());
    Path data = tmp.resolve("data");
    int port = freePort();
    FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("README.md", "hello");

    Process first = start(data, port);
    String id;
    Api.Response attestation;
    try {
      awaitReady(port, first);
      Path tokenFile = data.resolve("admin.token");
      assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
          Files.getPosixFilePermissions(tokenFile), "the admin token file is private");
      String token = Files.readString(tokenFile).strip();
      // The command prints its start banner after its own ready wait, which may end after /health/ready answers.
      String expected = "Admin API token: in " + tokenFile.toAbsolutePath();
      String out = awaitOutput(expected);
      assertTrue(out.contains(expected), out);
      assertTrue(!out.contains(token), "the token itself is never printed");
      Api api = new Api(port, token);
      JsonNode v = api.evaluate("{\"repository\":\"" + repo.dir() + "\",\"environment\":\"staging\",\"candidate\":\""
          + repo.head() + "\"}", 30).json();
      assertEquals("COMPLETE", v.path("status").asText(), v.toString());
      id = v.path("id").asText();

      // Without a configured key, verdicts are signed with one generated in the data dir, private, and said so.
      Path keyFile = data.resolve("attestation-key.pem");
      assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
          Files.getPosixFilePermissions(keyFile), "the attestation key file is private");
      String keyText = Files.readString(keyFile);
      String logs = Files.readString(tmp.resolve("serve.out"));
      assertTrue(logs.contains("Verdicts are signed with key ") && logs.contains("generated in " + keyFile.toAbsolutePath()), logs);
      assertTrue(!logs.contains(keyText.lines().skip(1).findFirst().orElseThrow()), "the key itself is never printed or logged");
      attestation = api.get("/api/v1/evaluations/" + id + "/attestation?waitSeconds=20");
      assertEquals(200, attestation.status(), attestation.body());
      verify(attestation.body(), new Api(port, null).get("/api/v1/attestations/keys").body(), repo.head());
    } finally {
      stop(first);
    }
    assertTrue(Set.of(0, 143).contains(first.exitValue()), "stopped cleanly by SIGTERM, exit " + first.exitValue());

    Process second = start(data, port);
    try {
      awaitReady(port, second);
      Api api = new Api(port, Files.readString(data.resolve("admin.token")).strip());
      JsonNode again = api.get("/api/v1/evaluations/" + id).json();
      assertEquals("COMPLETE", again.path("status").asText(), "the evaluation survived the restart: " + again);
      assertEquals(attestation.body(), api.get("/api/v1/evaluations/" + id + "/attestation?waitSeconds=20").body(),
          "the signed verdict survived the restart, byte for byte");
      verify(attestation.body(), new Api(port, null).get("/api/v1/attestations/keys").body(), repo.head());
    } finally {
      stop(second);
    }
  }

  /** Verifies the way a pipeline would, with the keys the gate serves. */
  static void verify(String envelope, String jwks, String commit) {
    AttestationVerifier.Result r = AttestationVerifier.verify(envelope.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        KeyFiles.parse(jwks), new AttestationVerifier.Expectations(commit, "staging", null, null), java.time.Instant.now());
    assertEquals(AttestationVerifier.Outcome.VERIFIED, r.outcome(), r.reason());
  }

  Process start(Path data, int port) throws IOException {
    return new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        JAR.toString(), "serve", "--data-dir", data.toString(), "--http-port", Integer.toString(port)))
        .redirectErrorStream(true).redirectOutput(tmp.resolve("serve.out").toFile()).start();
  }

  void awaitReady(int port, Process process) throws Exception {
    Api api = new Api(port, null);
    long deadline = dev.tollgate.deploy.testing.Waits.deadline(java.time.Duration.ofSeconds(90));
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("tollgate exited early:\n" + Files.readString(tmp.resolve("serve.out")));
      }
      try {
        if (api.get("/health/ready").status() == 200) {
          return;
        }
      } catch (RuntimeException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not ready within 90 s");
  }

  /** The command's output once it contains {@code expected}, or as it is after 30 s. */
  String awaitOutput(String expected) throws Exception {
    long deadline = dev.tollgate.deploy.testing.Waits.deadline(java.time.Duration.ofSeconds(30));
    String out = Files.readString(tmp.resolve("serve.out"));
    while (!out.contains(expected) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      out = Files.readString(tmp.resolve("serve.out"));
    }
    return out;
  }

  static void stop(Process p) throws InterruptedException {
    p.destroy(); // SIGTERM: the shutdown hook stops gate, workers and broker
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("did not stop within 60 s of SIGTERM");
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
