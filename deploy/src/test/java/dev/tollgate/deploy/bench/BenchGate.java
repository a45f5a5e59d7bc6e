package dev.tollgate.deploy.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A Tollgate all-in-one process ({@code java -jar tollgate.jar serve}: gate and workers) that a bench starts against
 * its {@link BenchKafka} broker, from any jar (this checkout's, or another build's for a before/after comparison).
 */
final class BenchGate implements AutoCloseable {
  private final BenchProcess process;
  private final int port;
  private final String token;
  private final String namespace;

  private BenchGate(BenchProcess process, int port, String token, String namespace) {
    this.process = process;
    this.port = port;
    this.token = token;
    this.namespace = namespace;
  }

  /**
   * Starts the gate and waits until {@code /health/ready} answers 200.
   *
   * @param namespace topic namespace of this installation ("" for none; "week" makes topics, application and group ids
   *     start with "week.")
   * @param jvmOptions extra JVM options (a flight recording, a heap size)
   */
  static BenchGate start(Path jar, Path dir, BenchKafka kafka, int port, String namespace, List<String> jvmOptions)
      throws Exception {
    Files.createDirectories(dir);
    Path config = dir.resolve("tollgate.yml");
    // -Dbench.gateConfig: extra config lines (LoadBench's javadoc), ';' a new line and '~' a space.
    Files.writeString(config, """
        tenants: [acme]
        http: {host: 127.0.0.1}
        kafka: {partitions: 3, replicationFactor: 1, topicNamespace: "%s"}
        environments:
          staging: {}
          production: {}
        repositories: {allowLocalPaths: true}
        """.formatted(namespace) + System.getProperty("bench.gateConfig", "").replace(';', '\n').replace('~', ' '));
    // Logging as shipped (JSON at INFO, to a file here): production pays for it too.
    BenchProcess p = BenchProcess.start("gate", BenchProcess.java(jvmOptions, "-jar", jar.toString(), "serve", "--config",
        config.toString(), "--data-dir", dir.resolve("data").toString(), "--http-port", Integer.toString(port),
        "--kafka-bootstrap", kafka.bootstrap()), dir.resolve("gate.log"));
    try {
      p.awaitHttp200("http://127.0.0.1:" + port + "/health/ready", Duration.ofMinutes(5));
    } catch (Exception e) {
      p.close();
      throw e;
    }
    String token = Files.readString(dir.resolve("data").resolve("admin.token")).strip();
    return new BenchGate(p, port, token, namespace);
  }

  BenchProcess process() {
    return process;
  }

  int port() {
    return port;
  }

  String namespace() {
    return namespace;
  }

  /** {@code POST path} with the admin token. */
  HttpRequest.Builder post(String path, String json) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(70))
        .POST(HttpRequest.BodyPublishers.ofString(json));
  }

  /** {@code GET path} with the admin token. */
  HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(70)).GET();
  }

  /** Sends one request and returns its body, failing on any status but 2xx. */
  String send(HttpClient client, HttpRequest request) throws Exception {
    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " -> " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  @Override
  public void close() {
    process.close();
  }
}
