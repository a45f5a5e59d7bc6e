package dev.tollgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One spelling for every machine-readable output (docs/json.md; issue 20 item 14: {@code check} said {@code ruleId},
 * {@code scan-secrets} and {@code lint-migrations} said {@code rule}, {@code calendar} said {@code next_allowed} where
 * the API says {@code nextAllowed}). Every command's JSON is run and every key checked: camelCase, or a retiring name
 * listed in docs/json.md, written next to its new name.
 */
class JsonSpellingTest {
  static final Pattern CAMEL = Pattern.compile("[a-z][a-zA-Z0-9]*");

  @TempDir
  Path tmp;
  FixtureRepo repo;

  @BeforeEach
  void repository() {
    // A credential built at run time (nothing secret is checked in), and a migration that locks a table.
    String alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom random = new SecureRandom();
    StringBuilder token = new StringBuilder("ghp" + "_");
    for (int i = 0; i < 36; i++) {
      token.append(alnum.charAt(random.nextInt(alnum.length())));
    }
    repo = FixtureRepo.create(tmp.resolve("repo")).commit("app.properties", "x=1\n").deployed()
        .commit("config/ci.env", "GITHUB_TOKEN=" + token + "\n")
        .commit("db/migration/V2__index.sql", "CREATE INDEX users_email ON users (email);\n");
  }

  /** Old key → new key, from the table of docs/json.md. */
  static Map<String, String> retiring() throws Exception {
    Map<String, String> names = new LinkedHashMap<>();
    Matcher m = Pattern.compile("(?m)^\\| `[^`]+` \\| `(\\w+)` \\| `(\\w+)` \\|").matcher(Files.readString(Path.of("../docs/json.md")));
    while (m.find()) {
      names.put(m.group(1), m.group(2));
    }
    assertTrue(names.size() >= 4, "docs/json.md lists the names being retired: " + names);
    return names;
  }

  @Test
  void everyCommandsJsonSpellsItsKeysOneWay() throws Exception {
    Map<String, String> retiring = retiring();
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("check", json(0, 1, "check", "--repo", repo.dir().toString(), "--candidate", "HEAD", "--baseline", repo.baseline(),
        "--env", "staging", "--format", "json"));
    outputs.put("scan-secrets", json(1, 1, "scan-secrets", repo.dir().resolve("config").toString(), "--format", "json"));
    outputs.put("lint-migrations", json(1, 1, "lint-migrations", repo.dir().resolve("db").toString(), "--format", "json"));
    outputs.put("calendar", json(1, 1, "calendar", "--env", "production", "--at", "2026-11-26T12:00:00Z", "--format", "json"));
    outputs.put("calendar --upcoming", json(0, 0, "calendar", "--env", "production", "--at", "2026-11-20T12:00:00Z",
        "--upcoming", "30d", "--format", "json"));
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, String> o : outputs.entrySet()) {
      walk(o.getKey(), Json.mapper().readTree(o.getValue()), retiring, wrong);
    }
    assertEquals(List.of(), wrong, String.join("\n", outputs.values()));
    // The concepts have their names: what the API calls them.
    assertTrue(outputs.get("check").contains("\"ruleId\":\"secrets/github-pat-classic\""), outputs.get("check"));
    assertTrue(outputs.get("scan-secrets").contains("\"ruleId\":\"secrets/github-pat-classic\""), outputs.get("scan-secrets"));
    assertTrue(outputs.get("lint-migrations").contains("\"ruleId\":\"migration/pg-index-not-concurrent\""));
    assertTrue(outputs.get("calendar").contains("\"nextAllowed\":\"2026-11-27T"), outputs.get("calendar"));
    assertTrue(outputs.get("calendar").contains("\"zone\":\"America/New_York\""), outputs.get("calendar"));
  }

  /** Runs the command; its exit code must be one of the two given, and its output JSON. */
  static String json(int code, int orCode, String... args) {
    CliRun.Output out = CliRun.run(args);
    assertTrue(out.code() == code || out.code() == orCode, String.join(" ", args) + " exited " + out.code() + ": " + out.err());
    return out.out();
  }

  static void walk(String where, JsonNode node, Map<String, String> retiring, List<String> wrong) {
    if (node.isArray()) {
      node.forEach(n -> walk(where, n, retiring, wrong));
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String key = e.getKey();
        if (retiring.containsKey(key)) {
          if (!node.has(retiring.get(key))) {
            wrong.add(where + ": " + key + " without its new name " + retiring.get(key));
          }
        } else if (!CAMEL.matcher(key).matches()) {
          wrong.add(where + ": " + key);
        }
        walk(where + "." + key, e.getValue(), retiring, wrong);
      }
    }
  }
}
