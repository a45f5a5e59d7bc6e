package dev.tollgate.probes.calendar;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cloud region codes (AWS, GCP, Azure) to the country, subdivision and time zone whose holidays apply, plus the
 * time zone of ISO codes named directly. Operators override or extend it with {@code calendar.regionTable}.
 *
 * <p>Only countries whose 2026 and 2027 holidays are pinned by {@code HolidayCalendarTest} are in the table: a region
 * in another country (India, Korea, Singapore...) must be named with its country and zone, and its holidays are
 * Jollyday's, unverified. Regions map to the subdivision of the data centre's city, where its staff live.
 */
public final class RegionTable {
  private static final Pattern ISO = Pattern.compile("([A-Za-z]{2})(?:-([A-Za-z0-9]{1,3}))?");

  /** code to {country, subdivision or "", zone}. */
  private static final Map<String, String[]> BUILT_IN = new LinkedHashMap<>();
  /** ISO code (country or country-subdivision) to its zone, for codes named directly. */
  private static final Map<String, String> ISO_ZONES = new LinkedHashMap<>();

  static {
    // AWS
    add("us-east-1", "US", "VA", "America/New_York");        // N. Virginia
    add("us-east-2", "US", "OH", "America/New_York");        // Ohio
    add("us-west-1", "US", "CA", "America/Los_Angeles");     // N. California
    add("us-west-2", "US", "OR", "America/Los_Angeles");     // Oregon
    add("ca-central-1", "CA", "QC", "America/Toronto");      // Montréal (America/Toronto covers Quebec)
    add("sa-east-1", "BR", "SP", "America/Sao_Paulo");       // São Paulo
    add("eu-west-1", "IE", "", "Europe/Dublin");             // Ireland
    add("eu-west-2", "GB", "ENG", "Europe/London");          // London
    add("eu-west-3", "FR", "", "Europe/Paris");              // Paris
    add("eu-central-1", "DE", "HE", "Europe/Berlin");        // Frankfurt
    add("eu-central-2", "CH", "ZH", "Europe/Zurich");        // Zurich
    add("eu-north-1", "SE", "", "Europe/Stockholm");         // Stockholm
    add("eu-south-1", "IT", "", "Europe/Rome");              // Milan
    add("eu-south-2", "ES", "AR", "Europe/Madrid");          // Aragón
    add("ap-northeast-1", "JP", "13", "Asia/Tokyo");         // Tokyo
    add("ap-northeast-3", "JP", "27", "Asia/Tokyo");         // Osaka
    add("ap-southeast-2", "AU", "NSW", "Australia/Sydney");  // Sydney
    add("ap-southeast-4", "AU", "VIC", "Australia/Melbourne"); // Melbourne
    // GCP
    add("us-central1", "US", "IA", "America/Chicago");       // Iowa
    add("us-east1", "US", "SC", "America/New_York");         // South Carolina
    add("us-east4", "US", "VA", "America/New_York");         // N. Virginia
    add("us-west1", "US", "OR", "America/Los_Angeles");      // Oregon
    add("us-west2", "US", "CA", "America/Los_Angeles");      // Los Angeles
    add("northamerica-northeast1", "CA", "QC", "America/Toronto"); // Montréal
    add("northamerica-northeast2", "CA", "ON", "America/Toronto"); // Toronto
    add("southamerica-east1", "BR", "SP", "America/Sao_Paulo");    // São Paulo
    add("europe-west1", "BE", "", "Europe/Brussels");        // St. Ghislain
    add("europe-west2", "GB", "ENG", "Europe/London");       // London
    add("europe-west3", "DE", "HE", "Europe/Berlin");        // Frankfurt
    add("europe-west4", "NL", "", "Europe/Amsterdam");       // Eemshaven
    add("europe-west6", "CH", "ZH", "Europe/Zurich");        // Zurich
    add("europe-west8", "IT", "", "Europe/Rome");            // Milan
    add("europe-west9", "FR", "", "Europe/Paris");           // Paris
    add("europe-west10", "DE", "BE", "Europe/Berlin");       // Berlin
    add("europe-southwest1", "ES", "MD", "Europe/Madrid");   // Madrid
    add("europe-north1", "FI", "", "Europe/Helsinki");       // Hamina
    add("asia-northeast1", "JP", "13", "Asia/Tokyo");        // Tokyo
    add("asia-northeast2", "JP", "27", "Asia/Tokyo");        // Osaka
    add("australia-southeast1", "AU", "NSW", "Australia/Sydney");
    add("australia-southeast2", "AU", "VIC", "Australia/Melbourne");
    // Azure
    add("eastus", "US", "VA", "America/New_York");
    add("eastus2", "US", "VA", "America/New_York");
    add("centralus", "US", "IA", "America/Chicago");
    add("westus", "US", "CA", "America/Los_Angeles");
    add("westus2", "US", "WA", "America/Los_Angeles");
    add("canadacentral", "CA", "ON", "America/Toronto");
    add("canadaeast", "CA", "QC", "America/Toronto");
    add("brazilsouth", "BR", "SP", "America/Sao_Paulo");
    add("northeurope", "IE", "", "Europe/Dublin");
    add("westeurope", "NL", "", "Europe/Amsterdam");
    add("uksouth", "GB", "ENG", "Europe/London");
    add("francecentral", "FR", "", "Europe/Paris");
    add("germanywestcentral", "DE", "HE", "Europe/Berlin");
    add("switzerlandnorth", "CH", "ZH", "Europe/Zurich");
    add("italynorth", "IT", "", "Europe/Rome");
    add("spaincentral", "ES", "MD", "Europe/Madrid");
    add("swedencentral", "SE", "", "Europe/Stockholm");
    add("japaneast", "JP", "13", "Asia/Tokyo");
    add("japanwest", "JP", "27", "Asia/Tokyo");
    add("australiaeast", "AU", "NSW", "Australia/Sydney");
    add("australiasoutheast", "AU", "VIC", "Australia/Melbourne");

    // Countries in one time zone: naming them directly needs no zone.
    for (String[] c : new String[][] {{"BE", "Europe/Brussels"}, {"CH", "Europe/Zurich"}, {"DE", "Europe/Berlin"},
        {"FI", "Europe/Helsinki"}, {"FR", "Europe/Paris"}, {"GB", "Europe/London"}, {"IE", "Europe/Dublin"},
        {"IT", "Europe/Rome"}, {"JP", "Asia/Tokyo"}, {"NL", "Europe/Amsterdam"}, {"SE", "Europe/Stockholm"},
        {"ES", "Europe/Madrid"}}) {
      ISO_ZONES.put(c[0], c[1]);
    }
    // Spain's Canary Islands are an hour behind the mainland.
    ISO_ZONES.put("ES-CN", "Atlantic/Canary");
  }

