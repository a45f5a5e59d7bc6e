package dev.tollgate.probes.calendar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.github.benmanes.caffeine.cache.Ticker;
import java.util.List;
import java.util.Optional;

/** Test helpers: a calendar section from YAML, one shared holiday cache (Jollyday loads take ~0.2 s per country). */
final class Policies {
  static final HolidayCalendar HOLIDAYS = new HolidayCalendar();
  /** An engine whose feeds cannot be fetched (tests of feeds build their own). */
  static final CalendarEngine ENGINE = new CalendarEngine(HOLIDAYS, new FeedCache(uri -> {
    throw new java.io.IOException("no network in this test");
  }, Ticker.disabledTicker()));

  private Policies() {}

  static JsonNode yaml(String text) {
    try {
      return new YAMLMapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A policy from a server calendar section only. */
  static CalendarPolicy server(String yaml) {
    return CalendarPolicy.parse("production", yaml(yaml), List.of(), path -> Optional.empty(), HOLIDAYS);
  }
}
