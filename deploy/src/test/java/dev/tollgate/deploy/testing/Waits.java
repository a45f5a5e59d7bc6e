package dev.tollgate.deploy.testing;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * How long a test waits for a condition before it fails. Waits end as soon as their condition holds; the budget only
 * bounds a failure. On a machine busy with other builds (CI next to five engineers' builds on two cores) everything
 * runs several times slower, so the budget grows with the load average per core: at least 3 times the figure a test
 * names, at most 10 times. A test never sleeps for a fixed time to let something happen (issue 20 item 17): speed is
 * measured in bench/, not here.
 */
public final class Waits {
  private Waits() {}

  /** {@code nominal}, scaled by how busy the machine is now. */
  public static Duration budget(Duration nominal) {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    double perCore = load < 0 ? 1 : load / Runtime.getRuntime().availableProcessors();
    return nominal.multipliedBy((long) Math.ceil(Math.min(10, Math.max(3, perCore))));
  }

  /** The deadline, in {@link System#nanoTime()} terms, of a wait of {@code nominal} starting now. */
  public static long deadline(Duration nominal) {
    return System.nanoTime() + budget(nominal).toNanos();
  }
}
