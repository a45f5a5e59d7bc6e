package dev.tollgate.probes.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** YAML and JSON through {@link Format#parse}: keys, types, lines, Kubernetes naming. */
class FlattenerTest {
  private static String flat(Format format, String text) throws ConfigSyntaxException {
    return render(format.parse("f", text, false, false));
  }

  private static String render(List<Entry> entries) {
    return entries.stream().map(e -> e.line() + " " + e.key() + " " + e.value().type().label() + " " + e.value().text())
        .collect(Collectors.joining("\n"));
  }

  @Test
  void flattensYamlWithTypesAndKeyLines() throws Exception {
    assertEquals("""
        2 server.port number 8080
        3 server.host string 0.0.0.0
        4 server.debug boolean false
        5 server.timeout null null
        6 hosts list [a.example.com, b.example.com]
        7 empty map {}
        8 none list []""", flat(Format.YAML, """
        server:
          port: 8080
          host: "0.0.0.0"
          debug: false
          timeout: ~
        hosts: [a.example.com, b.example.com]
        empty: {}
        none: []
        """));
  }

  @Test
  void resolvesAnchorsAndMergeKeysExplicitKeysWinning() throws Exception {
    assertEquals("""
        2 base.size number 1
        3 base.mode string fast
        6 prod.size number 3
        3 prod.mode string fast""", flat(Format.YAML, """
        base: &base
          size: 1
          mode: fast
        prod:
          <<: *base
          size: 3
        """));
  }

  @Test
  void keysListsOfNamedMappingsByNameAndExpandsAssignments() throws Exception {
    assertEquals("""
        6 Deployment/api.spec.containers[api].image string ghcr.io/acme/api:1.4.2
        7 Deployment/api.spec.containers[api].env[LOG_LEVEL].value string info
        9 Deployment/api.spec.containers[sidecar].image string envoy:1.29
        11 Deployment/api.spec.ports[0].port number 80
        12 Deployment/api.spec.ports[1].port number 443
        16 ConfigMap/settings.literals.MODE string fast
        16 ConfigMap/settings.literals.RETRIES string 3""", render(Format.YAML.parse("f", """
        kind: Deployment
        metadata: {name: api}
        spec:
          containers:
            - name: api
              image: ghcr.io/acme/api:1.4.2
              env: [{name: LOG_LEVEL, value: info}]
            - name: sidecar
              image: envoy:1.29
          ports:
            - port: 80
            - port: 443
        ---
        kind: ConfigMap
        metadata: {name: settings}
        literals: [MODE=fast, RETRIES=3]
        """, false, false).stream().filter(e -> !e.key().contains(".kind") && !e.key().contains("metadata")
            && !e.key().endsWith("].name")).toList()));
  }

  @Test
  void flattensJsonWithLinesAndComments() throws Exception {
    assertEquals("""
        3 Logging.Level string Warning
        5 Features.NewCheckout boolean true
        7 Limits list [1, 2]
        8 Ratio number 0.5
        9 Nothing null null""", flat(Format.JSON, """
        {
          // appsettings files allow comments
          "Logging": {"Level": "Warning"},
          "Features": {
            "NewCheckout": true,
          },
          "Limits": [1, 2],
          "Ratio": 0.5,
          "Nothing": null
        }
        """));
  }

  @Test
  void syntaxErrorsNameTheLineButNeverTheContent() {
    ConfigSyntaxException yaml = assertThrows(ConfigSyntaxException.class,
        () -> Format.YAML.parse("f", "a: 1\npassword: [hunter2-secret\n", false, false));
    assertEquals("not valid YAML", yaml.getMessage());
    ConfigSyntaxException json = assertThrows(ConfigSyntaxException.class,
        () -> Format.JSON.parse("f", "{\n \"a\": hunter2secret\n}", false, false));
    assertEquals("not valid JSON", json.getMessage());
    assertEquals(2, json.line());
  }

  @Test
  void refusesAliasBombsAndRecursiveAliases() {
    StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'k'; c++) {
      char prev = (char) (c - 1);
      bomb.append(c).append(": &").append(c).append(" [*").append(prev).append(", *").append(prev).append(", *")
          .append(prev).append(", *").append(prev).append(", *").append(prev).append(", *").append(prev).append("]\n");
    }
    assertThrows(ConfigSyntaxException.class, () -> Format.YAML.parse("f", bomb.toString(), false, false));
    assertThrows(ConfigSyntaxException.class, () -> Format.YAML.parse("f", "a: &a\n  b: *a\n", false, false));
  }
}