  private static void add(String code, String country, String subdivision, String zone) {
    BUILT_IN.put(code, new String[] {country, subdivision, zone});
    ISO_ZONES.putIfAbsent(subdivision.isEmpty() ? country : country + "-" + subdivision, zone);
  }

  private final Map<String, Region> overrides;

  private RegionTable(Map<String, Region> overrides) {
    this.overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
  }

  /** The built-in table. */
  public static RegionTable builtIn() {
    return new RegionTable(Map.of());
  }

  /** The built-in table with entries replaced or added by the operator. */
  public RegionTable withOverrides(Map<String, Region> more) {
    Map<String, Region> all = new LinkedHashMap<>(overrides);
    more.forEach((k, v) -> all.put(k.toLowerCase(Locale.ROOT), v));
    return new RegionTable(all);
  }

  /** True when {@code code} is a cloud region of the built-in table or an override. */
  public boolean knows(String code) {
    String key = code.toLowerCase(Locale.ROOT);
    return overrides.containsKey(key) || BUILT_IN.containsKey(key);
  }

  /** Every built-in cloud region, by code. */
  public static Map<String, Region> builtInRegions() {
    Map<String, Region> all = new TreeMap<>();
    BUILT_IN.forEach((code, v) -> all.put(code, new Region(code, v[0], v[1], ZoneId.of(v[2]))));
    return all;
  }

  /**
   * Resolves a region named in a policy: an override, a built-in cloud region, or an ISO code ({@code DE},
   * {@code DE-HE}, {@code JP-13}) whose zone is known or given.
   *
   * @param zone the zone to use for an ISO code, or null to use the built-in one
   * @throws IllegalArgumentException naming the code when it is unknown or needs a zone
   */
  public Region resolve(String code, ZoneId zone, String key) {
    String lower = code.toLowerCase(Locale.ROOT);
    Region own = overrides.get(lower);
    if (own != null) {
      return new Region(code, own.country(), own.subdivision(), zone != null ? zone : own.zone());
    }
    String[] builtIn = BUILT_IN.get(lower);
    if (builtIn != null) {
      return new Region(lower, builtIn[0], builtIn[1], zone != null ? zone : ZoneId.of(builtIn[2]));
    }
    Matcher m = ISO.matcher(code);
    if (!m.matches()) {
      throw new IllegalArgumentException(key + ": unknown region \"" + code + "\": expected a cloud region of the built-in "
          + "table (e.g. us-east-1, europe-west3, westeurope), an entry of calendar.regionTable, or an ISO code such as DE-HE");
    }
    String iso = code.toUpperCase(Locale.ROOT);
    ZoneId z = zone;
    if (z == null) {
      String known = Optional.ofNullable(ISO_ZONES.get(iso)).orElse(ISO_ZONES.get(m.group(1).toUpperCase(Locale.ROOT)));
      if (known == null) {
        throw new IllegalArgumentException(key + ": region " + iso + " spans several time zones or is not built in: "
            + "name it as {country: " + m.group(1).toUpperCase(Locale.ROOT)
            + (m.group(2) == null ? "" : ", subdivision: " + m.group(2).toUpperCase(Locale.ROOT)) + ", zone: <IANA zone>}");
      }
      z = ZoneId.of(known);
    }
    return new Region(iso, m.group(1), m.group(2), z);
  }

  /** Parses an IANA zone id, naming the key on error. */
  static ZoneId zone(String id, String key) {
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(key + ": expected an IANA time zone such as Europe/Berlin, got \"" + id + "\"");
    }
  }
}
