package dev.tollgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** Issue 20 item 15: "tollgate: java.io.IOException: ..." and a BindException without its port reached users. */
class CliMessagesTest {
  @Test
  void fileErrorsAreWordsWithTheFileAndNoClassName() {
    assertEquals("no such file or directory: /etc/tollgate/tollgate.yml",
        Cli.userMessage(new UncheckedIOException(new NoSuchFileException("/etc/tollgate/tollgate.yml"))));
    assertEquals("permission denied: /var/lib/tollgate", Cli.userMessage(new AccessDeniedException("/var/lib/tollgate")));
    String other = Cli.userMessage(new IllegalStateException("the broker did not start"));
    assertEquals("the broker did not start", other);
    assertFalse(Cli.userMessage(new RuntimeException(new java.io.IOException("disk full"))).contains("java."));
  }

  @Test
  void aPortInUseIsRecognisedWhereverListeningFailed() {
    assertTrue(AllInOne.portInUse(new RuntimeException("listen failed", new BindException("Address already in use"))));
    assertTrue(AllInOne.portInUse(new IllegalStateException("bind(..) failed: Address already in use")));
    assertFalse(AllInOne.portInUse(new IllegalStateException("Connection refused")));
  }

  /** The real thing: serve on a port another process holds names the port and exits 2. */
  @Test
  void serveOnAPortInUseNamesThePort(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("0.0.0.0"))) {
      java.nio.file.Path config = java.nio.file.Files.writeString(tmp.resolve("tollgate.yml"),
          "environments: {staging: {}}\nkafka: {bootstrap: 127.0.0.1:1}\n");
      CliRun.Output out = CliRun.run("serve", "--role", "worker", "--config", config.toString(), "--data-dir",
          tmp.resolve("d").toString(), "--http-port", Integer.toString(taken.getLocalPort()));
      assertEquals(2, out.code(), out.err());
      assertTrue(out.err().contains(":" + taken.getLocalPort() + " is already in use by another process"), out.err());
      assertFalse(out.err().contains("java.net.BindException"), out.err());
    }
  }
}
