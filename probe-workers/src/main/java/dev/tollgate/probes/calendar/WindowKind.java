package dev.tollgate.probes.calendar;

/** Why a window blocks deploys. {@link #label()} is the value in JSON ({@code holiday|freeze|business-hours}). */
public enum WindowKind {
  /** A public holiday of a served region, the day before one, or a bridge day (by policy). */
  HOLIDAY("holiday"),
  /** A freeze: one-off, cron, RRULE, iCalendar feed, or a feed that could not be read (fail closed). */
  FREEZE("freeze"),
  /** Outside the environment's business hours. */
  BUSINESS_HOURS("business-hours");

  private final String label;

  WindowKind(String label) {
    this.label = label;
  }

  /** The JSON and text form. */
  public String label() {
    return label;
  }
}
