package dev.tollgate.probes.calendar;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One environment's calendar policy: the operators' {@code calendar} settings from the server's {@code tollgate.yml},
 * tightened by the repository's {@code .tollgate.yml}. The repository may add regions, holidays, freezes, feeds and
 * business hours, and switch on more holiday options; it can never remove what the server set (no {@code remove},
 * no {@code regionTable}, no URL feeds: a repository feed is a file in the repository). See docs/calendar.md.
 */
public final class CalendarPolicy {
  private static final Set<String> SERVER_KEYS = Set.of("timeZone", "regions", "regionTable", "holidays", "freezes", "feeds",
      "businessHours");
  private static final Set<String> REPO_KEYS = Set.of("timeZone", "regions", "holidays", "freezes", "feeds", "businessHours");
  private static final Set<String> HOLIDAY_KEYS_SERVER = Set.of("block", "include", "add", "remove");
  private static final Set<String> HOLIDAY_KEYS_REPO = Set.of("block", "include", "add");
  private static final Set<String> FREEZE_KEYS = Set.of("name", "reason", "start", "end", "timeZone", "cron", "rrule", "duration",
      "exdates");
  private static final Set<String> FEED_KEYS_SERVER = Set.of("name", "url", "onError", "refresh", "maxStale", "timeZone");
  private static final Set<String> FEED_KEYS_REPO = Set.of("name", "path", "timeZone");
  /** How far ahead the next allowed time is searched. */
  static final Duration HORIZON = Duration.ofDays(400);

  private final String environment;
  private final List<Region> regions;
  private final HolidayWindows holidays;
  private final List<WindowSource> freezes;
  private final List<FeedSpec> feeds;
  private final List<BusinessHours> businessHours;
  private final ZoneId zone;

  private CalendarPolicy(String environment, List<Region> regions, HolidayWindows holidays, List<WindowSource> freezes,
      List<FeedSpec> feeds, List<BusinessHours> businessHours, ZoneId zone) {
    this.environment = environment;
    this.regions = List.copyOf(regions);
    this.holidays = holidays;
    this.freezes = List.copyOf(freezes);
    this.feeds = List.copyOf(feeds);
    this.businessHours = List.copyOf(businessHours);
    this.zone = zone;
  }

  /** A policy with nothing configured: every instant is allowed. */
  public static CalendarPolicy none(String environment) {
    return new CalendarPolicy(environment, List.of(), null, List.of(), List.of(), List.of(), ZoneOffset.UTC);
  }

  /**
   * Reads and merges the policy.
   *
   * @param server the server's {@code calendar} section for the environment (missing node when none)
   * @param repoSections the repository's sections that apply, in order: top-level {@code calendar},
   *     {@code defaults.calendar}, {@code environments.<env>.calendar} (missing nodes are skipped)
   * @param repoFiles reads a file of the repository at the candidate commit (for repository feeds)
   * @throws IllegalArgumentException naming the key and the problem
   */
  public static CalendarPolicy parse(String environment, JsonNode server, List<JsonNode> repoSections,
      Function<String, Optional<String>> repoFiles, HolidayCalendar calendar) {
    Builder b = new Builder(calendar);
    if (present(server)) {
      b.read(server, "server calendar", true, ZoneOffset.UTC, repoFiles);
    }
    ZoneId serverZone = b.defaultZone;
    for (int i = 0; i < repoSections.size(); i++) {
      JsonNode s = repoSections.get(i);
      if (present(s)) {
        try {
          b.read(s, ".tollgate.yml " + (i == 0 ? "calendar" : i == 1 ? "defaults.calendar" : "environments." + environment
              + ".calendar"), false, serverZone, repoFiles);
        } catch (IllegalArgumentException e) {
          // A repository's problem reaches the verdict's reasons: the key and what was expected, never its value.
          throw new IllegalArgumentException(dev.tollgate.probes.api.ConfigValues.withoutValues(e.getMessage()));
        }
      }
    }
    return b.build(environment);
  }

  private static boolean present(JsonNode n) {
    return n != null && !n.isMissingNode() && !n.isNull();
  }

  /** The environment this policy is for. */
  public String environment() {
    return environment;
  }

  /** The regions whose holidays apply. */
  public List<Region> regions() {
    return regions;
  }

  /** The feeds to read. */
  public List<FeedSpec> feeds() {
    return feeds;
  }

