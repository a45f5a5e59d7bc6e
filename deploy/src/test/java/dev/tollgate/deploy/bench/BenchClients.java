package dev.tollgate.deploy.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each Kafka client of the gate process sent the broker, from the clients' own metrics over JMX: requests of any
 * kind per client (consumers, producers, admin clients) and, for consumers, the fetches among them. Two snapshots around
 * a phase, divided by its evaluations, say which client sends which requests per evaluation (the broker's own
 * request metrics only say how many of each API).
 */
record BenchClients(Map<String, Long> requests, Map<String, Long> fetches) {
  static BenchClients of(BenchProcess gate) throws Exception {
    Map<String, Long> requests = new TreeMap<>();
    for (String type : List.of("kafka.consumer:type=consumer-metrics", "kafka.producer:type=producer-metrics",
        "kafka.admin.client:type=admin-client-metrics")) {
      gate.mbeanCounts(type + ",client-id=*", "client-id", "request-total").forEach((c, n) -> requests.merge(name(c), n, Long::sum));
    }
    Map<String, Long> fetches = new TreeMap<>();
    gate.mbeanCounts("kafka.consumer:type=consumer-fetch-manager-metrics,client-id=*", "client-id", "fetch-total")
        .forEach((c, n) -> fetches.merge(name(c), n, Long::sum));
    return new BenchClients(requests, fetches);
  }

  /** A client id without the random parts Streams and Kafka put in (a UUID, a counter, a pid): one name per role. */
  static String name(String clientId) {
    return clientId.replace("\"", "").replaceAll("/\\d+$", "").replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "*")
        .replaceAll("-(\\d+)$", "-n");
  }

  /** Requests per evaluation per client since {@code before}, largest first, with the fetches among them. */
  String perEvaluation(BenchClients before, int evaluations) {
    List<Map.Entry<String, Double>> rows = new ArrayList<>();
    double total = 0;
    for (var e : requests.entrySet()) {
      double d = (e.getValue() - before.requests.getOrDefault(e.getKey(), 0L)) / (double) Math.max(1, evaluations);
      if (d >= 0.005) {
        rows.add(Map.entry(e.getKey(), d));
        total += d;
      }
    }
    rows.sort(Map.Entry.<String, Double>comparingByValue().reversed());
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "client requests/eval %.2f:", total));
    for (var r : rows) {
      double f = (fetches.getOrDefault(r.getKey(), 0L) - before.fetches.getOrDefault(r.getKey(), 0L))
          / (double) Math.max(1, evaluations);
      out.append(String.format(Locale.ROOT, " %s %.2f", r.getKey(), r.getValue()));
      if (f >= 0.005) {
        out.append(String.format(Locale.ROOT, " (fetch %.2f)", f));
      }
    }
    return out.toString();
  }
}
