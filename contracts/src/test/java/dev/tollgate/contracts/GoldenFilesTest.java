package dev.tollgate.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.tollgate.contracts.check.CheckRequested;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.contracts.override.OverrideRecorded;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.verdict.VerdictReached;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden file of every schema version still parses, validates against its schema and round-trips. */
class GoldenFilesTest {
  static final Map<String, Class<?>> TYPES = Map.of(
      "EvaluationRequested", EvaluationRequested.class,
      "CheckRequested", CheckRequested.class,
      "ProbeCompleted", ProbeCompleted.class,
      "VerdictReached", VerdictReached.class,
      "OverrideRecorded", OverrideRecorded.class,
      "DeploymentRecorded", dev.tollgate.contracts.history.DeploymentRecorded.class,
      "AuditRecorded", dev.tollgate.contracts.audit.AuditRecorded.class,
      "SlackMessagePosted", dev.tollgate.contracts.slack.SlackMessagePosted.class,
      "AttestationSigned", dev.tollgate.contracts.attestation.AttestationSigned.class,
      "AttestationKeyPublished", dev.tollgate.contracts.attestation.AttestationKeyPublished.class);

  static Stream<Path> goldenFiles() throws IOException, URISyntaxException {
    URL root = GoldenFilesTest.class.getResource("/golden");
    try (Stream<Path> files = Files.walk(Path.of(root.toURI()))) {
      List<Path> list = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
      return list.stream();
    }
  }

  static JsonSchema schema(String type, int version) {
    String resource = "/schemas/" + type + ".v" + version + ".schema.json";
    try (InputStream in = Topics.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new AssertionError("missing schema " + resource);
      }
      SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest
  @MethodSource("goldenFiles")
  void goldenFileParsesValidatesAndRoundTrips(Path file) throws IOException {
    String type = file.getFileName().toString().replace(".json", "");
    int version = Integer.parseInt(file.getParent().getFileName().toString().substring(1));
    Class<?> recordType = TYPES.get(type);
    assertTrue(recordType != null, "golden file for unknown message type: " + file);

    JsonNode raw = Json.mapper().readTree(file.toFile());
    Set<ValidationMessage> rawErrors = schema(type, version).validate(raw);
    assertTrue(rawErrors.isEmpty(), file + " violates its schema: " + rawErrors);

    Object message = Json.read(Files.readAllBytes(file), recordType);
    JsonNode written = Json.mapper().valueToTree(message);
    Set<ValidationMessage> writtenErrors = schema(type, version).validate(written);
    assertTrue(writtenErrors.isEmpty(), "re-serialized " + type + " violates its schema: " + writtenErrors);
    assertEquals(message, Json.read(Json.write(message), recordType), "round trip changed " + type);
  }

  @Test
  void everyMessageTypeHasASchemaAndAGoldenFileForItsCurrentVersion() throws Exception {
    for (var entry : TYPES.entrySet()) {
      int current = entry.getValue().getField("SCHEMA_VERSION").getInt(null);
      schema(entry.getKey(), current);
      assertTrue(GoldenFilesTest.class.getResource("/golden/v" + current + "/" + entry.getKey() + ".json") != null,
          "no golden file for " + entry.getKey() + " v" + current);
    }
  }

  @Test
  void schemaRejectsAMessageMissingARequiredField() throws IOException {
    JsonNode node = Json.mapper().readTree(GoldenFilesTest.class.getResourceAsStream("/golden/v1/CheckRequested.json"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) node).remove("deadline");
    assertFalse(schema("CheckRequested", 1).validate(node).isEmpty(), "schema should require deadline");
  }

  @Test
  void thePredicateExampleValidatesAgainstThePublishedPredicateSchemaAndReadsBack() throws IOException {
    JsonNode example = Json.mapper().readTree(GoldenFilesTest.class.getResourceAsStream("/attestation/VerdictPredicate.example.json"));
    Set<ValidationMessage> errors = schema("VerdictPredicate", 1).validate(example);
    assertTrue(errors.isEmpty(), "the example violates the predicate schema: " + errors);
    var predicate = Json.mapper().treeToValue(example, dev.tollgate.contracts.attestation.VerdictPredicate.class);
    assertTrue(predicate.permitsDeploy());
    assertEquals(List.of("migration/drop-column", "migration/missing-lock-timeout"), predicate.probes().get(0).ruleIds());
    Set<ValidationMessage> written = schema("VerdictPredicate", 1).validate(Json.mapper().valueToTree(predicate));
    assertTrue(written.isEmpty(), "the record writes what the schema allows: " + written);
    ((com.fasterxml.jackson.databind.node.ObjectNode) example).put("decision", "MAYBE");
    assertFalse(schema("VerdictPredicate", 1).validate(example).isEmpty(), "a decision outside GO, NO_GO, OVERRIDDEN fails");
  }
}
