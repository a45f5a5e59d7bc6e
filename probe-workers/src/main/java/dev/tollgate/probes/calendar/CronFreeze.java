package dev.tollgate.probes.calendar;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A recurring freeze given as GitLab gives deploy freezes: a cron expression for the start, one for the end and an
 * IANA time zone. As in GitLab, the freeze is active when the latest start at or before now is later than the latest
 * end at or before now. Unlike GitLab (gitlab#336354), Tollgate checks it at every evaluation, not at pipeline
 * creation.
 *
 * <p>cron-utils matches the expressions against naive wall-clock times (it is run in UTC, which has no DST), and
 * this class maps each match to an instant with the zone's rules: a start at 02:30 on a spring-forward night begins
 * at 03:30 local, the first instant whose wall clock reads 02:30 or later by RFC 5545 §3.3.5.
 */
final class CronFreeze implements WindowSource {
  private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  /** Max zone overlap (fall-back) that searches step over; 3 h covers every zone in the tz database today. */
  private static final long OVERLAP_HOURS = 3;
  private static final int MAX_WINDOWS = 5_000;

  private final String name;
  private final String startExpr;
  private final String endExpr;
  private final ExecutionTime start;
  private final ExecutionTime end;
  private final ZoneId zone;
  private final String source;

  CronFreeze(String name, String startExpr, String endExpr, ZoneId zone, String source, String key) {
    this.name = name;
    this.startExpr = startExpr;
    this.endExpr = endExpr;
    this.start = parse(startExpr, key + ".cron.start");
    this.end = parse(endExpr, key + ".cron.end");
    this.zone = zone;
    this.source = source;
  }

  private static ExecutionTime parse(String expr, String key) {
    Cron cron;
    try {
      cron = PARSER.parse(expr).validate();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": expected a 5-field cron expression such as \"0 23 * * 5\", got \"" + expr
          + "\": " + e.getMessage());
    }
    ExecutionTime exec = ExecutionTime.forCron(cron);
    if (exec.nextExecution(ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)).isEmpty()) {
      throw new IllegalArgumentException(key + ": the cron expression never matches a date, got \"" + expr + "\"");
    }
    return exec;
  }

  @Override
  public List<BlockingWindow> windows(Instant from, Instant to) {
    List<BlockingWindow> out = new ArrayList<>();
    Instant t = from;
    Optional<Instant> lastStart = atOrBefore(start, from);
    Optional<Instant> lastEnd = atOrBefore(end, from);
    if (lastStart.isPresent() && (lastEnd.isEmpty() || lastStart.get().isAfter(lastEnd.get()))) {
      // Active at `from`: it began at the first start after the last end (several starts may precede one end).
      Instant began = lastEnd.flatMap(e -> after(start, e)).orElse(lastStart.get());
      Optional<Instant> ends = after(end, from);
      if (ends.isEmpty()) {
        return List.of(window(began, null));
      }
      out.add(window(began, ends.get()));
      t = ends.get();
    }
    while (t.isBefore(to) && out.size() < MAX_WINDOWS) {
      Optional<Instant> s = after(start, t.minusNanos(1));
      if (s.isEmpty() || !s.get().isBefore(to)) {
        break;
      }
      Optional<Instant> e = after(end, s.get().minusNanos(1));
      if (e.isPresent() && e.get().equals(s.get())) {
        // Start and end fire together: latest start is not later than latest end, so never active (GitLab).
        t = s.get().plusNanos(1);
        continue;
      }
      out.add(window(s.get(), e.orElse(null)));
      if (e.isEmpty()) {
        break;
      }
      t = e.get();
    }
    return out;
  }

  private BlockingWindow window(Instant s, Instant e) {
    return new BlockingWindow(WindowKind.FREEZE, name, null, s, e, zone, source);
  }

  /** The latest match whose instant is at or before {@code t}. */
  private Optional<Instant> atOrBefore(ExecutionTime exec, Instant t) {
    // Search from a little later in wall time: in a fall-back overlap, wall times after t's may map to instants before it.
    LocalDateTime probe = local(t).plusHours(OVERLAP_HOURS).truncatedTo(ChronoUnit.MINUTES);
    for (int i = 0; i < 1_000; i++) {
      Optional<LocalDateTime> match = exec.isMatch(naive(probe)) ? Optional.of(probe)
          : exec.lastExecution(naive(probe)).map(ZonedDateTime::toLocalDateTime);
      if (match.isEmpty()) {
        return Optional.empty();
      }
      Instant at = ZonedDateTime.of(match.get(), zone).toInstant();
      if (!at.isAfter(t)) {
        return Optional.of(at);
      }
      probe = match.get().minusMinutes(1);
    }
    return Optional.empty();
  }

  /** The earliest match whose instant is strictly after {@code t}. */
  private Optional<Instant> after(ExecutionTime exec, Instant t) {
    LocalDateTime probe = local(t).minusHours(OVERLAP_HOURS).truncatedTo(ChronoUnit.MINUTES);
    for (int i = 0; i < 1_000; i++) {
      Optional<LocalDateTime> match = exec.nextExecution(naive(probe)).map(ZonedDateTime::toLocalDateTime);
      if (match.isEmpty()) {
        return Optional.empty();
      }
      Instant at = ZonedDateTime.of(match.get(), zone).toInstant();
      if (at.isAfter(t)) {
        return Optional.of(at);
      }
      probe = match.get();
    }
    return Optional.empty();
  }

  private LocalDateTime local(Instant t) {
    return LocalDateTime.ofInstant(t, zone);
  }

  private static ZonedDateTime naive(LocalDateTime local) {
    return local.atZone(ZoneOffset.UTC);
  }

  @Override
  public String toString() {
    return "cron freeze " + name + " [" + startExpr + " → " + endExpr + " " + zone + "]";
  }
}
