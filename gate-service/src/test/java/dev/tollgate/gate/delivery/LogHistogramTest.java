package dev.tollgate.gate.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Quantiles of merged histograms stay within 1% of the exact nearest-rank quantiles. */
class LogHistogramTest {
  @Test
  void mergedQuantilesAreWithinOnePercentOfTheExactOnes() {
    Random random = new Random(42);
    long[] all = new long[20_000];
    LogHistogram[] days = new LogHistogram[90];
    for (int i = 0; i < days.length; i++) {
      days[i] = new LogHistogram();
    }
    for (int i = 0; i < all.length; i++) {
      all[i] = (long) Math.exp(random.nextDouble() * Math.log(30L * 86_400)); // 1 s to 30 days, log-uniform
      days[i % 90].add(all[i]);
    }
    long[] dense = new long[LogHistogram.BINS];
    for (LogHistogram d : days) {
      d.addTo(dense);
    }
    Arrays.sort(all);
    for (double q : new double[] {0.5, 0.9, 0.99}) {
      long exact = all[(int) Math.ceil(q * all.length) - 1];
      double got = LogHistogram.quantile(dense, q);
      assertTrue(Math.abs(got - exact) <= exact * 0.01 + 0.5, "q" + q + ": exact " + exact + ", got " + got);
    }
  }

  @Test
  void zeroEmptyAndNegative() {
    LogHistogram h = new LogHistogram();
    long[] dense = new long[LogHistogram.BINS];
    assertNull(LogHistogram.quantile(dense, 0.5));
    h.add(0);
    h.addTo(dense);
    assertEquals(0.0, LogHistogram.quantile(dense, 0.5));
    assertEquals(1, h.count());
    assertThrows(IllegalArgumentException.class, () -> h.add(-1));
  }

  @Test
  void aHugeDurationLandsInTheLastBin() {
    assertEquals(LogHistogram.BINS - 1, LogHistogram.bin(Long.MAX_VALUE));
  }
}
