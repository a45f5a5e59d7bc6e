package dev.tollgate.probes.calendar;

import java.time.ZoneId;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A place an environment serves: its public holidays come from {@code country} (ISO 3166-1 alpha-2) and
 * {@code subdivision} (the ISO 3166-2 part after the dash, e.g. {@code VA} of {@code US-VA}, {@code 13} of
 * {@code JP-13}), and its days begin and end in {@code zone}.
 *
 * @param code how the policy named it: a cloud region ({@code us-east-1}), an ISO code ({@code DE-HE}) or a name
 * @param country ISO 3166-1 alpha-2, upper case
 * @param subdivision ISO 3166-2 subdivision part, upper case, or null for the whole country
 * @param zone the IANA time zone of the region's days
 */
public record Region(String code, String country, String subdivision, ZoneId zone) {
  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
  private static final Pattern SUBDIVISION = Pattern.compile("[A-Z0-9]{1,3}");

  public Region {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(zone, "zone");
    country = country == null ? null : country.toUpperCase(Locale.ROOT);
    subdivision = subdivision == null || subdivision.isBlank() ? null : subdivision.toUpperCase(Locale.ROOT);
    if (country == null || !COUNTRY.matcher(country).matches()) {
      throw new IllegalArgumentException("region " + code + ": country: expected an ISO 3166-1 alpha-2 code such as DE, got "
          + (country == null ? "nothing" : "\"" + country + "\""));
    }
    if (subdivision != null && !SUBDIVISION.matcher(subdivision).matches()) {
      throw new IllegalArgumentException("region " + code + ": subdivision: expected an ISO 3166-2 part such as HE or 13, got \""
          + subdivision + "\"");
    }
  }

  /** {@code DE-HE} or {@code FR}. */
  public String iso() {
    return subdivision == null ? country : country + "-" + subdivision;
  }

  /** How windows name the region: {@code us-east-1 (US-VA)}, or {@code DE-HE} when named by its ISO code. */
  public String label() {
    return code.equalsIgnoreCase(iso()) ? iso() : code + " (" + iso() + ")";
  }
}
