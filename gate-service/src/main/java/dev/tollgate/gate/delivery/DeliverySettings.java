package dev.tollgate.gate.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.ConfigKeys;
import dev.tollgate.contracts.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code delivery:} section of {@code tollgate.yml}: what counts as a failed change. The metrics view is rebuilt
 * from the topics at every start, so a change here applies to the whole history at the next start.
 *
 * @param failureWindow a deploy rolled back or hotfixed within this time after it went out is a failed change
 * @param hotfixRefs globs ({@code *} = any characters) of the refs whose deploys are hotfixes, matched without
 *     {@code refs/heads/} or {@code refs/tags/} and ignoring case
 */
public record DeliverySettings(Duration failureWindow, List<String> hotfixRefs) {
  private static final Duration MAX_WINDOW = Duration.ofDays(30);
  /** One day, and git-flow's hotfix branches. */
  public static final DeliverySettings DEFAULT = new DeliverySettings(Duration.ofDays(1),
      List.of("hotfix/*", "hotfix-*", "hotfix"));
  private static final Set<String> KEYS = Set.of("failureWindow", "hotfixRefs");

  public DeliverySettings {
    if (failureWindow == null || failureWindow.isNegative() || failureWindow.isZero() || failureWindow.compareTo(MAX_WINDOW) > 0) {
      throw new IllegalArgumentException("delivery.failureWindow: expected a duration from 1s to 30d, got " + failureWindow);
    }
    hotfixRefs = List.copyOf(hotfixRefs);
  }

  /**
   * Reads the section; absent means {@link #DEFAULT}.
   *
   * @throws IllegalArgumentException naming the key and the bad value
   */
  public static DeliverySettings from(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return DEFAULT;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("delivery: expected a mapping with failureWindow and hotfixRefs");
    }
    ConfigKeys.requireKnown(node, KEYS, "delivery");
    Duration window = node.has("failureWindow")
        ? Durations.parse(node.path("failureWindow").asText(null), "delivery.failureWindow") : DEFAULT.failureWindow();
    List<String> refs = DEFAULT.hotfixRefs();
    if (node.has("hotfixRefs")) {
      JsonNode list = node.path("hotfixRefs");
      if (!list.isArray()) {
        throw new IllegalArgumentException("delivery.hotfixRefs: expected a list of ref globs like hotfix/*, got " + list);
      }
      refs = new ArrayList<>();
      for (JsonNode r : list) {
        if (!r.isTextual() || r.asText().isBlank() || r.asText().length() > 200) {
          throw new IllegalArgumentException("delivery.hotfixRefs: expected ref globs like hotfix/*, got " + r);
        }
        refs.add(r.asText().strip());
      }
    }
    return new DeliverySettings(window, refs);
  }

  /** True when a deploy of {@code ref} is a hotfix; a deploy without a ref never is. */
  public boolean isHotfix(String ref) {
    if (ref == null || ref.isBlank()) {
      return false;
    }
    String name = ref.strip().replaceFirst("^refs/(heads|tags)/", "").toLowerCase(Locale.ROOT);
    for (String glob : hotfixRefs) {
      if (glob(glob).matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }

  private static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (String part : glob.toLowerCase(Locale.ROOT).split("\\*", -1)) {
      if (regex.length() > 0 || glob.startsWith("*")) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString());
  }
}
