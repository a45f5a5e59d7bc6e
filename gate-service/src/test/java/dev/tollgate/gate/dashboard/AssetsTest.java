package dev.tollgate.gate.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The pages must work under the Content-Security-Policy the gate sends (no inline script or style) and without any
 * third-party host; every file they reference must be one the gate serves.
 */
class AssetsTest {
  private final Assets assets = Assets.load();

  private String text(String name) {
    return assets.get(name).orElseThrow().body().toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyListedFileIsInTheJarAndNotEmpty() {
    for (String f : Assets.FILES) {
      assertTrue(assets.get(f).orElseThrow().body().length() > 100, f + " is (nearly) empty");
    }
  }

  @Test
  void noPageHasInlineScriptInlineStyleOrEventHandlerAttributes() {
    Pattern inlineScript = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
    Pattern handler = Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
    for (String f : Assets.FILES.stream().filter(n -> n.endsWith(".html")).toList()) {
      String html = text(f);
      assertFalse(inlineScript.matcher(html).find(), f + " has an inline script");
      assertFalse(handler.matcher(html).find(), f + " has an inline event handler");
      assertFalse(html.contains("<style") || html.contains(" style="), f + " has inline style");
      assertFalse(html.contains("javascript:"), f);
    }
  }

  @Test
  void everyReferencedFileIsServedAndNothingComesFromAnotherHost() {
    Pattern html = Pattern.compile("(?:src|href)=\"(/assets/[^\"]+)\"");
    Pattern imports = Pattern.compile("from '\\./([^']+)'");
    List<String> missing = new ArrayList<>();
    for (String f : Assets.FILES) {
      String t = text(f);
      assertFalse(t.matches("(?s).*(?:src|href)=\"(?:https?:)?//.*"), f + " loads something from another host");
      Matcher m = html.matcher(t);
      while (m.find()) {
        if (assets.get(m.group(1).substring("/assets/".length())).isEmpty()) {
          missing.add(f + " -> " + m.group(1));
        }
      }
      Matcher i = imports.matcher(t);
      while (i.find()) {
        if (assets.get("js/" + i.group(1)).isEmpty()) {
          missing.add(f + " imports " + i.group(1));
        }
      }
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void scriptsNeverWriteApiDataAsHtml() {
    // Every value from the API goes in as text (ui.js el()); innerHTML would let a repository name inject markup.
    for (String f : Assets.FILES.stream().filter(n -> n.endsWith(".js")).toList()) {
      String js = text(f);
      assertFalse(js.contains("innerHTML") || js.contains("outerHTML") || js.contains("insertAdjacentHTML")
          || js.contains("document.write"), f);
    }
  }
}
