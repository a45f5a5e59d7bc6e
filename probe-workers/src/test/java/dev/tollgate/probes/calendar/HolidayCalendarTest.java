package dev.tollgate.probes.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The days off of every region of the built-in table in 2026 and 2027, pinned (issue #7).
 *
 * <p>The expected dates were worked out by hand from each country's holiday rules (fixed dates, nth-weekday rules,
 * Easter 2026-04-05 and 2027-03-28, the substitute-day rules), not copied from Jollyday's output; where they differ
 * from Jollyday 2.19.0 the fix lives in {@link HolidayCorrections}. Days marked "kept" are in Jollyday's data but
 * could not be confirmed as statutory days off; they stay because blocking one day too many is the safe side.
 * Both the actual date and the observed (moved) date of a holiday are days off.
 *
 * <p>A region added to {@link RegionTable} without an entry here fails {@link #everyBuiltInRegionIsVerified}.
 */
class HolidayCalendarTest {
  private static final HolidayCalendar CALENDAR = new HolidayCalendar();

  private static final String US_2026 = "01-01 01-19 02-16 05-25 06-19 07-03 07-04 09-07 10-12 11-11 11-26 12-25";
  // July 4 and Juneteenth fall on weekends (observed Friday/Monday); Christmas on Saturday (observed Friday);
  // New Year 2028 on Saturday is observed on Friday 2027-12-31 (5 U.S.C. 6103 and OPM's rule for federal staff).
  private static final String US_2027 = "01-01 01-18 02-15 05-31 06-18 06-19 07-04 07-05 09-06 10-11 11-11 11-25 12-24 12-25 12-31";

  /** iso → {2026, 2027}. */
  static final Map<String, String[]> VERIFIED = new LinkedHashMap<>();

  static {
    // Virginia adds Election Day (corrected in HolidayCorrections).
    VERIFIED.put("US-VA", new String[] {US_2026 + " 11-03", US_2027 + " 11-02"});
    // Ohio: only the federal days (Jollyday's Grant Day, April 27, is a commemoration: removed).
    VERIFIED.put("US-OH", new String[] {US_2026, US_2027});
    // California: Cesar Chavez Day (Mar 31) and the day after Thanksgiving.
    VERIFIED.put("US-CA", new String[] {US_2026 + " 03-31 11-27", US_2027 + " 03-31 11-26"});
    // Oregon, Iowa, South Carolina: the day after Thanksgiving (kept for Oregon: not a state paid holiday there).
    VERIFIED.put("US-OR", new String[] {US_2026 + " 11-27", US_2027 + " 11-26"});
    VERIFIED.put("US-IA", new String[] {US_2026 + " 11-27", US_2027 + " 11-26"});
    VERIFIED.put("US-SC", new String[] {US_2026 + " 11-27", US_2027 + " 11-26"});
    // Washington keeps no Columbus Day; Native American Heritage Day is the day after Thanksgiving.
    VERIFIED.put("US-WA", new String[] {US_2026.replace(" 10-12", "") + " 11-27", US_2027.replace(" 10-11", "") + " 11-26"});
    // Quebec: Good Friday and Easter Monday (employer picks one; both block), National Patriots' Day, Fête nationale.
    VERIFIED.put("CA-QC", new String[] {"01-01 04-03 04-06 05-18 06-24 07-01 09-07 10-12 12-25",
        "01-01 03-26 03-29 05-24 06-24 07-01 09-06 10-11 12-25"});
    // Ontario: Family Day, Good Friday, Victoria Day, Boxing Day.
    VERIFIED.put("CA-ON", new String[] {"01-01 02-16 04-03 05-18 07-01 09-07 10-12 12-25 12-26",
        "01-01 02-15 03-26 05-24 07-01 09-06 10-11 12-25 12-26"});
    // São Paulo: national days, July 9 (state); Carnival Tuesday, Ash Wednesday and Corpus Christi are "ponto
    // facultativo" nationally (kept); Black Awareness Day is national since 2024.
    VERIFIED.put("BR-SP", new String[] {"01-01 02-17 02-18 04-03 04-05 04-21 05-01 06-04 07-09 09-07 10-12 11-02 11-15 11-20 12-25",
        "01-01 02-09 02-10 03-26 03-28 04-21 05-01 05-27 07-09 09-07 10-12 11-02 11-15 11-20 12-25"});
    // England: Boxing Day 2026 on Saturday → Monday 28th; Christmas/Boxing 2027 on the weekend → 27th and 28th.
    VERIFIED.put("GB-ENG", new String[] {"01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-26 12-28",
        "01-01 03-26 03-29 05-03 05-31 08-30 12-25 12-26 12-27 12-28"});
    // Ireland: St Brigid's Day is the first Monday of February (Feb 1 itself when a Friday; 2026-02-01 is a Sunday).
    VERIFIED.put("IE", new String[] {"01-01 02-01 02-02 03-17 04-05 04-06 05-04 06-01 08-03 10-26 12-25 12-26",
        "01-01 02-01 03-17 03-28 03-29 05-03 06-07 08-02 10-25 12-25 12-26"});
    VERIFIED.put("FR", new String[] {"01-01 04-06 05-01 05-08 05-14 05-25 07-14 08-15 11-01 11-11 12-25",
        "01-01 03-29 05-01 05-06 05-08 05-17 07-14 08-15 11-01 11-11 12-25"});
    // Hesse: Corpus Christi; Berlin: International Women's Day (since 2019).
    VERIFIED.put("DE-HE", new String[] {"01-01 04-03 04-06 05-01 05-14 05-25 06-04 10-03 12-25 12-26",
        "01-01 03-26 03-29 05-01 05-06 05-17 05-27 10-03 12-25 12-26"});
    VERIFIED.put("DE-BE", new String[] {"01-01 03-08 04-03 04-06 05-01 05-14 05-25 10-03 12-25 12-26",
        "01-01 03-08 03-26 03-29 05-01 05-06 05-17 10-03 12-25 12-26"});
    VERIFIED.put("CH-ZH", new String[] {"01-01 04-03 04-05 04-06 05-01 05-14 05-25 08-01 12-25 12-26",
        "01-01 03-26 03-28 03-29 05-01 05-06 05-17 08-01 12-25 12-26"});
    // Sweden: Midsummer Eve, Christmas Eve and New Year's Eve are de-facto days off (kept).
    VERIFIED.put("SE", new String[] {"01-01 01-06 04-03 04-05 04-06 05-01 05-14 05-24 06-06 06-19 06-20 10-31 12-24 12-25 12-26 12-31",
        "01-01 01-06 03-26 03-28 03-29 05-01 05-06 05-16 06-06 06-25 06-26 11-06 12-24 12-25 12-26 12-31"});
    // Italy: St Francis of Assisi (Oct 4) is a national holiday again from 2026.
    VERIFIED.put("IT", new String[] {"01-01 01-06 04-05 04-06 04-25 05-01 06-02 08-15 10-04 11-01 12-08 12-25 12-26",
        "01-01 01-06 03-28 03-29 04-25 05-01 06-02 08-15 10-04 11-01 12-08 12-25 12-26"});
    // Spain: the ten national days are verified; Maundy Thursday, the regional day and the Monday moves of Sunday
    // holidays (Nov 2, Dec 7 2026) are set by each region's yearly decree (kept).
    VERIFIED.put("ES-MD", new String[] {"01-01 01-06 04-02 04-03 05-01 05-02 08-15 10-12 11-01 11-02 12-06 12-07 12-08 12-25",
        "01-01 01-06 03-25 03-26 05-01 05-02 05-03 08-15 10-12 11-01 12-06 12-08 12-25"});
    VERIFIED.put("ES-AR", new String[] {"01-01 01-06 04-02 04-03 04-23 05-01 08-15 10-12 11-01 11-02 12-06 12-07 12-08 12-25",
        "01-01 01-06 03-25 03-26 04-23 05-01 08-15 10-12 11-01 12-06 12-08 12-25"});
    // Japan (corrected in HolidayCorrections): Emperor's Birthday Feb 23, equinoxes (2026-03-20, 09-23; 2027-03-21,
    // 09-23), substitute holidays (2026-05-06 for Sunday May 3; 2027-03-22 for Sunday March 21) and the citizens'
    // holiday 2026-09-22 between Respect for the Aged Day and the equinox. No December 23.
    String jp2026 = "01-01 01-12 02-11 02-23 03-20 04-29 05-03 05-04 05-05 05-06 07-20 08-11 09-21 09-22 09-23 10-12 11-03 11-23";
    String jp2027 = "01-01 01-11 02-11 02-23 03-21 03-22 04-29 05-03 05-04 05-05 07-19 08-11 09-20 09-23 10-11 11-03 11-23";
    VERIFIED.put("JP-13", new String[] {jp2026, jp2027});
    VERIFIED.put("JP-27", new String[] {jp2026, jp2027});
    // New South Wales: Easter Saturday and Sunday are public holidays; Anzac Day on a weekend gets no Monday in NSW
    // (Jollyday's Monday is kept); the NSW bank holiday (first Monday of August) is kept.
    VERIFIED.put("AU-NSW", new String[] {"01-01 01-26 04-03 04-04 04-05 04-06 04-25 04-27 06-08 08-03 10-05 12-25 12-26 12-28",
        "01-01 01-26 03-26 03-27 03-28 03-29 04-25 04-26 06-14 08-02 10-04 12-25 12-26 12-27 12-28"});
    // Victoria: Labour Day (2nd Monday of March), Melbourne Cup, AFL Grand Final Friday (set each year, kept).
    VERIFIED.put("AU-VIC", new String[] {"01-01 01-26 03-09 04-03 04-04 04-05 04-06 04-25 06-08 09-25 11-03 12-25 12-26 12-28",
        "01-01 01-26 03-08 03-26 03-27 03-28 03-29 04-25 06-14 09-24 11-02 12-25 12-26 12-27 12-28"});
    VERIFIED.put("BE", new String[] {"01-01 04-05 04-06 05-01 05-14 05-24 05-25 07-21 08-15 11-01 11-11 12-25",
        "01-01 03-28 03-29 05-01 05-06 05-16 05-17 07-21 08-15 11-01 11-11 12-25"});
    // Netherlands: King's Day (Apr 27), Liberation Day; Good Friday is not a general day off.
    VERIFIED.put("NL", new String[] {"01-01 04-05 04-06 04-27 05-05 05-14 05-24 05-25 12-25 12-26",
        "01-01 03-28 03-29 04-27 05-05 05-06 05-16 05-17 12-25 12-26"});
    // Finland: Midsummer Eve and Christmas Eve are de-facto days off (kept); All Saints' is the Saturday Oct 31–Nov 6.
    VERIFIED.put("FI", new String[] {"01-01 01-06 04-03 04-05 04-06 05-01 05-14 05-24 06-19 06-20 10-31 12-06 12-24 12-25 12-26",
        "01-01 01-06 03-26 03-28 03-29 05-01 05-06 05-16 06-25 06-26 11-06 12-06 12-24 12-25 12-26"});
  }

  static Stream<Region> builtInRegions() {
    Map<String, Region> byIso = new LinkedHashMap<>();
    RegionTable.builtInRegions().values().forEach(r -> byIso.putIfAbsent(r.iso(), r));
    return byIso.values().stream();
  }

  static Stream<Region> verifiedRegions() {
    return builtInRegions().filter(r -> HolidayCalendar.quality(r) == HolidayCalendar.Quality.VERIFIED);
  }

  /** What the code calls verified is what this test pins, no more, no less. */
  @Test
  void theVerifiedRegionsAreThePinnedOnes() {
    assertEquals(new TreeSet<>(VERIFIED.keySet()), new TreeSet<>(HolidayCalendar.VERIFIED));
    Set<String> unlisted = builtInRegions().map(Region::iso).filter(iso -> VERIFIED.containsKey(iso))
        .filter(iso -> !HolidayCalendar.VERIFIED.contains(iso)).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of(), unlisted);
  }

  /**
   * Issue 20 item 10: regions outside the old table were an error. Every built-in region resolves; one whose country
   * Jollyday has gives its holidays (unverified), one whose country it lacks gives none and says so.
   */
  @Test
  void everyBuiltInRegionResolvesWithTheQualityOfItsHolidayData() {
    Map<HolidayCalendar.Quality, Set<String>> byQuality = new java.util.EnumMap<>(HolidayCalendar.Quality.class);
    for (Region region : RegionTable.builtInRegions().values()) {
      HolidayCalendar.validate(region, region.code());
      HolidayCalendar.Quality q = HolidayCalendar.quality(region);
      byQuality.computeIfAbsent(q, k -> new TreeSet<>()).add(region.iso());
      List<HolidayDay> days = CALENDAR.holidays(region, EnumSet.of(HolidayCalendar.Kind.PUBLIC), LocalDate.of(2026, 1, 1),
          LocalDate.of(2026, 12, 31));
      if (q == HolidayCalendar.Quality.NONE) {
        assertEquals(List.of(), days, region.code());
      } else {
        assertTrue(days.size() >= 5, region.code() + " " + days);
      }
    }
    assertEquals(Set.of("CN", "ID", "IL", "KR", "MY", "TH", "TW"), byQuality.get(HolidayCalendar.Quality.NONE));
    assertTrue(byQuality.get(HolidayCalendar.Quality.UNVERIFIED).containsAll(Set.of("IN-MH", "SG", "AE", "ZA", "MX")),
        byQuality.toString());
    for (String code : List.of("ap-south-1", "ap-northeast-2", "ap-southeast-1", "me-central-1", "af-south-1", "il-central-1",
        "mx-central-1")) {
      assertTrue(RegionTable.builtIn().knows(code), code);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("verifiedRegions")
  void holidaysOf2026And2027AreTheVerifiedOnes(Region region) {
    String[] expected = VERIFIED.get(region.iso());
    for (int i = 0; i < 2; i++) {
      int year = 2026 + i;
      List<String> actual = CALENDAR.holidays(region, EnumSet.of(HolidayCalendar.Kind.PUBLIC), LocalDate.of(year, 1, 1),
          LocalDate.of(year, 12, 31)).stream().map(d -> d.date().toString().substring(5)).toList();
      assertEquals(Arrays.asList(expected[i].split(" ")).stream().sorted().toList(), actual, region.iso() + " " + year);
    }
  }

  @Test
  void japanCorrectionsNameTheDays() {
    Region tokyo = RegionTable.builtIn().resolve("ap-northeast-1", null, "test");
    Map<String, String> names = CALENDAR.holidays(tokyo, EnumSet.of(HolidayCalendar.Kind.PUBLIC), LocalDate.of(2026, 1, 1),
        LocalDate.of(2026, 12, 31)).stream().collect(Collectors.toMap(d -> d.date().toString(), HolidayDay::name));
    assertEquals("Emperor's Birthday", names.get("2026-02-23"));
    assertEquals("Vernal Equinox Day", names.get("2026-03-20"));
    assertEquals("Substitute Holiday (Constitution Day)", names.get("2026-05-06"));
    assertEquals("Citizens' Holiday", names.get("2026-09-22"));
    assertFalse(names.containsKey("2026-12-23"), "no Emperor's Birthday on December 23 since 2019");
  }

  @Test
  void equinoxFormulaMatchesPublishedDates() {
    // Published by the Cabinet Office for 2024 and 2025: March 20 both years; September 22 (2024) and 23 (2025).
    assertEquals(20, HolidayCorrections.equinoxDay(2024, 20.8431));
    assertEquals(22, HolidayCorrections.equinoxDay(2024, 23.2488));
    assertEquals(20, HolidayCorrections.equinoxDay(2025, 20.8431));
    assertEquals(23, HolidayCorrections.equinoxDay(2025, 23.2488));
  }

  @Test
  void bankHolidaysCountOnlyWhenAsked() {
    Region ontario = new Region("CA-ON", "CA", "ON", ZoneId.of("America/Toronto"));
    LocalDate civic = LocalDate.of(2026, 8, 3);
    assertFalse(CALENDAR.holidays(ontario, EnumSet.of(HolidayCalendar.Kind.PUBLIC), civic, civic).stream().findAny().isPresent());
    assertTrue(CALENDAR.holidays(ontario, EnumSet.of(HolidayCalendar.Kind.PUBLIC, HolidayCalendar.Kind.BANK), civic, civic)
        .stream().anyMatch(d -> d.date().equals(civic)));
  }

  @Test
  void unknownSubdivisionIsRejected() {
    Region texasTypo = new Region("US-XX", "US", "XX", ZoneId.of("America/Chicago"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HolidayCalendar.validate(texasTypo, "regions[0]"));
    assertTrue(e.getMessage().startsWith("regions[0]: no holiday calendar for subdivision US-XX"), e.getMessage());
  }
}
