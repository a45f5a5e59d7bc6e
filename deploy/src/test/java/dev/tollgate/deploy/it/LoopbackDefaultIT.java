package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.deploy.AllInOne;
import dev.tollgate.deploy.ServerConfigFile;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestProbes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #19, item 10: the all-in-one listened on {@code 0.0.0.0} with local repository paths allowed, so any token
 * holder on the network could have it evaluate any git repository on the host. Now it listens on loopback unless
 * {@code http.host} or {@code serve --http-host} says otherwise. The check: a server bound to {@code 127.0.0.1} does not
 * accept a connection to another address of the machine ({@code 127.0.0.2} stands for the network interface, and works
 * on any Linux host); one opened with {@code --http-host 0.0.0.0} does.
 */
class LoopbackDefaultIT {
  @TempDir
  Path tmp;

  AllInOne start(String httpHost) throws Exception {
    Path config = Files.writeString(tmp.resolve("tollgate-" + UUID.randomUUID() + ".yml"), """
        tenants: [acme]
        http: {port: 0}
        tokens:                 # a gate alone (--role gate) takes its tokens from the file
          - {name: ops, sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08, role: viewer, tenants: [acme]}
        kafka: {topicNamespace: it-%s, replicationFactor: 1, partitions: 2}
        environments:
          staging: {probes: {pass: {}}}
        """.formatted(UUID.randomUUID().toString().substring(0, 8)));
    AllInOne app = AllInOne.start(new AllInOne.Options(ServerConfigFile.load(config), tmp.resolve("data-" + UUID.randomUUID()), 0,
        SharedKafka.bootstrap(), AllInOne.Role.GATE, TestProbes.registry(TestProbes.PASS), Clock.systemUTC(), httpHost));
    assertTrue(app.awaitReady(Duration.ofSeconds(60)), "ready");
    return app;
  }

  /** The status line's code of {@code GET /health/live} sent to {@code address}. */
  static int live(String address, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getByName(address), port), 5000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET /health/live HTTP/1.1\r\nHost: " + address + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return Integer.parseInt(new String(in.readNBytes(12), StandardCharsets.US_ASCII).substring(9, 12));
    }
  }

  @Test
  void theGateListensOnLoopbackUnlessToldOtherwise() throws Exception {
    try (AllInOne app = start(null)) {
      assertEquals("127.0.0.1", app.httpHost());
      assertEquals(200, live("127.0.0.1", app.httpPort()), "this machine reaches it");
      assertThrows(ConnectException.class, () -> live("127.0.0.2", app.httpPort()), "another address is refused");
    }
    // The happy path beside it: opened on purpose, it answers on every interface.
    try (AllInOne app = start("0.0.0.0")) {
      assertEquals(200, live("127.0.0.2", app.httpPort()));
      assertEquals(200, live("127.0.0.1", app.httpPort()));
    }
  }
}
