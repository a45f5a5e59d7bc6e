package dev.tollgate.probes.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.contracts.probe.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's {@code readLimits}: everything blocks unless an environment names the limit it downgrades. */
class ReadLimitsTest {
  static JsonNode yaml(String text) throws Exception {
    return new YAMLMapper().readTree(text);
  }

  @Test
  void flagsBadKeysAndValuesNamingThem() throws Exception {
    JsonNode root = yaml("""
        defaults: {readLimits: {fileSize: sometimes}}
        environments:
          dev: {readLimits: {commitz: warn}}
          prod: {readLimits: [warn]}
        """);
    assertEquals(List.of("defaults.readLimits.fileSize: expected block, warn or info, got \"sometimes\"",
        "environments.dev.readLimits.commitz: unknown limit (known: [fileSize, commits, totalBytes, unparseable])",
        "environments.prod.readLimits: expected a mapping such as {fileSize: warn}"),
        ReadLimits.validate(root.path("defaults"), root.path("environments")));
  }

  @Test
  void flagsAnInvalidSectionByBlockingEverythingAndSayingWhy() throws Exception {
    JsonNode root = yaml("environments: {dev: {readLimits: {fileSize: maybe}}}");
    ReadLimits limits = ReadLimits.from(new ServerSettings(root.path("defaults"), root.path("environments"), "dev"));
    assertEquals(Severity.BLOCK, limits.severity(ReadLimit.FILE_SIZE));
    assertTrue(limits.violation(ReadLimit.FILE_SIZE, "a", "x not read").message().contains("readLimits in the server's "
        + "tollgate.yml is invalid"));
  }

  @Test
  void passesADowngradeOnlyWhereItIsWritten() throws Exception {
    JsonNode root = yaml("""
        defaults: {readLimits: {commits: info}}
        environments:
          dev: {readLimits: {fileSize: warn}}
          staging: {}
        """);
    ServerSettings s = new ServerSettings(root.path("defaults"), root.path("environments"), "dev");
    ReadLimits dev = ReadLimits.from(s);
    assertEquals(Severity.WARN, dev.severity(ReadLimit.FILE_SIZE));
    // An environment's section replaces the defaults' as a whole, like every probe section.
    assertEquals(Severity.BLOCK, dev.severity(ReadLimit.COMMITS));
    assertEquals(Severity.INFO, ReadLimits.from(s.forEnvironment("staging")).severity(ReadLimit.COMMITS));
    assertEquals(Severity.BLOCK, ReadLimits.from(s.forEnvironment("staging")).severity(ReadLimit.FILE_SIZE));
    assertEquals(List.of(), ReadLimits.validate(root.path("defaults"), root.path("environments")));
  }
}