  /** The zone used to show times that belong to no region (the policy's {@code timeZone}, else UTC). */
  public ZoneId zone() {
    return zone;
  }

  /** True when nothing is configured. */
  public boolean isEmpty() {
    return holidays == null && freezes.isEmpty() && feeds.isEmpty() && businessHours.isEmpty();
  }

  /**
   * This policy with freezes imported from a platform ({@link FreezeSource}) added. An imported freeze whose cron
   * expressions cannot be read blocks with no known end instead (fail closed: what it would freeze is unknown).
   */
  public CalendarPolicy withImported(List<ImportedFreeze> imported) {
    List<WindowSource> all = new ArrayList<>(freezes);
    for (ImportedFreeze f : imported) {
      try {
        all.add(new CronFreeze(f.name(), f.cronStart().strip(), f.cronEnd().strip(), f.zone(), f.source(), f.source()));
      } catch (IllegalArgumentException e) {
        all.add(unknownEnd(f.name() + " cannot be read (" + e.getMessage() + ")", f.source()));
      }
    }
    return new CalendarPolicy(environment, regions, holidays, all, feeds, businessHours, zone);
  }

  /**
   * This policy with a freeze that blocks from now on with no known end: the imported freezes of {@code source}
   * could not be read, so the gate fails closed (as for an unreadable feed) and names why.
   */
  public CalendarPolicy withUnavailable(String name, String source) {
    List<WindowSource> all = new ArrayList<>(freezes);
    all.add(unknownEnd(name, source));
    return new CalendarPolicy(environment, regions, holidays, all, feeds, businessHours, zone);
  }

  private static WindowSource unknownEnd(String name, String source) {
    return (from, to) -> List.of(new BlockingWindow(WindowKind.FREEZE, name, null, from, null, ZoneOffset.UTC, source));
  }

  /** Every window source except feeds (the engine reads those through its cache). */
  List<WindowSource> sources() {
    List<WindowSource> all = new ArrayList<>();
    if (holidays != null) {
      all.add(holidays);
    }
    all.addAll(freezes);
    all.addAll(businessHours);
    return all;
  }

  /** Collects the parts of several sections. */
  private static final class Builder {
    private final HolidayCalendar calendar;
    private RegionTable table = RegionTable.builtIn();
    private final List<Region> regions = new ArrayList<>();
    private final Set<String> block = new LinkedHashSet<>();
    /** Only the server may leave out "day"; a repository's list adds to the server's (or to the default [day]). */
    private boolean serverSetBlock;
    /** Likewise for kinds: a repository's include adds to the server's (or to the default [public]). */
    private boolean serverSetInclude;
    private final Set<HolidayCalendar.Kind> kinds = EnumSet.noneOf(HolidayCalendar.Kind.class);
    private final List<HolidayWindows.Extra> added = new ArrayList<>();
    private final List<HolidayWindows.Extra> removed = new ArrayList<>();
    private final List<WindowSource> freezes = new ArrayList<>();
    private final List<FeedSpec> feeds = new ArrayList<>();
    private final List<BusinessHours> hours = new ArrayList<>();
    private ZoneId defaultZone = ZoneOffset.UTC;

    Builder(HolidayCalendar calendar) {
      this.calendar = calendar;
    }

