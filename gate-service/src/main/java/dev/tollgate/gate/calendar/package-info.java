/**
 * The deploy calendar as the gate sees it: {@link dev.tollgate.gate.calendar.EnvironmentCalendar}, implemented by
 * the launcher with the probes' calendar engine (the gate does not depend on probe-workers) and injected.
 */
package dev.tollgate.gate.calendar;
