package dev.tollgate.deploy;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker (KRaft, broker and controller in one) inside this JVM, built from Kafka's own
 * 4.4.0 artifacts. Its log directory lives under the data dir and is formatted only once, so a restart keeps
 * every record. Ports are picked fresh at each start unless one is given.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

  private final KafkaRaftServer server;
  private final String bootstrap;
  private final Path logDir;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrap, Path logDir) {
    this.server = server;
    this.bootstrap = bootstrap;
    this.logDir = logDir;
  }

  /**
   * Formats {@code dir} on first use and starts the broker.
   *
   * @param brokerPort client port, 0 to pick a free one
   */
  public static EmbeddedKafka start(Path dir, int brokerPort) {
    return start(dir, brokerPort, Map.of());
  }

  /**
   * {@link #start(Path, int)} with {@code extra} broker properties over these (tests: an authorizer that can refuse a
   * group's commits on demand).
   */
  static EmbeddedKafka start(Path dir, int brokerPort, Map<String, String> extra) {
    long started = System.nanoTime();
    int port = brokerPort == 0 ? freePort() : brokerPort;
    int controllerPort = freePort();
    Path logDir = dir.toAbsolutePath().resolve("logs");
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create Kafka log directory " + logDir, e);
    }
    Properties p = new Properties();
    p.put("node.id", "1");
    p.put("process.roles", "broker,controller");
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    // Like Kafka's default, records are acknowledged from the page cache (a process crash loses nothing); an OS
    // crash could lose at most the last second: fsync per record would cost every request milliseconds.
    p.put("log.flush.interval.ms", "1000");
    p.putAll(extra);
    KafkaConfig config = new KafkaConfig(p);
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      format(logDir);
    }
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    String bootstrap = "127.0.0.1:" + port;
    log.atInfo().addKeyValue("event", "kafka.embedded.started").addKeyValue("bootstrap", bootstrap)
        .addKeyValue("durationMs", (System.nanoTime() - started) / 1_000_000).log("embedded Kafka broker started");
    return new EmbeddedKafka(server, bootstrap, logDir);
  }

  /** The log directory is formatted once, with a new cluster id; later starts reuse it (and its records). */
  private static void format(Path logDir) {
    try {
      new Formatter()
          .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
          .setNodeId(1)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logDir.toString()))
          .setMetadataLogDirectory(logDir.toString())
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setControllerListenerName("CONTROLLER")
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format Kafka storage in " + logDir + ": " + e.getMessage(), e);
    }
  }

  /** {@code host:port} for clients. */
  public String bootstrap() {
    return bootstrap;
  }

  /** Where the broker keeps its data. */
  public Path logDir() {
    return logDir;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }
}
