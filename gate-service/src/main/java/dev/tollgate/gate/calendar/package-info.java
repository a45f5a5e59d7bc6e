/** The environment calendar as the gate sees it: an interface the launcher implements with the probes' engine. */
package dev.tollgate.gate.calendar;
