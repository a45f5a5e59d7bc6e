package dev.tollgate.deploy.testing;

import dev.tollgate.deploy.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real embedded KRaft broker for every integration test of this JVM (starting one takes seconds, and the
 * machine has two cores). Tests isolate themselves with a topic namespace and their own group ids.
 */
public final class SharedKafka {
  private static EmbeddedKafka broker;

  private SharedKafka() {}

  /** The shared broker's bootstrap, starting it on first use. */
  public static synchronized String bootstrap() {
    if (broker == null) {
      try {
        Path dir = Files.createTempDirectory("tollgate-it-kafka");
        broker = EmbeddedKafka.start(dir, 0);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "shared-kafka-stop"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return broker.bootstrap();
  }
}
