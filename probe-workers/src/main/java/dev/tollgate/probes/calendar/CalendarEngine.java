package dev.tollgate.probes.calendar;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The calendar: what blocks deploys at an instant, and when they may go. The probe's rules, {@code tollgate calendar}
 * and the dashboard's calendar view call it directly; the gate's re-evaluation uses the decision's
 * {@link CalendarDecision#nextAllowed()} (carried as the probe result's {@code retryAt}).
 *
 * <pre>
 * CalendarEngine engine = new CalendarEngine(new HolidayCalendar(), FeedCache.standard());
 * CalendarPolicy policy = CalendarPolicy.parse("production", serverSection, List.of(), path -&gt; Optional.empty(),
 *     engine.holidays());
 * CalendarDecision d = engine.evaluate(policy, clock.instant());
 * List&lt;BlockingWindow&gt; next30Days = engine.upcoming(policy, clock.instant(), Duration.ofDays(30));
 * </pre>
 *
 * Thread-safe; keep one per process (it caches holiday years and feeds).
 */
public final class CalendarEngine {
  private static final Comparator<BlockingWindow> ORDER = Comparator.comparing(BlockingWindow::start)
      .thenComparing(w -> w.kind().ordinal()).thenComparing(w -> w.region() == null ? "" : w.region())
      .thenComparing(BlockingWindow::name);

  private final HolidayCalendar holidays;
  private final FeedCache feeds;

  public CalendarEngine(HolidayCalendar holidays, FeedCache feeds) {
    this.holidays = Objects.requireNonNull(holidays, "holidays");
    this.feeds = Objects.requireNonNull(feeds, "feeds");
  }

  /** The holiday data this engine uses (pass it to {@link CalendarPolicy#parse}). */
  public HolidayCalendar holidays() {
    return holidays;
  }

  /**
   * Decides {@code at}: allowed or not, every window containing it, and the next allowed instant — the earliest
   * instant at or after {@code at} inside no window of any region, searched up to 400 days ahead.
   */
  public CalendarDecision evaluate(CalendarPolicy policy, Instant at) {
    Windows all = windows(policy, at, at.plus(CalendarPolicy.HORIZON));
    List<BlockingWindow> blocking = all.list.stream().filter(w -> w.contains(at)).sorted(ORDER).toList();
    return new CalendarDecision(at, blocking.isEmpty(), blocking, nextAllowed(all.list, at), all.warnings);
  }

  /** Every window overlapping [from, from + span), sorted by start; windows of a failed feed included. */
  public List<BlockingWindow> upcoming(CalendarPolicy policy, Instant from, Duration span) {
    if (span.isNegative() || span.isZero() || span.compareTo(CalendarPolicy.HORIZON) > 0) {
      throw new IllegalArgumentException("upcoming: expected a span between 1s and 400d, got " + span);
    }
    return windows(policy, from, from.plus(span)).list.stream().sorted(ORDER).toList();
  }

  /** Warnings and windows of [from, to). */
  private record Windows(List<BlockingWindow> list, List<String> warnings) {}

  private Windows windows(CalendarPolicy policy, Instant from, Instant to) {
    List<BlockingWindow> out = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (WindowSource s : policy.sources()) {
      out.addAll(s.windows(from, to));
    }
    for (FeedSpec spec : policy.feeds()) {
      FeedCache.Result r = feeds.load(spec);
      if (r.error() != null) {
        // Fail closed: the freezes in an unreadable feed are unknown, so the feed blocks with no known end.
        out.add(new BlockingWindow(WindowKind.FREEZE, "feed " + spec.name() + " unavailable: " + r.error(), null, from, null,
            spec.zone(), "feed " + spec.name()));
        continue;
      }
      if (r.warning() != null) {
        warnings.add(r.warning());
      }
      for (Recurrence e : r.events()) {
        out.addAll(e.windows(from, to));
      }
    }
    return new Windows(out, warnings);
  }

  /** Sweeps forward from {@code at}: while some window contains t, jump to the latest end among them. */
  static Instant nextAllowed(List<BlockingWindow> windows, Instant at) {
    Instant t = at;
    for (int i = 0; i <= windows.size(); i++) {
      Instant jump = null;
      for (BlockingWindow w : windows) {
        if (w.contains(t)) {
          if (w.end() == null) {
            return null;
          }
          if (jump == null || w.end().isAfter(jump)) {
            jump = w.end();
          }
        }
      }
      if (jump == null) {
        return t;
      }
      t = jump;
      if (!t.isBefore(at.plus(CalendarPolicy.HORIZON))) {
        return null;
      }
    }
    return null;
  }
}
