package dev.tollgate.gate.verdict;

import dev.tollgate.contracts.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The heap the parsed copy costs per stored JSON byte, the unit {@link ParsedStates}' bound counts: open states as
 * {@link AggregatorCpuBench} builds them (a request with deploy history and four of five results, three findings
 * each), their stored bytes read from the aggregator's store, then parsed into states held in a list, the used heap
 * measured after full GCs before and after (median of rounds). The stored arrays are the store's, not counted.
 * Usage: bench/parsed-heap.sh [rounds=5] [open-states=2000]
 */
public final class ParsedStatesHeapBench {
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    AggregatorCpuBench.Run run = new AggregatorCpuBench.Run(0);
    for (int i = 0; i < n; i++) {
      run.evaluate("open-" + i, AggregatorCpuBench.PROBES.size() - 1);
      run.context.resetForwards();
    }
    KeyValueStore<String, byte[]> store = run.context.getStateStore(Aggregator.STORE);
    List<byte[]> stored = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        stored.add(kv.value);
      }
    }
    long bytes = stored.stream().mapToLong(b -> b.length).sum();
    double[] ratios = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long before = usedAfterGc();
      List<AggregationState> states = new ArrayList<>(stored.size());
      for (byte[] b : stored) {
        states.add(Json.read(b, AggregationState.class));
      }
      long after = usedAfterGc();
      ratios[r] = (double) (after - before) / bytes;
      if (states.size() != stored.size()) {
        throw new IllegalStateException("kept " + states.size());
      }
    }
    Arrays.sort(ratios);
    System.out.printf(Locale.ROOT, "%d open states, %d stored bytes (%.0f per state)%n", stored.size(), bytes,
        (double) bytes / stored.size());
    System.out.printf(Locale.ROOT, "parsed heap per stored byte: median %.2f (rounds, sorted: %s)%n", ratios[rounds / 2],
        Arrays.toString(Arrays.stream(ratios).map(x -> Math.round(x * 100) / 100.0).toArray()));
  }

  private static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }
}
