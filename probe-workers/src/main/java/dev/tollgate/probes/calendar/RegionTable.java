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
 * <p>Every public region of the three clouds is in the table, mapped to the subdivision of the data centre's city,
 * where its staff live. How far their holidays can be trusted is {@link HolidayCalendar#quality}: verified against
 * published dates by {@code HolidayCalendarTest}, Jollyday's data unverified, or none at all (docs/calendar.md).
 */
public final class RegionTable {
  private static final Pattern ISO = Pattern.compile("([A-Za-z]{2})(?:-([A-Za-z0-9]{1,3}))?");

  /** code to {country, subdivision or "", zone}. */
  private static final Map<String, String[]> BUILT_IN = new LinkedHashMap<>();
  /** ISO code (country or country-subdivision) to its zone, for codes named directly. */
  private static final Map<String, String> ISO_ZONES = new LinkedHashMap<>();

  static {
    // Every public region of the three clouds (as listed by each provider, 2025), mapped to the subdivision of the
    // data centre's city where the country has subdivisions with their own holidays. Regions of countries whose
    // holidays Tollgate does not verify still resolve: HolidayCalendar.quality says how far to trust their data.
    // AWS
    add("us-east-1", "US", "VA", "America/New_York");        // N. Virginia
    add("us-east-2", "US", "OH", "America/New_York");        // Ohio
    add("us-west-1", "US", "CA", "America/Los_Angeles");     // N. California
    add("us-west-2", "US", "OR", "America/Los_Angeles");     // Oregon
    add("us-gov-east-1", "US", "OH", "America/New_York");    // GovCloud (US-East), Ohio
    add("us-gov-west-1", "US", "OR", "America/Los_Angeles"); // GovCloud (US-West), Oregon
    add("ca-central-1", "CA", "QC", "America/Toronto");      // Montréal (America/Toronto covers Quebec)
    add("ca-west-1", "CA", "AB", "America/Edmonton");        // Calgary
    add("mx-central-1", "MX", "", "America/Mexico_City");    // Querétaro
    add("sa-east-1", "BR", "SP", "America/Sao_Paulo");       // São Paulo
    add("eu-west-1", "IE", "", "Europe/Dublin");             // Ireland
    add("eu-west-2", "GB", "ENG", "Europe/London");          // London
    add("eu-west-3", "FR", "", "Europe/Paris");              // Paris
    add("eu-central-1", "DE", "HE", "Europe/Berlin");        // Frankfurt
    add("eu-central-2", "CH", "ZH", "Europe/Zurich");        // Zurich
    add("eu-north-1", "SE", "", "Europe/Stockholm");         // Stockholm
    add("eu-south-1", "IT", "", "Europe/Rome");              // Milan
    add("eu-south-2", "ES", "AR", "Europe/Madrid");          // Aragón
    add("eusc-de-east-1", "DE", "BB", "Europe/Berlin");      // European Sovereign Cloud, Brandenburg
    add("il-central-1", "IL", "", "Asia/Jerusalem");         // Tel Aviv
    add("me-south-1", "BH", "", "Asia/Bahrain");             // Bahrain
    add("me-central-1", "AE", "", "Asia/Dubai");             // UAE
    add("af-south-1", "ZA", "", "Africa/Johannesburg");      // Cape Town
    add("ap-east-1", "HK", "", "Asia/Hong_Kong");            // Hong Kong
    add("ap-east-2", "TW", "", "Asia/Taipei");               // Taipei
    add("ap-south-1", "IN", "MH", "Asia/Kolkata");           // Mumbai
    add("ap-south-2", "IN", "TS", "Asia/Kolkata");           // Hyderabad
    add("ap-northeast-1", "JP", "13", "Asia/Tokyo");         // Tokyo
    add("ap-northeast-2", "KR", "", "Asia/Seoul");           // Seoul
    add("ap-northeast-3", "JP", "27", "Asia/Tokyo");         // Osaka
    add("ap-southeast-1", "SG", "", "Asia/Singapore");       // Singapore
    add("ap-southeast-2", "AU", "NSW", "Australia/Sydney");  // Sydney
    add("ap-southeast-3", "ID", "", "Asia/Jakarta");         // Jakarta
    add("ap-southeast-4", "AU", "VIC", "Australia/Melbourne"); // Melbourne
    add("ap-southeast-5", "MY", "", "Asia/Kuala_Lumpur");    // Malaysia
    add("ap-southeast-6", "NZ", "AUK", "Pacific/Auckland");  // Auckland
    add("ap-southeast-7", "TH", "", "Asia/Bangkok");         // Thailand
    add("cn-north-1", "CN", "", "Asia/Shanghai");            // Beijing
    add("cn-northwest-1", "CN", "", "Asia/Shanghai");        // Ningxia
    // GCP
    add("us-central1", "US", "IA", "America/Chicago");       // Iowa
    add("us-east1", "US", "SC", "America/New_York");         // South Carolina
    add("us-east4", "US", "VA", "America/New_York");         // N. Virginia
    add("us-east5", "US", "OH", "America/New_York");         // Columbus
    add("us-south1", "US", "TX", "America/Chicago");         // Dallas
    add("us-west1", "US", "OR", "America/Los_Angeles");      // Oregon
    add("us-west2", "US", "CA", "America/Los_Angeles");      // Los Angeles
    add("us-west3", "US", "UT", "America/Denver");           // Salt Lake City
    add("us-west4", "US", "NV", "America/Los_Angeles");      // Las Vegas
    add("northamerica-northeast1", "CA", "QC", "America/Toronto"); // Montréal
    add("northamerica-northeast2", "CA", "ON", "America/Toronto"); // Toronto
    add("northamerica-south1", "MX", "", "America/Mexico_City");   // Querétaro
    add("southamerica-east1", "BR", "SP", "America/Sao_Paulo");    // São Paulo
    add("southamerica-west1", "CL", "", "America/Santiago");       // Santiago
    add("europe-west1", "BE", "", "Europe/Brussels");        // St. Ghislain
    add("europe-west2", "GB", "ENG", "Europe/London");       // London
    add("europe-west3", "DE", "HE", "Europe/Berlin");        // Frankfurt
    add("europe-west4", "NL", "", "Europe/Amsterdam");       // Eemshaven
    add("europe-west6", "CH", "ZH", "Europe/Zurich");        // Zurich
    add("europe-west8", "IT", "", "Europe/Rome");            // Milan
    add("europe-west9", "FR", "", "Europe/Paris");           // Paris
    add("europe-west10", "DE", "BE", "Europe/Berlin");       // Berlin
    add("europe-west12", "IT", "", "Europe/Rome");           // Turin
    add("europe-central2", "PL", "", "Europe/Warsaw");       // Warsaw
    add("europe-southwest1", "ES", "MD", "Europe/Madrid");   // Madrid
    add("europe-north1", "FI", "", "Europe/Helsinki");       // Hamina
    add("europe-north2", "SE", "", "Europe/Stockholm");      // Stockholm
    add("me-central1", "QA", "", "Asia/Qatar");              // Doha
    add("me-central2", "SA", "", "Asia/Riyadh");             // Dammam
    add("me-west1", "IL", "", "Asia/Jerusalem");             // Tel Aviv
    add("africa-south1", "ZA", "", "Africa/Johannesburg");   // Johannesburg
    add("asia-east1", "TW", "", "Asia/Taipei");              // Changhua County
    add("asia-east2", "HK", "", "Asia/Hong_Kong");           // Hong Kong
    add("asia-northeast1", "JP", "13", "Asia/Tokyo");        // Tokyo
    add("asia-northeast2", "JP", "27", "Asia/Tokyo");        // Osaka
    add("asia-northeast3", "KR", "", "Asia/Seoul");          // Seoul
    add("asia-south1", "IN", "MH", "Asia/Kolkata");          // Mumbai
    add("asia-south2", "IN", "DL", "Asia/Kolkata");          // Delhi
    add("asia-southeast1", "SG", "", "Asia/Singapore");      // Jurong West
    add("asia-southeast2", "ID", "", "Asia/Jakarta");        // Jakarta
    add("australia-southeast1", "AU", "NSW", "Australia/Sydney");
    add("australia-southeast2", "AU", "VIC", "Australia/Melbourne");
    // Azure
    add("eastus", "US", "VA", "America/New_York");
    add("eastus2", "US", "VA", "America/New_York");
    add("centralus", "US", "IA", "America/Chicago");
    add("northcentralus", "US", "IL", "America/Chicago");    // Illinois
    add("southcentralus", "US", "TX", "America/Chicago");    // Texas
    add("westcentralus", "US", "WY", "America/Denver");      // Wyoming
    add("westus", "US", "CA", "America/Los_Angeles");
    add("westus2", "US", "WA", "America/Los_Angeles");
    add("westus3", "US", "AZ", "America/Phoenix");           // Arizona
    add("usgovvirginia", "US", "VA", "America/New_York");
    add("usgovarizona", "US", "AZ", "America/Phoenix");
    add("usgovtexas", "US", "TX", "America/Chicago");
    add("canadacentral", "CA", "ON", "America/Toronto");
    add("canadaeast", "CA", "QC", "America/Toronto");
    add("mexicocentral", "MX", "", "America/Mexico_City");   // Querétaro
    add("brazilsouth", "BR", "SP", "America/Sao_Paulo");
    add("brazilsoutheast", "BR", "RJ", "America/Sao_Paulo"); // Rio de Janeiro
    add("chilecentral", "CL", "", "America/Santiago");       // Santiago
    add("northeurope", "IE", "", "Europe/Dublin");
    add("westeurope", "NL", "", "Europe/Amsterdam");
    add("uksouth", "GB", "ENG", "Europe/London");
    add("ukwest", "GB", "WLS", "Europe/London");             // Cardiff
    add("francecentral", "FR", "", "Europe/Paris");
    add("francesouth", "FR", "", "Europe/Paris");            // Marseille
    add("germanywestcentral", "DE", "HE", "Europe/Berlin");
    add("germanynorth", "DE", "BE", "Europe/Berlin");        // Berlin
    add("switzerlandnorth", "CH", "ZH", "Europe/Zurich");
    add("switzerlandwest", "CH", "GE", "Europe/Zurich");     // Geneva
    add("italynorth", "IT", "", "Europe/Rome");
    add("spaincentral", "ES", "MD", "Europe/Madrid");
    add("swedencentral", "SE", "", "Europe/Stockholm");
    add("swedensouth", "SE", "", "Europe/Stockholm");
    add("norwayeast", "NO", "", "Europe/Oslo");
    add("norwaywest", "NO", "", "Europe/Oslo");
    add("polandcentral", "PL", "", "Europe/Warsaw");
    add("austriaeast", "AT", "9", "Europe/Vienna");          // Vienna
    add("belgiumcentral", "BE", "", "Europe/Brussels");
    add("denmarkeast", "DK", "", "Europe/Copenhagen");
    add("israelcentral", "IL", "", "Asia/Jerusalem");
    add("qatarcentral", "QA", "", "Asia/Qatar");
    add("uaenorth", "AE", "", "Asia/Dubai");
    add("uaecentral", "AE", "", "Asia/Dubai");
    add("southafricanorth", "ZA", "", "Africa/Johannesburg");
    add("southafricawest", "ZA", "", "Africa/Johannesburg");
    add("centralindia", "IN", "MH", "Asia/Kolkata");         // Pune
    add("southindia", "IN", "TN", "Asia/Kolkata");           // Chennai
    add("westindia", "IN", "MH", "Asia/Kolkata");            // Mumbai
    add("jioindiacentral", "IN", "MH", "Asia/Kolkata");      // Nagpur
    add("jioindiawest", "IN", "GJ", "Asia/Kolkata");         // Jamnagar
    add("eastasia", "HK", "", "Asia/Hong_Kong");
    add("southeastasia", "SG", "", "Asia/Singapore");
    add("japaneast", "JP", "13", "Asia/Tokyo");
    add("japanwest", "JP", "27", "Asia/Tokyo");
    add("koreacentral", "KR", "", "Asia/Seoul");
    add("koreasouth", "KR", "", "Asia/Seoul");               // Busan
    add("indonesiacentral", "ID", "", "Asia/Jakarta");
    add("malaysiawest", "MY", "", "Asia/Kuala_Lumpur");
    add("newzealandnorth", "NZ", "AUK", "Pacific/Auckland");
    add("australiaeast", "AU", "NSW", "Australia/Sydney");
    add("australiasoutheast", "AU", "VIC", "Australia/Melbourne");
    add("australiacentral", "AU", "ACT", "Australia/Sydney"); // Canberra
    add("australiacentral2", "AU", "ACT", "Australia/Sydney");
    add("chinaeast", "CN", "", "Asia/Shanghai");
    add("chinaeast2", "CN", "", "Asia/Shanghai");
    add("chinaeast3", "CN", "", "Asia/Shanghai");
    add("chinanorth", "CN", "", "Asia/Shanghai");
    add("chinanorth2", "CN", "", "Asia/Shanghai");
    add("chinanorth3", "CN", "", "Asia/Shanghai");

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
