package dev.tollgate.probes.calendar;

import java.time.Instant;
import java.util.List;

/** Something that blocks deploys at times: a freeze definition, the holidays of the regions, business hours. */
interface WindowSource {
  /**
   * Every window overlapping [from, to), including one that started before {@code from}. Pure: same answer for the
   * same arguments.
   */
  List<BlockingWindow> windows(Instant from, Instant to);
}