    void read(JsonNode s, String where, boolean server, ZoneId inheritedZone, Function<String, Optional<String>> repoFiles) {
      String source = server ? "server" : "repository";
      requireObject(s, where);
      requireKeys(s, server ? SERVER_KEYS : REPO_KEYS, where);
      ZoneId zone = s.has("timeZone") ? RegionTable.zone(text(s.get("timeZone"), where + ".timeZone"), where + ".timeZone")
          : inheritedZone;
      if (server) {
        defaultZone = zone;
      }
      if (s.has("regionTable")) {
        Map<String, Region> own = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : requireObject(s.get("regionTable"), where + ".regionTable").properties()) {
          own.put(e.getKey(), regionObject(e.getKey(), e.getValue(), where + ".regionTable." + e.getKey()));
        }
        table = table.withOverrides(own);
      }
      if (s.has("regions")) {
        JsonNode list = s.get("regions");
        if (!list.isArray()) {
          throw new IllegalArgumentException(where + ".regions: expected a list such as [us-east-1, DE-HE]");
        }
        for (int i = 0; i < list.size(); i++) {
          String key = where + ".regions[" + i + "]";
          JsonNode r = list.get(i);
          Region region = r.isObject() ? regionObject(null, r, key) : table.resolve(text(r, key), null, key);
          HolidayCalendar.validate(region, key);
          if (regions.stream().noneMatch(x -> x.label().equals(region.label()))) {
            regions.add(region);
          }
        }
      }
      if (s.has("holidays")) {
        readHolidays(requireObject(s.get("holidays"), where + ".holidays"), where + ".holidays", server, source);
      }
      if (s.has("freezes")) {
        JsonNode list = s.get("freezes");
        if (!list.isArray()) {
          throw new IllegalArgumentException(where + ".freezes: expected a list of freezes");
        }
        for (int i = 0; i < list.size(); i++) {
          freezes.add(freeze(list.get(i), where + ".freezes[" + i + "]", zone, source));
        }
      }
      if (s.has("feeds")) {
        JsonNode list = s.get("feeds");
        if (!list.isArray()) {
          throw new IllegalArgumentException(where + ".feeds: expected a list of feeds");
        }
        for (int i = 0; i < list.size(); i++) {
          feeds.add(feed(list.get(i), where + ".feeds[" + i + "]", zone, server, repoFiles));
        }
      }
      if (s.has("businessHours")) {
        JsonNode bh = requireObject(s.get("businessHours"), where + ".businessHours");
        requireKeys(bh, Set.of("timeZone", "open"), where + ".businessHours");
        ZoneId z = bh.has("timeZone") ? RegionTable.zone(text(bh.get("timeZone"), where + ".businessHours.timeZone"),
            where + ".businessHours.timeZone") : zone;
        Map<String, String> open = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : requireObject(bh.path("open"), where + ".businessHours.open").properties()) {
          open.put(e.getKey(), text(e.getValue(), where + ".businessHours.open." + e.getKey()));
        }
        var parsed = BusinessHours.parseOpen(open, where + ".businessHours.open");
        hours.add(new BusinessHours("outside business hours (" + describe(open) + " " + z.getId() + ")", z, parsed, source));
      }
    }

    private static String describe(Map<String, String> open) {
      StringBuilder b = new StringBuilder();
      open.forEach((d, h) -> b.append(b.length() == 0 ? "" : ", ").append(d).append(' ').append(h.replace(" ", "")));
      return b.toString();
    }

    private Region regionObject(String code, JsonNode r, String key) {
      requireObject(r, key);
      requireKeys(r, Set.of("code", "country", "subdivision", "zone", "name"), key);
      ZoneId z = r.has("zone") ? RegionTable.zone(text(r.get("zone"), key + ".zone"), key + ".zone") : null;
      if (r.has("code")) {
        return table.resolve(text(r.get("code"), key + ".code"), z, key);
      }
      if (!r.has("country")) {
        throw new IllegalArgumentException(key + ": expected code (a cloud region) or country (ISO 3166-1, e.g. DE)");
      }
      String country = text(r.get("country"), key + ".country");
      String sub = r.has("subdivision") ? text(r.get("subdivision"), key + ".subdivision") : null;
      String iso = sub == null ? country : country + "-" + sub;
      Region base = table.resolve(iso, z, key);
      String name = code != null ? code : r.has("name") ? text(r.get("name"), key + ".name") : base.iso();
      return new Region(name, base.country(), base.subdivision(), base.zone());
    }

    private void readHolidays(JsonNode h, String where, boolean server, String source) {
      requireKeys(h, server ? HOLIDAY_KEYS_SERVER : HOLIDAY_KEYS_REPO, where);
      if (h.has("block")) {
        serverSetBlock |= server;
        for (String v : strings(h.get("block"), where + ".block")) {
          if (!Set.of("day", "day-before", "bridge").contains(v)) {
            throw new IllegalArgumentException(where + ".block: expected day, day-before or bridge, got \"" + v + "\"");
          }
          block.add(v);
        }
      }
      if (h.has("include")) {
        serverSetInclude |= server;
        for (String v : strings(h.get("include"), where + ".include")) {
          try {
            kinds.add(HolidayCalendar.Kind.valueOf(v.toUpperCase(Locale.ROOT)));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ".include: expected public, bank or observance, got \"" + v + "\"");
          }
        }
      }
      if (h.has("add")) {
        added.addAll(extras(h.get("add"), where + ".add", true, source));
      }
      if (h.has("remove")) {
        removed.addAll(extras(h.get("remove"), where + ".remove", false, source));
      }
    }

    private static List<HolidayWindows.Extra> extras(JsonNode list, String where, boolean named, String source) {
      if (!list.isArray()) {
        throw new IllegalArgumentException(where + ": expected a list of {date, name, regions}");
      }
      List<HolidayWindows.Extra> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        String key = where + "[" + i + "]";
        JsonNode x = requireObject(list.get(i), key);
        requireKeys(x, Set.of("date", "name", "regions"), key);
        LocalDate date;
        try {
          date = LocalDate.parse(text(x.get("date"), key + ".date"));
        } catch (DateTimeException e) {
          throw new IllegalArgumentException(key + ".date: expected YYYY-MM-DD, got " + x.get("date"));
        }
        String name = x.has("name") ? text(x.get("name"), key + ".name") : named ? null : "";
        if (name == null) {
          throw new IllegalArgumentException(key + ".name: expected the day's name");
        }
        Set<String> regions = x.has("regions") ? new LinkedHashSet<>(strings(x.get("regions"), key + ".regions")) : Set.of();
        out.add(new HolidayWindows.Extra(date, name, regions, source));
      }
      return out;
    }

    private WindowSource freeze(JsonNode f, String key, ZoneId zone, String source) {
      requireObject(f, key);
      requireKeys(f, FREEZE_KEYS, key);
      String name = f.has("name") ? text(f.get("name"), key + ".name") : null;
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException(key + ".name: expected the freeze's name");
      }
      if (f.has("reason")) {
        name = name + " (" + text(f.get("reason"), key + ".reason") + ")";
      }
      ZoneId z = f.has("timeZone") ? RegionTable.zone(text(f.get("timeZone"), key + ".timeZone"), key + ".timeZone") : zone;
      if (f.has("cron")) {
        JsonNode c = requireObject(f.get("cron"), key + ".cron");
        requireKeys(c, Set.of("start", "end"), key + ".cron");
        return new CronFreeze(name, text(c.path("start"), key + ".cron.start"), text(c.path("end"), key + ".cron.end"), z, source,
            key);
      }
      if (f.has("rrule")) {
        String rule = text(f.get("rrule"), key + ".rrule");
        String startText = text(f.path("start"), key + ".start");
        boolean allDay = startText.length() == 10;
        LocalDateTime seed = wall(startText, z, key + ".start");
        WindowLength length = f.has("duration") ? WindowLength.parse(text(f.get("duration"), key + ".duration"), key + ".duration")
            : allDay ? WindowLength.ofDays(1) : null;
        if (length == null) {
          throw new IllegalArgumentException(key + ".duration: expected how long each occurrence lasts, e.g. PT6H");
        }
        Set<LocalDateTime> ex = new LinkedHashSet<>();
        if (f.has("exdates")) {
          for (String e : strings(f.get("exdates"), key + ".exdates")) {
            ex.add(wall(e, z, key + ".exdates"));
          }
        }
        return new Recurrence(WindowKind.FREEZE, name, seed, allDay, z, rule, ex, Set.of(), length, source);
      }
      LocalDateTime start = wall(text(f.path("start"), key + ".start"), z, key + ".start");
      LocalDateTime end = wall(text(f.path("end"), key + ".end"), z, key + ".end");
      return new OneOffFreeze(name, start, end, z, source);
    }

    private FeedSpec feed(JsonNode f, String key, ZoneId zone, boolean server, Function<String, Optional<String>> repoFiles) {
      requireObject(f, key);
      requireKeys(f, server ? FEED_KEYS_SERVER : FEED_KEYS_REPO, key);
      String name = text(f.path("name"), key + ".name");
      ZoneId z = f.has("timeZone") ? RegionTable.zone(text(f.get("timeZone"), key + ".timeZone"), key + ".timeZone") : zone;
      if (!server) {
        String path = text(f.path("path"), key + ".path");
        if (path.startsWith("/") || Path.of(path).normalize().startsWith("..")) {
          throw new IllegalArgumentException(key + ".path: expected a path inside the repository, got \"" + path + "\"");
        }
        String content = repoFiles.apply(path).orElseThrow(() -> new IllegalArgumentException(key + ".path: no file \"" + path
            + "\" in the repository at the candidate commit"));
        return new FeedSpec(name, null, content, FeedSpec.OnError.FAIL_CLOSED, Duration.ZERO, Duration.ZERO, z, "repository");
      }
      String url = text(f.path("url"), key + ".url");
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(key + ".url: not a URL: \"" + url + "\"");
      }
      if (uri.getScheme() == null) {
        uri = Path.of(url).toAbsolutePath().toUri(); // a plain path names a file on the server
      }
      if (!Set.of("https", "http", "file").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(key + ".url: expected https://, file: or a path, got \"" + url + "\"");
      }
      FeedSpec.OnError onError = FeedSpec.OnError.FAIL_CLOSED;
      if (f.has("onError")) {
        String v = text(f.get("onError"), key + ".onError");
        onError = switch (v) {
          case "fail-closed" -> FeedSpec.OnError.FAIL_CLOSED;
          case "last-good" -> FeedSpec.OnError.LAST_GOOD;
          default -> throw new IllegalArgumentException(key + ".onError: expected fail-closed or last-good, got \"" + v + "\"");
        };
      }
      Duration refresh = f.has("refresh") ? dev.tollgate.contracts.Durations.parse(text(f.get("refresh"), key + ".refresh"),
          key + ".refresh") : Duration.ofMinutes(15);
      Duration maxStale = f.has("maxStale") ? dev.tollgate.contracts.Durations.parse(text(f.get("maxStale"), key + ".maxStale"),
          key + ".maxStale") : Duration.ofDays(7);
      return new FeedSpec(name, uri, null, onError, refresh, maxStale, z, "server");
    }

    CalendarPolicy build(String environment) {
      HolidayWindows hw = null;
      if (!regions.isEmpty() || !added.isEmpty()) {
        Set<String> b = new LinkedHashSet<>(block);
        if (!serverSetBlock) {
          b.add("day");
        }
        Set<HolidayCalendar.Kind> k = EnumSet.noneOf(HolidayCalendar.Kind.class);
        k.addAll(kinds);
        if (!serverSetInclude) {
          k.add(HolidayCalendar.Kind.PUBLIC);
        }
        List<Region> rs = regions;
        if (rs.isEmpty()) {
          // Company days off without regions: they fall in the policy's own zone.
          throw new IllegalArgumentException("calendar.holidays.add: name the regions the environment serves (calendar.regions)");
        }
        hw = new HolidayWindows(calendar, rs, k, b.contains("day"), b.contains("day-before"), b.contains("bridge"), added,
            removed);
      }
      return new CalendarPolicy(environment, regions, hw, freezes, feeds, hours, defaultZone);
    }
  }

  /**
   * A wall time: {@code 2026-12-19T18:00} (in {@code zone}), {@code 2026-12-19} (midnight), or with an offset
   * ({@code 2026-12-19T18:00:00Z}, {@code ...+01:00}), which fixes the instant and is then shown in {@code zone}.
   */
  static LocalDateTime wall(String text, ZoneId zone, String key) {
    try {
      if (text.length() == 10) {
        return LocalDate.parse(text).atStartOfDay();
      }
      if (text.endsWith("Z") || text.matches(".*[+-]\\d{2}:\\d{2}$")) {
        Instant at = OffsetDateTime.parse(text).toInstant();
        return LocalDateTime.ofInstant(at, zone);
      }
      return LocalDateTime.parse(text);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(key + ": expected a date-time such as 2026-12-19T18:00 or a date such as 2026-12-19, got \""
          + text + "\"");
    }
  }

  private static JsonNode requireObject(JsonNode node, String key) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(key + ": expected a mapping");
    }
    return node;
  }

  private static void requireKeys(JsonNode node, Set<String> known, String where) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        throw new IllegalArgumentException(where + "." + k + ": unknown key (known: " + known.stream().sorted().toList() + ")");
      }
    }
  }

  private static String text(JsonNode n, String key) {
    if (n == null || n.isMissingNode() || n.isNull() || n.isContainerNode()) {
      throw new IllegalArgumentException(key + ": expected a value");
    }
    return n.asText().strip();
  }

  private static List<String> strings(JsonNode n, String key) {
    List<String> out = new ArrayList<>();
    if (n.isArray()) {
      for (JsonNode x : n) {
        out.add(text(x, key));
      }
    } else {
      out.add(text(n, key));
    }
    return out;
  }
}
