/**
 * Holiday and freeze calendars (issue #7): never deploy into a freeze window, a public holiday of a region the
 * environment serves, or outside its business hours.
 *
 * <p>{@link dev.tollgate.probes.calendar.CalendarEngine} is the calendar itself: the CLI ({@code tollgate calendar}),
 * the rules of {@link dev.tollgate.probes.calendar.FreezeCalendarProbe} and the dashboard call it directly. It turns
 * a {@link dev.tollgate.probes.calendar.CalendarPolicy} (server settings tightened by the repository) into blocking
 * windows, decides whether an instant is allowed and finds the next allowed instant across every region.
 *
 * <p>Wall-clock times are read as RFC 5545 §3.3.5 (and {@code java.time}) read them: a time inside a spring-forward
 * gap uses the offset before the gap, a time inside a fall-back overlap is its first occurrence.
 */
package dev.tollgate.probes.calendar;
